#!/usr/bin/env bash
# Installs the Debian packages the workbench needs; skips what is already there.
#   scripts/install-deps.sh          everything (GUI, tests, benchmarks)
#   scripts/install-deps.sh --core   only what the headless core/CLI/tests need
set -euo pipefail

core=(build-essential cmake ninja-build ccache libtorch-dev nlohmann-json3-dev libsqlite3-dev
      libgloo-dev libopenblas0-pthread libgtest-dev sqlite3)
gui=(qt6-base-dev libqcustomplot-dev xvfb xauth imagemagick fonts-dejavu-core python3-torch python3-matplotlib)

packages=("${core[@]}")
[[ "${1:-}" == "--core" ]] || packages+=("${gui[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
