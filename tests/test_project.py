"""The project itself: dependencies, README's first commands, CI and packaging files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_dependencies_have_lower_bounds(pyproject):
    project = pyproject["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    for requirement in requirements:
        assert ">=" in requirement, f"no lower bound: {requirement}"
    names = [re.split(r"[<>=\[; ]", r, maxsplit=1)[0].lower() for r in project["dependencies"]]
    assert "pyside6-essentials" in names
    assert "pyside6" not in names  # the meta-package drags in WebEngine (765 MB)
    assert "pyinstaller" in " ".join(project["optional-dependencies"]["build"]).lower()


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.match(r"\s*```\w*\n(.*?)```", text, re.S)
    assert first_block, "README must open with the commands"
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["bash tools/start.sh", "bash tools/test.sh"]


def test_scripts_and_packaging_files_exist():
    for name in ("tools/start.sh", "tools/test.sh", "tools/setup.sh", "tools/build_linux.sh", "tools/launcher.py",
                 "build.spec", ".ci/run", "bench/bench_foundation.py"):
        assert (ROOT / name).is_file(), name
    assert "tools/test.sh" in (ROOT / ".ci/run").read_text(encoding="utf-8")
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "launcher.py" in spec and '"resources"' in spec
    for dropped in ("virtualkeyboard", "qt6quick", "qt6qml", "qt6network", "translations", "qt6pdf"):
        assert dropped in spec


def test_bench_runs_on_a_small_database(tmp_path):
    """The benchmark script still runs end to end (figures at this size mean nothing)."""
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_foundation.py"), "--cadres", "120",
                          "--repeat", "1", "--workdir", str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode in (0, 1), out.stderr[-3000:]
    for label in ("空白 PySide6 窗口", "技术栈下限", "过滤：zs", "排序：name", "打开档案", "保存档案（改一项）", "峰值 RSS"):
        assert label in out.stdout
    assert "120 名干部" in out.stdout
