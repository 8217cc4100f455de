#!/usr/bin/env bash
# Proves the CUDA path on a GPU server that has nothing but a CUDA LibTorch
# (the one inside a PyTorch wheel): builds core, CLI, core tests and the
# benchmarks without Qt, runs the core tests with the model tests on cuda:0,
# the benchmarks on the CPU and the GPU, and a short experiment on each.
#
#   scripts/cuda-check.sh [LOG_DIR]
#
# Environment:
#   MGRPO_PYTHON      Python with a CUDA torch (default: python3)
#   MGRPO_DEPS_PREFIX a prefix holding what the server lacks (nlohmann_json's
#                     headers and CMake files, sqlite3.h, googletest sources in
#                     <prefix>/src/googletest), e.g. Debian packages unpacked
#                     with dpkg -x, or copied from a machine that has them
#   JOBS              parallel compile jobs (default: all cores)
#   CTEST_ARGS        extra ctest arguments, e.g. "-E test_env_runtime"
#   SKIP_BENCH=1      skip the benchmarks
#   BACKTRACE="TEST ARGS" on a failing test suite, print this command's backtrace (gdb or cuda-gdb)
set -uo pipefail
cd "$(dirname "$0")/.."
LOG=${1:-/tmp/mgrpo-cuda-check}
mkdir -p "$LOG"
PY=${MGRPO_PYTHON:-python3}
PREFIX=${MGRPO_DEPS_PREFIX:-}
JOBS=${JOBS:-$(nproc)}
BUILD=build-cuda

step() { echo; echo "== $* ($(date +%T))"; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())'
TORCH_CMAKE=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)')
TORCH_LIB=$("$PY" -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
# The wheel's CUDA libraries live in nvidia/*/lib beside torch; the linker
# needs them to resolve libtorch_cuda.so's dependencies.
NV_LIBS=$("$PY" -c 'import torch, os, glob; print(":".join(glob.glob(os.path.join(os.path.dirname(os.path.dirname(torch.__file__)), "nvidia", "*", "lib")) + glob.glob(os.path.join(os.path.dirname(os.path.dirname(torch.__file__)), "nvidia", "cu*", "lib"))))')
export LD_LIBRARY_PATH="$TORCH_LIB:$NV_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}${PREFIX:+:$PREFIX/lib}"
command -v nvcc && nvcc --version | tail -1
c++ --version | head -1

cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DMGRPO_BUILD_GUI=OFF
            "-DCMAKE_PREFIX_PATH=$TORCH_CMAKE${PREFIX:+;$PREFIX}")
if [ -n "$PREFIX" ]; then
  cmake_args+=("-DSQLite3_INCLUDE_DIR=$PREFIX/include")
  [ -d "$PREFIX/src/googletest" ] && cmake_args+=("-DMGRPO_GTEST_SOURCE_DIR=$PREFIX/src/googletest")
fi
sqlite=$(ldconfig -p | awk '/libsqlite3\.so\.0 .*x86-64/ {print $NF; exit}')
[ -n "$sqlite" ] && cmake_args+=("-DSQLite3_LIBRARY=$sqlite")

step "configure"
cmake -S . -B "$BUILD" "${cmake_args[@]}" >"$LOG/configure.log" 2>&1
rc=$?; tail -5 "$LOG/configure.log"
[ $rc -eq 0 ] || { echo "configure failed"; grep -n -A5 "Error" "$LOG/configure.log" | head -60; exit 1; }

step "build ($JOBS jobs)"
# -k 0: report every compile error of this LibTorch at once.
cmake --build "$BUILD" -j "$JOBS" -- -k 0 >"$LOG/build.log" 2>&1
rc=$?; tail -3 "$LOG/build.log"
[ $rc -eq 0 ] || { echo "build failed"; grep -n -B2 -A6 "error" "$LOG/build.log" | head -150; exit 1; }

step "devices"
"$BUILD/cli/mgrpo" devices

step "core tests, model tests on cuda:0"
# shellcheck disable=SC2086
MGRPO_TEST_DEVICE=cuda:0 ctest --test-dir "$BUILD" -j 8 --timeout 300 --output-on-failure ${CTEST_ARGS:-} 2>&1 |
  tee "$LOG/ctest.log" | tail -45
if [ "${PIPESTATUS[0]}" -ne 0 ] && [ -n "${BACKTRACE:-}" ]; then
  gdb=$(command -v gdb || command -v cuda-gdb)
  # shellcheck disable=SC2086
  [ -n "$gdb" ] && MGRPO_TEST_DEVICE=cuda:0 timeout 120 "$gdb" -batch -ex run -ex bt --args "$BUILD"/$BACKTRACE 2>&1 | tail -40
fi
benchmarks() {
step "generation cpu vs cuda, C++ vs Python on each"
for dev in cuda:0 cpu; do
  MGRPO_PYTHON=$(command -v "$PY") timeout 240 "$BUILD/bench/bench_generation" --device "$dev" --repeats 2 \
    $([ "$dev" = cpu ] && echo --no-recompute) 2>&1 | tee -a "$LOG/bench_generation.log"
done

step "training step cpu vs cuda"
for dev in cuda:0 cpu; do
  timeout 180 "$BUILD/bench/bench_training" --device "$dev" --batches "$([ "$dev" = cpu ] && echo 8,16 || echo 8,16,64)" 2>&1 |
    tee -a "$LOG/bench_training.log"
done
}
[ "${SKIP_BENCH:-0}" = 1 ] || benchmarks

step "smoke experiment, cpu vs cuda"
for dev in cuda:0 cpu; do
  name=smoke-${dev/:/}  # no ':' in names copied back from a device machine
  rm -rf "/tmp/$name"
  t0=$(date +%s.%N)
  timeout 240 "$BUILD/cli/mgrpo" run experiments/smoke.json --steps 4 --device "$dev" --no-db \
    --out "/tmp/$name" --json >"$LOG/$name.jsonl" 2>"$LOG/$name.err"
  rc=$?
  echo "$dev: rc=$rc, $("$PY" -c "print(round($(date +%s.%N) - $t0, 1))") s wall"
  tail -2 "$LOG/$name.err"; tail -c 600 "$LOG/$name.jsonl"; echo
done
