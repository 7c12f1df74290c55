"""What the one-folder build (build.spec, PyInstaller) must bring along, checked without running PyInstaller
(not installed for the tests; a build takes minutes): every module imported by name — inside exec() or
importlib, where PyInstaller's analysis cannot see it — by our code or by our dependencies, and every
file of resources/ the code opens. And ``--self-check``, which checks the same in a built bundle."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
OUR_PACKAGES = ("cadre_desk", "ui", "reports")

# A module named in a string that Python imports: exec("from X import …") (reportlab's rl_accel and
# rl_config), importlib.import_module("X"), __import__("X").
_EXEC_IMPORT = re.compile(r"\w*exec\(\s*['\"](?:from\s+([\w.]+)\s+import|import\s+([\w.]+))")
_NAMED_IMPORT = re.compile(r"(?:import_module|__import__)\(\s*['\"]([\w.]+)['\"]")


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"))


def _hiddenimports() -> set[str]:
    """The names build.spec adds to ``hiddenimports`` (the literal lists)."""
    names = set()
    for node in ast.walk(_spec_tree()):
        if isinstance(node, (ast.AugAssign, ast.Assign)):
            targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "hiddenimports" for t in targets) \
                    and isinstance(node.value, ast.List):
                names |= {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    return names


def _collected_packages() -> set[str]:
    """The packages whose every submodule build.spec takes (``for package in (…): collect_submodules``)."""
    for node in ast.walk(_spec_tree()):
        if isinstance(node, ast.For) and "collect_submodules" in ast.unparse(node):
            return {e.value for e in node.iter.elts}
    return set()


def _bundled(name: str) -> bool:
    top = name.split(".")[0]
    return name in _hiddenimports() or top in _collected_packages()


def _keep():
    """build.spec's filter of the collected files, run on its own (the rest of the spec needs PyInstaller)."""
    wanted = [n for n in _spec_tree().body if (isinstance(n, ast.FunctionDef) and n.name == "_keep")
              or (isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "DROPPED" for t in n.targets))]
    namespace: dict = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)  # noqa: S102
    return namespace["_keep"]


def _runtime_distributions() -> list[str]:
    """pyproject's dependencies and the extras the build bundles when installed (encryption)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["encryption"]
    return [re.match(r"[A-Za-z0-9_.-]+", r).group(0) for r in requirements]


def _source_files(distribution: str) -> list[Path]:
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:  # an extra not installed here (sqlcipher3 elsewhere)
        return []
    return [Path(dist.locate_file(f)) for f in dist.files or ()
            if f.suffix == ".py" and not {"tests", "test"} & set(f.parts)]


def _our_code() -> list[Path]:
    files = [p for package in OUR_PACKAGES for p in (ROOT / package).rglob("*.py")]
    return [*files, ROOT / "tools" / "launcher.py"]


def test_the_spec_takes_every_module_of_our_packages():
    """Our features are imported by name (cli.COMMANDS, features.py's lazy(), the window's module lists):
    build.spec takes every submodule of each of our packages."""
    tops = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"}
    assert _collected_packages() == set(OUR_PACKAGES) == tops


def test_every_module_our_code_imports_by_name_is_bundled():
    names = set()
    for path in _our_code():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if func in ("import_module", "__import__", "lazy", "find_spec"):
                    names.add(node.args[0].value)
    from cadre_desk import __main__ as root
    from cadre_desk import cli
    from ui.shell import app

    root.register_all()
    names |= {*cli.COMMANDS, *cli.WINDOW_CORE_MODULES, *app.WINDOW_UI_MODULES}
    assert len(names) > 20
    missing = sorted(n for n in names if importlib.util.find_spec(n) is not None and not _bundled(n))
    assert not missing, f"imported by name, not in build.spec's hiddenimports: {missing}"


def test_every_module_our_dependencies_import_inside_exec_or_importlib_is_a_hidden_import():
    """reportlab imports its C accelerator (``exec('from _rl_accel import …')``) and its settings
    (``rl_exec('from reportlab.rl_settings import *')``) inside exec(): PyInstaller does not see them,
    and a frozen build without _rl_accel makes every PDF slower, one without rl_settings none at all.
    An optional module that is not installed here (reportlab_settings) is left out."""
    found: dict[str, str] = {}
    scanned = 0
    for distribution in _runtime_distributions():
        for path in _source_files(distribution):
            scanned += 1
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in (*_EXEC_IMPORT.finditer(text), *_NAMED_IMPORT.finditer(text)):
                name = next(g for g in match.groups() if g)
                found.setdefault(name, f"{path.name}: {match.group(0)}")
    assert scanned > 500  # reportlab, openpyxl, peewee … were read
    assert {"_rl_accel", "reportlab.rl_settings"} <= set(found)
    installed = {name: where for name, where in found.items() if importlib.util.find_spec(name) is not None}
    missing = {name: where for name, where in installed.items() if not _bundled(name)}
    assert not missing, f"add to build.spec's hiddenimports: {missing}"


def test_every_resource_file_survives_the_spec_filter():
    """resources/ is bundled whole (datas) and build.spec's filter of Qt's files ("translations",
    "qt6pdf" …) keeps every file of it: the fonts, Qt's translations, the code tables."""
    analysis = next(n for n in ast.walk(_spec_tree()) if isinstance(n, ast.Call)
                    and getattr(n.func, "id", "") == "Analysis")
    datas = next(k.value for k in analysis.keywords if k.arg == "datas")
    assert ast.unparse(datas) == "[(os.path.join(ROOT, 'resources'), 'resources')]"
    keep = _keep()
    files = [p for p in (ROOT / "resources").rglob("*") if p.is_file()]
    assert len(files) > 15
    for path in files:
        dest = "resources/" + path.relative_to(ROOT / "resources").as_posix()
        assert keep((dest, str(path), "DATA")), dest
    assert not keep(("PySide6/Qt/translations/qtbase_de.qm", "/x/PySide6/Qt/translations/qtbase_de.qm", "DATA"))


