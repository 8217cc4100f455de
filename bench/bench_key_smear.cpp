// What smeared keys (model.key_smear) cost per step: the paper template's own
// models (planner and searcher configs) with and without smearing, same seed,
// timed for a training step (forward + backward + AdamW over a padded batch,
// as the trainer's update) and for KV-cached sampling (as a rollout). On a
// shared machine the two variants alternate round by round and each ratio is
// the median over rounds of smeared / plain time in the same round.
//
//   bench_key_smear [--rounds 5] [--batch 32] [--seq 0 (= context)] [--new-tokens 64] [--device cpu|cuda:N]
#include "bench_common.h"

#include "core/agents/topology.h"
#include "core/rollout/generation.h"
#include "core/rollout/scoring.h"
#include "core/system/system_info.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>

using namespace mgrpo;

namespace {

double seconds(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const int rounds = bench::intArg(args, "--rounds", 5);
    const int batch = bench::intArg(args, "--batch", 32);
    const int newTokens = bench::intArg(args, "--new-tokens", 64);
    const int seqArg = bench::intArg(args, "--seq", 0);  // 0: each model's context
    const int threads = core::configureThreads();
    const auto device = bench::deviceArg(args);

    std::printf("smeared keys: paper template's models, batch %d, %d rounds, %d threads, LibTorch %s, %s\n", batch,
                rounds, threads, core::libtorchVersion().c_str(), device.str().c_str());
    std::printf("%-9s %6s %4s %14s %14s %7s %14s %14s %7s\n", "agent", "params", "seq", "train plain s",
                "train smear s", "x train", "sample plain s", "sample smear s", "x sample");
    for (const auto& agent : core::paperTopology().agents) {
        auto config = agent.model;
        const int seq = seqArg > 0 ? seqArg : config.contextLength;
        std::vector<core::TransformerLM> models;
        std::vector<std::unique_ptr<torch::optim::AdamW>> optimizers;
        for (bool smear : {false, true}) {
            config.keySmear = smear;
            models.push_back(core::makeTransformer(config, 0, device));
            optimizers.push_back(
                std::make_unique<torch::optim::AdamW>(models.back()->parameters(), torch::optim::AdamWOptions(1e-4)));
        }
        const auto trainSeqs = bench::tokenRows(batch, seq, config.vocabSize);
        const auto prompts = bench::tokenRows(batch, std::max(1, seq - newTokens), config.vocabSize);
        core::SamplingParams params;
        params.maxNewTokens = newTokens;
        params.seed = 1;

        std::vector<double> train[2], sample[2], xTrain, xSample;
        for (int r = 0; r <= rounds; ++r) {  // round 0 is untimed
            for (int v = 0; v < 2; ++v) {
                const double t = seconds([&] {
                    optimizers[v]->zero_grad();
                    auto scores = core::scoreSequences(models[v], trainSeqs);
                    (-scores.logProbs.sum() / scores.valid.sum()).backward();
                    optimizers[v]->step();
                    bench::synchronize(device);
                });
                const double s = seconds([&] {
                    core::generate(models[v], prompts, params);
                    bench::synchronize(device);
                });
                if (r > 0) train[v].push_back(t), sample[v].push_back(s);
            }
            if (r > 0) {
                xTrain.push_back(train[1].back() / train[0].back());
                xSample.push_back(sample[1].back() / sample[0].back());
            }
        }
        std::printf("%-9s %6lld %4d %14.3f %14.3f %7.3f %14.3f %14.3f %7.3f\n", agent.id.c_str(),
                    static_cast<long long>(config.parameterCount()), seq, bench::median(train[0]),
                    bench::median(train[1]), bench::median(xTrain), bench::median(sample[0]), bench::median(sample[1]),
                    bench::median(xSample));
        std::fflush(stdout);
    }
    std::printf("(seconds: medians over rounds of one step; x: median of smeared / plain within each round)\n");
    return 0;
}
