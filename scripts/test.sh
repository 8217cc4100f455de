#!/usr/bin/env bash
# One command from a fresh machine to a tested build: installs dependencies,
# builds everything, runs the whole CTest suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "$@"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --timeout 600 -j "${MGRPO_TEST_JOBS:-1}"