def test_every_resource_the_code_opens_exists_and_is_found_through_paths():
    """A file of resources/ named in the code exists; and the code finds resources/ only through
    cadre_desk.paths (under _MEIPASS when frozen): a path of its own beside the checkout would read
    outside the bundle, or fail there."""
    from reports.pdf.pdf_common import FONT_FILES
    from ui.shell.app import QT_TRANSLATIONS

    named = [("fonts", f) for f in FONT_FILES.values()] + [("translations", f) for f in QT_TRANSLATIONS]
    elsewhere = []
    for path in _our_code():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "resource" and node.args \
                    and all(isinstance(a, ast.Constant) for a in node.args):
                named.append(tuple(a.value for a in node.args))
            if isinstance(node, ast.Constant) and node.value == "resources" and path.name != "paths.py":
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(named) > 6
    for parts in named:
        assert (ROOT / "resources").joinpath(*parts).exists(), parts
    assert not elsewhere, f"resources/ found without cadre_desk.paths: {elsewhere}"


def test_the_frozen_app_finds_resources_inside_the_bundle(monkeypatch, tmp_path):
    from cadre_desk import paths

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resource("fonts", "x.ttf") == tmp_path / "resources" / "fonts" / "x.ttf"


# ---- --self-check ---------------------------------------------------------------------------------


def test_self_check_passes_in_the_checkout(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CADRE_DESK_HOME=str(tmp_path / "home"))
    out = subprocess.run([sys.executable, "-m", "cadre_desk", "--self-check"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    for what in ("资源目录", "代码表", "PDF 字体", "界面字体", "Qt 中文翻译", "PDF 加速", "Excel 读取",
                 "打印预览", "数据库"):
        assert any(line.startswith(f"[正常] {what}：") for line in lines), (what, out.stdout)
    assert lines[-1] == "自检通过。"
    assert not list(tmp_path.glob("home/*.sqlite3"))  # its database was a temporary one


@pytest.fixture
def bundle_without_resources(monkeypatch, tmp_path, qapp):
    """A frozen build that lost resources/ and reportlab's C accelerator."""
    from reportlab.lib import rl_accel

    from ui.shell import self_check

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    # the translations are looked for again (once a QApplication, ui.shell.app), and the tests' own come back
    monkeypatch.setattr(qapp, "_qt_translators", None, raising=False)
    monkeypatch.setattr(rl_accel, "_c_funcs", {})
    monkeypatch.setattr(self_check, "_database", lambda folder: "（此处不测）")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import python_calamine fails
    return self_check


def test_self_check_names_what_a_bundle_lacks_and_fails(bundle_without_resources, capsys):
    assert bundle_without_resources.run() == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    for what in ("资源目录", "PDF 字体", "界面字体", "Qt 中文翻译", "PDF 加速"):
        assert any(line.startswith(f"[失败] {what}：") for line in lines), (what, out)
    assert "[失败] Excel 读取：缺少组件 python_calamine（安装不完整）" in lines
    assert any(line.startswith("[正常] 打印预览") for line in lines)
    assert "自检未通过" in err
