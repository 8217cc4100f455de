#!/usr/bin/env bash
# One command from a fresh machine to the running workbench (CPU, built-in
# environment, SQLite history in the platform's app-data folder).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/app/mgrpo-workbench "$@"
