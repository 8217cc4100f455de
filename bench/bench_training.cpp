// Training-step throughput (forward + backward + AdamW) of the policy model in
// tokens/s, and its model FLOP/s as a fraction of this machine's peak float32
// matmul rate measured in the same run.
//
//   bench_training [--seq 512] [--steps 3] [--device cpu|cuda:N] [--batches 1,4,8,16]
#include "bench_common.h"

#include "core/rollout/scoring.h"
#include "core/system/system_info.h"

#include <cstdio>
#include <sstream>

using namespace mgrpo;

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const int seq = bench::intArg(args, "--seq", 512);
    const int steps = bench::intArg(args, "--steps", 3);
    const int threads = core::configureThreads();
    const auto device = bench::deviceArg(args);
    std::vector<int> batches;
    for (std::stringstream list(bench::stringArg(args, "--batches", "1,4,8,16")); list.good();) {
        std::string item;
        std::getline(list, item, ',');
        batches.push_back(std::stoi(item));
    }
    const auto config = bench::defaultModel();
    auto model = core::makeTransformer(config, 0, device);
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-4));

    const double peak = bench::peakMatmulGflops(device);
    // Model FLOPs per trained token (PaLM appendix B): 6 N for the weights
    // (forward 2N + backward 4N, embeddings excluded but the tied head included)
    // plus 12 L d T for attention scores and values over a context of T.
    const double nonEmbedding = static_cast<double>(config.parameterCount()) -
                                static_cast<double>(config.contextLength) * config.dModel;
    const double flopsPerToken = 6.0 * nonEmbedding + 12.0 * config.nLayers * config.dModel * seq;

    std::printf("training: d_model %d, %d layers, seq %d, %d threads, LibTorch %s, %s\n", config.dModel,
                config.nLayers, seq, threads, core::libtorchVersion().c_str(), device.str().c_str());
    std::printf("peak float32 matmul: %.1f GFLOP/s\n", peak);
    std::printf("%6s %12s %14s %10s\n", "batch", "tokens/s", "model GFLOP/s", "of peak");
    for (int batch : batches) {
        const auto seqs = bench::tokenRows(batch, seq, config.vocabSize);
        const double s = bench::bestSeconds(steps, [&] {
            opt.zero_grad();
            auto scores = core::scoreSequences(model, seqs);
            auto loss = -scores.logProbs.sum() / scores.valid.sum();
            loss.backward();
            opt.step();
            bench::synchronize(device);
        });
        const double tps = batch * seq / s;
        const double gflops = tps * flopsPerToken / 1e9;
        std::printf("%6d %12.0f %14.1f %9.1f%%\n", batch, tps, gflops, 100.0 * gflops / peak);
        std::fflush(stdout);
    }
    return 0;
}
