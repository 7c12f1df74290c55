#!/usr/bin/env bash
# Install (when needed) and run the whole test suite, offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check .
set +e
.venv/bin/python -m pytest -q "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest 没有收集到任何测试" >&2
    exit 1
fi
exit "$status"
