#!/usr/bin/env bash
# Configures and builds into build/ (Release, Ninja). Extra arguments go to cmake,
# e.g. scripts/build.sh -DMGRPO_BUILD_GUI=OFF -DTorch_DIR=/opt/libtorch/share/cmake/Torch
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${MGRPO_JOBS:-$(nproc)}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j "$jobs"
