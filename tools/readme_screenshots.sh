#!/usr/bin/env bash
# README's four screenshots, made by the program itself: a demo database of 500 cadres (as on first
# start), every page and main dialog drawn at 1366×768 offscreen (python -m cadre_desk --screenshot,
# which also checks that each fits), and four of them copied to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run in the temporary folder: the status bar names the database as given (演示数据.db), not a path.
(cd "$work" && "$root/.venv/bin/python" -m cadre_desk --db 演示数据.db demo --cadres 500 --seed 1 &&
    "$root/.venv/bin/python" -m cadre_desk --db 演示数据.db --screenshot shots)
mkdir -p docs/screenshots
cp "$work/shots/home.png" docs/screenshots/home.png
cp "$work/shots/cadres.png" docs/screenshots/cadres.png
cp "$work/shots/cadres-打开档案.png" docs/screenshots/profile.png
cp "$work/shots/preview-干部任免审批表.png" docs/screenshots/print-preview.png
echo "已更新 docs/screenshots/（全部截图和检查结果在运行时的临时目录中，已删除）"
