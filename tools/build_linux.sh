#!/usr/bin/env bash
# Build the one-folder app with PyInstaller (dist/cadre_desk/) and check the frozen binary in a bare
# environment: --self-check (fonts, Qt's translations, reportlab's accelerator, calamine, PDFium, a new
# database), then --smoke on a fresh temporary demo database (the main window offscreen, exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${CADRE_DESK_PYTHON:-}"
if [ -z "$PY" ]; then
    bash tools/setup.sh
    .venv/bin/python -m pip install -q -e ".[build]"
    PY=.venv/bin/python
fi
"$PY" -m PyInstaller build.spec --noconfirm --clean --log-level WARN

app=dist/cadre_desk/cadre_desk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# As on an office PC: nothing of this checkout's environment (no .venv, no PYTHONPATH), a new home.
bare() {
    env -i HOME="$tmp/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        CADRE_DESK_HOME="$tmp/home" "$app" "$@"
}
echo "自检：$app --self-check"
bare --self-check
echo "冒烟测试：$app --db $tmp/smoke.sqlite3 --smoke"
bare --db "$tmp/smoke.sqlite3" demo --cadres 20 >/dev/null
bare --db "$tmp/smoke.sqlite3" --smoke
echo "打包完成：$(du -sh dist/cadre_desk | cut -f1)  dist/cadre_desk/"
