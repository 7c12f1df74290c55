"""The import graph of the three layers (DESIGN.md: arrows go one way), read from the source with ast.

Every import counts: at the top of a module, inside a function, and the module names given as strings
(``lazy("cadre_desk.x", ...)``, ``importlib.import_module("...")``, the COMMANDS lists, constants such as
``POSTINGS = "cadre_desk.postings.postings"``): any string that is exactly the name of one of our
modules (or ``module:attribute``) is an import of it.

Fails on an upward import (core → reports/ui, reports → ui; the composition root cadre_desk/__main__.py
is the one module that may name all three), on a cycle between modules, and on a private name
(``_x``) imported from or used on another module. An import under ``if TYPE_CHECKING:`` is never run:
it counts for the direction of the arrows, not for cycles."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"cadre_desk": 0, "reports": 1, "ui": 2}
COMPOSITION_ROOT = "cadre_desk.__main__"


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    # imported module → the first line that imports it
    imports: dict[str, int] = field(default_factory=dict)
    typing_only: set[str] = field(default_factory=set)  # imported only under ``if TYPE_CHECKING:``
    private_uses: list[str] = field(default_factory=list)


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def scan(root: Path) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for top in LAYERS:
        for path in sorted((root / top).rglob("*.py")):
            name, is_package = _module_name(path, root)
            modules[name] = Module(name, path, is_package)
    for module in modules.values():
        _read(module, modules)
    return modules


@cache
def project() -> dict[str, Module]:
    return scan(ROOT)


def _resolve_relative(module: Module, level: int, target: str | None) -> str:
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    if level > 1:
        base = base[:-(level - 1)]
    return ".".join(base + ([target] if target else []))


def _longest_module(name: str, modules: dict[str, Module]) -> str | None:
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _read(module: Module, modules: dict[str, Module]) -> None:
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    bound: dict[str, str] = {}  # local name → one of our modules it is bound to

    typing_lines = {n.lineno for block in ast.walk(tree) if isinstance(block, ast.If)
                    and "TYPE_CHECKING" in ast.unparse(block.test) for stmt in block.body for n in ast.walk(stmt)
                    if hasattr(n, "lineno")}
    run_time: set[str] = set()

    def add(target: str | None, line: int) -> None:
        if target and target != module.name:
            module.imports.setdefault(target, line)
            if line not in typing_lines:
                run_time.add(target)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found = _longest_module(alias.name, modules)
                add(found, node.lineno)
                if found and alias.asname:
                    bound[alias.asname] = found
                elif found:
                    top = alias.name.split(".")[0]
                    bound.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve_relative(module, node.level, node.module) if node.level else (node.module or "")
            if source.split(".")[0] not in LAYERS:
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in modules:  # a module imported from its package
                    add(full, node.lineno)
                    bound[alias.asname or alias.name] = full
                else:  # a name defined in the module
                    add(_longest_module(source, modules), node.lineno)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        module.private_uses.append(f"line {node.lineno}: from {source} import {alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.split(":")[0]
            if text in modules:
                add(text, node.lineno)
    module.typing_only = set(module.imports) - run_time
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                and node.attr.startswith("_") and not node.attr.startswith("__")
                and bound[node.value.id] != module.name):
            module.private_uses.append(f"line {node.lineno}: {node.value.id}.{node.attr} "
                                       f"({bound[node.value.id]})")


def layer(name: str) -> int:
    return LAYERS[name.split(".")[0]]


def test_the_graph_is_read():
    """The walk finds the modules and the imports the checks below rely on (a broken walk passes
    everything)."""
    modules = project()
    assert {"cadre_desk.__main__", "cadre_desk.postings.postings", "reports.pdf.dossier", "ui.shell.app"} <= set(modules)
    features = modules["cadre_desk.features"].imports
    assert "cadre_desk.postings.postings" in features  # a lazy(...) string
    assert "cadre_desk.postings.postings_cli" in features  # a COMMANDS string
    assert "ui.shell.app" in modules["cadre_desk.__main__"].imports  # an import inside a function
    assert sum(len(m.imports) for m in modules.values()) > 500


def test_the_checks_find_what_they_look_for(tmp_path):
    """On a small made-up tree: a cycle through a function's import, a TYPE_CHECKING import that is no
    cycle, a lazy string, private names imported and reached."""
    files = {
        "cadre_desk/__init__.py": "",
        "cadre_desk/a.py": "def f():\n    from cadre_desk import b\n    return b._secret\n",
        "cadre_desk/b.py": "import cadre_desk.a\n_secret = 1\n",
        "cadre_desk/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cadre_desk import d\n",
        "cadre_desk/d.py": "from cadre_desk.c import _hidden\nX = lazy('reports.r', 'f')\n",
        "reports/__init__.py": "", "reports/r.py": "", "ui/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    modules = scan(tmp_path)
    assert _cycles(modules) == [["cadre_desk.a", "cadre_desk.b"]]
    assert modules["cadre_desk.c"].typing_only == {"cadre_desk.d"}
    assert "reports.r" in modules["cadre_desk.d"].imports  # upward, by a string
    assert modules["cadre_desk.a"].private_uses == ["line 3: b._secret (cadre_desk.b)"]
    assert modules["cadre_desk.d"].private_uses == ["line 1: from cadre_desk.c import _hidden"]


def test_arrows_point_down():
    """ui → reports → cadre_desk, never back up; only the composition root names every layer."""
    upward = [f"{m.name} → {target} ({m.path.relative_to(ROOT)}:{line})"
              for m in project().values() if m.name != COMPOSITION_ROOT
              for target, line in m.imports.items() if layer(target) > layer(m.name)]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def edges(name: str) -> list[str]:
        # A package's __init__ is imported with each of its modules; only its own imports count.
        return [t for t in modules[name].imports if t in modules and t not in modules[name].typing_only]

    def visit(root: str) -> None:
        work = [(root, iter(edges(root)))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges(child))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        item = stack.pop()
                        on_stack.discard(item)
                        component.append(item)
                        if item == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))

    for name in modules:
        if name not in index:
            visit(name)
    return out


def test_no_import_cycles():
    """No module reaches itself through imports, top-level or inside functions."""
    modules = project()
    lines = []
    for component in _cycles(modules):
        inside = set(component)
        lines.append("cycle: " + ", ".join(component))
        for name in component:
            for target, line in modules[name].imports.items():
                if target in inside and target not in modules[name].typing_only:
                    lines.append(f"    {name} → {target} (line {line})")
    assert not lines, "\n".join(lines)


def test_no_private_names_across_modules():
    """A name starting with _ belongs to its module: not imported, not reached as module._name."""
    found = [f"{m.path.relative_to(ROOT)} {use}" for m in project().values() for use in m.private_uses]
    assert not found, "private names used across modules:\n" + "\n".join(found)
