#include "bench_common.h"

#include "core/system/device.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace mgrpo::bench {

core::ModelConfig defaultModel() {
    core::ModelConfig c;
    c.vocabSize = 512;
    c.dModel = 256;
    c.nLayers = 4;
    c.nHeads = 4;
    c.contextLength = 512;
    c.positional = "learned";  // as the Python baseline (python/generation_baseline.py)
    return c;
}

std::vector<std::vector<int>> tokenRows(int batch, int length, int vocab, int rowStride, int stepStride) {
    std::vector<std::vector<int>> out(static_cast<size_t>(batch));
    for (int b = 0; b < batch; ++b)
        for (int t = 0; t < length; ++t)
            out[static_cast<size_t>(b)].push_back(4 + (b * rowStride + t * stepStride) % (vocab - 4));
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double bestSeconds(int repeats, const std::function<void()>& f) {
    f();
    double best = 1e300;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

int intArg(const std::vector<std::string>& args, const std::string& name, int fallback) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == name) return std::stoi(args[i + 1]);
    return fallback;
}

c10::Device deviceArg(const std::vector<std::string>& args) {
    try {
        return core::parseDevice(stringArg(args, "--device", "cpu"));
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "%s\n", e.what());
        std::exit(2);
    }
}

void synchronize(const c10::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

std::string stringArg(const std::vector<std::string>& args, const std::string& name, const std::string& fallback) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == name) return args[i + 1];
    return fallback;
}

double peakMatmulGflops(const c10::Device& device) {
    double best = 0;
    const std::vector<int> sizes = device.is_cuda() ? std::vector<int>{4096, 8192} : std::vector<int>{1024, 2048};
    for (int n : sizes) {
        auto a = torch::randn({n, n}, device), b = torch::randn({n, n}, device);
        const double s = bestSeconds(3, [&] {
            (void)torch::mm(a, b);
            synchronize(device);
        });
        best = std::max(best, 2.0 * n * n * n / s / 1e9);
    }
    return best;
}

}  // namespace mgrpo::bench
