"""README's layout section and docs/ARCHITECTURE.md keep in step with the tree: every package of the
three layers is named there, and every package they name exists. And every module stays a file a
reader can hold (at most 800 lines)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("cadre_desk", "reports", "ui")


def _packages() -> set[str]:
    return {f"{top}/{p.parent.name}" for top in LAYERS for p in (ROOT / top).glob("*/__init__.py")}


def _layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 目录 / Layout"):]
    return section[section.index("```") + 3:section.index("```", section.index("```") + 3)]


def test_readme_layout_names_every_package_and_no_other():
    named: set[str] = set()
    top = None
    for line in _layout_block().splitlines():
        head = re.match(r"^(\w+)/(.*)$", line)
        if head:  # a layer's line may list its packages in its description (reports: pdf/ excel/ lrmx/)
            top = head.group(1)
            found = re.findall(r"(\w+)/", head.group(2)) if top in LAYERS else []
        elif line.startswith("  "):  # its packages: the first column only
            found = re.findall(r"(\w+)/", re.split(r"\s{2,}", line.strip())[0])
        else:
            found = []
        if top in LAYERS:
            named |= {f"{top}/{name}" for name in found}
    packages = _packages()
    assert packages - named == set(), "README's layout does not name: " + ", ".join(sorted(packages - named))
    assert named - packages == set(), "README's layout names what is not there: " + ", ".join(sorted(named - packages))


def test_architecture_names_every_package():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [p for p in sorted(_packages()) if f"{p.split('/')[1]}/" not in text]
    assert not missing, "docs/ARCHITECTURE.md does not name: " + ", ".join(missing)
    for module in re.findall(r"`((?:cadre_desk|reports|ui)/[\w/]+\.py)`", text):
        assert (ROOT / module).exists(), module


def test_modules_a_reader_can_hold():
    long = [f"{p.relative_to(ROOT)}: {n} lines" for top in LAYERS for p in sorted((ROOT / top).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800]
    assert not long, "split by what the parts are in the domain:\n" + "\n".join(long)
