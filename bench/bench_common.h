// Shared bits of the benchmarks: the default model, timing, argument parsing.
#pragma once

#include "core/model/model_config.h"

#include <c10/core/Device.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace mgrpo::bench {

// --device cpu|cuda:N (default cpu); validated through core::parseDevice.
c10::Device deviceArg(const std::vector<std::string>& args);
// Waits for queued GPU work so wall-clock timings cover it (no-op on the CPU).
void synchronize(const c10::Device& device);

// The "small default model": d_model 256, 4 layers, 4 heads, context 512.
core::ModelConfig defaultModel();

// Seconds of wall time taken by f(), best of `repeats` runs after one warm-up.
// f must synchronize itself when it queues GPU work.
double bestSeconds(int repeats, const std::function<void()>& f);

// `batch` rows of `length` deterministic tokens in [4, vocab) (ids below 4 are
// special): token t of row b is 4 + (b * rowStride + t * stepStride) % (vocab - 4).
std::vector<std::vector<int>> tokenRows(int batch, int length, int vocab, int rowStride = 13, int stepStride = 5);

// Median of a non-empty sample (the mean of the middle two for an even count).
double median(std::vector<double> values);

// --name value lookups with a default.
int intArg(const std::vector<std::string>& args, const std::string& name, int fallback);

// Measured peak float32 matmul rate (GFLOP/s) of `device`, from square matmuls
// (TF32 stays off on GPUs, LibTorch's default, so this is true float32).
double peakMatmulGflops(const c10::Device& device);

// "--name value" string lookup with a default.
std::string stringArg(const std::vector<std::string>& args, const std::string& name, const std::string& fallback);

}  // namespace mgrpo::bench
