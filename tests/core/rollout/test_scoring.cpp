// Scoring: log-probs and entropies against a per-sequence, unbatched reference.
#include "core/rollout/batching.h"
#include "core/rollout/scoring.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;
using mgrpo::test::testDevice;
using mgrpo::test::tinyConfig;

TEST(Scoring, BatchedRightPaddedEqualsOneSequenceAtATime) {
    auto model = makeTransformer(tinyConfig(), 5, testDevice());
    const std::vector<std::vector<int>> seqs{{4, 9, 2, 7, 7, 1}, {3, 3}, {8, 12, 30}};
    torch::NoGradGuard noGrad;
    auto batched = scoreSequences(model, seqs, 1.3);
    for (size_t i = 0; i < seqs.size(); ++i) {
        const auto& s = seqs[i];
        const auto T = static_cast<int64_t>(s.size());
        auto tokens = torch::tensor(std::vector<int64_t>(s.begin(), s.end()), torch::kLong).view({1, T}).to(testDevice());
        auto positions = torch::arange(T, tokens.options()).view({1, T});
        auto mask = attentionMask(torch::ones({1, T}, torch::TensorOptions().dtype(torch::kBool).device(testDevice())), 0, T);
        auto logp = torch::log_softmax(model->forward(tokens, positions, mask)[0] / 1.3, -1).to(torch::kCPU);
        for (int64_t t = 1; t < T; ++t) {
            const auto row = static_cast<int64_t>(i);
            EXPECT_NEAR(batched.logProbs[row][t].item<float>(), logp[t - 1][s[static_cast<size_t>(t)]].item<float>(), 1e-5);
            const auto ent = -(logp[t - 1].exp() * logp[t - 1]).sum().item<float>();
            EXPECT_NEAR(batched.entropy[row][t].item<float>(), ent, 1e-5);
            EXPECT_TRUE(batched.valid[row][t].item<bool>());
        }
        EXPECT_FALSE(batched.valid[static_cast<int64_t>(i)][0].item<bool>());
        for (int64_t t = T; t < batched.valid.size(1); ++t) {
            EXPECT_FALSE(batched.valid[static_cast<int64_t>(i)][t].item<bool>());
            EXPECT_EQ(batched.logProbs[static_cast<int64_t>(i)][t].item<float>(), 0.f);
        }
    }
}

TEST(Scoring, GradientsFlowToParameters) {
    auto model = makeTransformer(tinyConfig(), 6, testDevice());
    auto scores = scoreSequences(model, {{1, 2, 3, 4}});
    scores.logProbs.sum().backward();
    double norm = 0;
    for (const auto& p : model->parameters()) norm += p.grad().norm().item<double>();
    EXPECT_GT(norm, 0.0);
}
