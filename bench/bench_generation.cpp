// Generation throughput of the rollout engine: KV cache vs full recomputation,
// and the C++ engine vs the same model and sampling loop in Python/PyTorch
// (bench/python/generation_baseline.py, run by this binary on the same shapes).
//
//   bench_generation [--new-tokens 256] [--prompt 32] [--repeats 2] [--device cpu|cuda:N]
//                    [--no-recompute] [--no-python] [--only-batch N]
// The Python interpreter is /usr/bin/python3 (Debian's python3-torch) unless
// MGRPO_PYTHON names another (a GPU server's PyTorch, say).
#include "bench_common.h"

#include "core/rollout/generation.h"
#include "core/system/system_info.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

using namespace mgrpo;

namespace {

nlohmann::json runPython(const std::string& args) {
    const char* python = std::getenv("MGRPO_PYTHON");
    const std::string cmd = std::string(python && *python ? python : "/usr/bin/python3") + " " MGRPO_PY_BASELINE " " + args;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) return nullptr;
    std::string out;
    std::array<char, 4096> buf{};
    while (fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
    try {
        return nlohmann::json::parse(out);
    } catch (...) {
        std::cerr << "python baseline failed: " << out << '\n';
        return nullptr;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto has = [&](const std::string& f) { return std::find(args.begin(), args.end(), f) != args.end(); };
    const int newTokens = bench::intArg(args, "--new-tokens", 256);
    const int promptLen = bench::intArg(args, "--prompt", 32);
    const int repeats = bench::intArg(args, "--repeats", 2);
    const int threads = core::configureThreads();
    const int only = bench::intArg(args, "--only-batch", 0);
    const auto device = bench::deviceArg(args);
    const std::vector<int> batches = only > 0 ? std::vector<int>{only} : std::vector<int>{1, 16, 64};

    const auto config = bench::defaultModel();
    auto model = core::makeTransformer(config, 0, device);
    core::SamplingParams params;
    params.maxNewTokens = newTokens;
    params.seed = 1;

    nlohmann::json py;
    if (!has("--no-python")) {
        std::string list;
        for (int b : batches) list.append(list.empty() ? "" : ",").append(std::to_string(b));
        py = runPython("--batches " + list + " --new-tokens " + std::to_string(newTokens) + " --prompt " +
                       std::to_string(promptLen) + " --threads " + std::to_string(threads) + " --repeats " +
                       std::to_string(repeats) + " --device " + device.str());
    }

    std::printf("generation: d_model %d, %d layers, %d heads, vocab %d, prompt %d, %d new tokens, %d threads, "
                "LibTorch %s, %s\n",
                config.dModel, config.nLayers, config.nHeads, config.vocabSize, promptLen, newTokens, threads,
                core::libtorchVersion().c_str(), device.str().c_str());
    std::printf("%6s %14s %14s %9s %14s %11s\n", "batch", "cached tok/s", "recomp tok/s", "cache x", "python tok/s",
                "C++/python");
    for (int batch : batches) {
        const auto p = bench::tokenRows(batch, promptLen, config.vocabSize, 31, 7);
        const double tokens = static_cast<double>(batch) * newTokens;
        core::GenerationOptions cached;
        const double tc = bench::bestSeconds(repeats, [&] {
            core::generate(model, p, params, cached);
            bench::synchronize(device);
        });
        double tr = 0;
        if (!has("--no-recompute")) {
            core::GenerationOptions recompute;
            recompute.useCache = false;
            tr = bench::bestSeconds(1, [&] {
                core::generate(model, p, params, recompute);
                bench::synchronize(device);
            });
        }
        const double pyTps = py.is_object() ? py.value(std::to_string(batch), 0.0) : 0.0;
        std::printf("%6d %14.0f %14.0f %9.2f %14.0f %11.2f\n", batch, tokens / tc, tr > 0 ? tokens / tr : 0.0,
                    tr > 0 ? tr / tc : 0.0, pyTps, pyTps > 0 ? (tokens / tc) / pyTps : 0.0);
        std::fflush(stdout);
    }
    return 0;
}
