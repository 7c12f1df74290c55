#!/usr/bin/env bash
# Install (when needed) and start cadre_desk; the first start builds a demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/python -m cadre_desk --demo-if-new "$@"
