// Shared bits of the benchmarks: the default model, timing, argument parsing.
#pragma once

#include "core/model/model_config.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace mgrpo::bench {

// The "small default model": d_model 256, 4 layers, 4 heads, context 512.
core::ModelConfig defaultModel();

// Seconds of wall time taken by f(), best of `repeats` runs after one warm-up.
double bestSeconds(int repeats, const std::function<void()>& f);

// --name value lookups with a default.
int intArg(const std::vector<std::string>& args, const std::string& name, int fallback);

// Measured peak of this machine's float32 matmul (GFLOP/s), from square matmuls.
double peakMatmulGflops();

}  // namespace mgrpo::bench
