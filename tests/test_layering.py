"""The core and reports never load Qt (DESIGN.md: arrows go one way)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_and_reports_import_no_qt():
    code = (
        "import sys, pkgutil, importlib\n"
        "import cadre_desk, reports\n"
        "for pkg in (cadre_desk, reports):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt'))]\n"
        "assert not bad, bad\n"
        "core_rl = [m for m in sys.modules if m.startswith('reportlab')]\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "ok" in out.stdout


def test_core_imports_no_reportlab():
    code = (
        "import sys, pkgutil, importlib, cadre_desk\n"
        "for m in pkgutil.walk_packages(cadre_desk.__path__, 'cadre_desk.'):\n"
        "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('reportlab', 'PySide6'))]\n"
        "assert not bad, bad\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
