// The training path end to end: a tiny model learns a deterministic
// next-token rule with AdamW, so loss must fall far below its start.
#include "core/rollout/scoring.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mgrpo::core;
using mgrpo::test::testDevice;
using mgrpo::test::tinyConfig;

TEST(Training, TinyModelLearnsANextTokenRule) {
    const int vocab = 24;
    auto model = makeTransformer(tinyConfig(vocab), 1, testDevice());
    // Sequences follow x_{t+1} = (3 x_t + 1) mod 20 + 4, from random starts.
    std::mt19937 rng(0);
    auto batch = [&] {
        std::vector<std::vector<int>> seqs;
        for (int b = 0; b < 16; ++b) {
            std::vector<int> s{4 + static_cast<int>(rng() % 20)};
            for (int t = 1; t < 12; ++t) s.push_back((3 * (s.back() - 4) + 1) % 20 + 4);
            seqs.push_back(s);
        }
        return seqs;
    };
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(3e-3).weight_decay(0.0));
    auto lossOf = [&](const std::vector<std::vector<int>>& seqs) {
        auto s = scoreSequences(model, seqs);
        return -(s.logProbs.sum() / s.valid.sum());
    };
    const double initial = lossOf(batch()).item<double>();
    EXPECT_NEAR(initial, std::log(vocab), 0.5) << "an untrained model is close to uniform";
    for (int step = 0; step < 150; ++step) {
        opt.zero_grad();
        auto loss = lossOf(batch());
        loss.backward();
        opt.step();
    }
    torch::NoGradGuard noGrad;
    const double final = lossOf(batch()).item<double>();
    EXPECT_LT(final, 0.1 * initial) << "initial " << initial << " final " << final;
}
