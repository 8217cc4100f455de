#include "bench_common.h"

#include <torch/torch.h>

#include <algorithm>
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

double peakMatmulGflops() {
    double best = 0;
    for (int n : {1024, 2048}) {
        auto a = torch::randn({n, n}), b = torch::randn({n, n});
        const double s = bestSeconds(3, [&] { (void)torch::mm(a, b); });
        best = std::max(best, 2.0 * n * n * n / s / 1e9);
    }
    return best;
}

}  // namespace mgrpo::bench
