#!/usr/bin/env bash
# Build the one-folder app with PyInstaller (dist/cadre_desk/) and smoke-test the frozen binary:
# it opens a fresh temporary database, shows the main window offscreen and exits 0.
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
echo "冒烟测试：$app --db $tmp/smoke.sqlite3 --smoke"
QT_QPA_PLATFORM=offscreen CADRE_DESK_HOME="$tmp/home" "$app" --db "$tmp/smoke.sqlite3" demo --cadres 20 >/dev/null
QT_QPA_PLATFORM=offscreen CADRE_DESK_HOME="$tmp/home" "$app" --db "$tmp/smoke.sqlite3" --smoke
echo "打包完成：$(du -sh dist/cadre_desk | cut -f1)  dist/cadre_desk/"
