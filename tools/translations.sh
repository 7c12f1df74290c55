#!/usr/bin/env bash
# Refresh Qt's Chinese translations in resources/translations (committed; run after upgrading PySide6):
#   qtbase_zh_CN.qm         copied from the PySide6 wheel (standard buttons, dialogs, context menus)
#   cadre_desk_qt_zh_CN.qm  compiled from cadre_desk_qt_zh_CN.ts: the strings the wheel's file leaves
#                           in English ("Look in:", "Files of type:", the print dialog's page set …)
# tests/test_chinese_ui.py fails when a Qt dialog shows English or the .qm lags behind its .ts.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
wheel=$("$PY" -c "import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent)")
cp "$wheel/Qt/translations/qtbase_zh_CN.qm" resources/translations/
"$wheel/lrelease" -silent resources/translations/cadre_desk_qt_zh_CN.ts -qm resources/translations/cadre_desk_qt_zh_CN.qm
echo "已更新 resources/translations"
