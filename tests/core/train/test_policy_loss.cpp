// The clipped surrogate, KL and aggregation: hand-computed cases and a
// loop-based reference against the vectorised implementation.
#include "core/train/policy_loss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace mgrpo::core;

namespace {

// Straightforward loops over the definition (token ratio).
double referenceTokenObjective(const torch::Tensor& lp, const torch::Tensor& old, const torch::Tensor& adv,
                               const torch::Tensor& mask, double lo, double hi, bool seqMean) {
    double total = 0, count = 0, seqSum = 0, seqs = 0;
    for (int64_t n = 0; n < lp.size(0); ++n) {
        double s = 0, c = 0;
        for (int64_t t = 0; t < lp.size(1); ++t) {
            if (mask[n][t].item<float>() == 0) continue;
            const double r = std::exp(lp[n][t].item<double>() - old[n][t].item<double>());
            const double a = adv[n].item<double>();
            const double v = std::min(r * a, std::clamp(r, 1 - lo, 1 + hi) * a);
            s += v;
            c += 1;
        }
        total += s;
        count += c;
        if (c > 0) seqSum += s / c, seqs += 1;
    }
    return seqMean ? seqSum / seqs : total / count;
}

}  // namespace

TEST(PolicyLoss, HandComputedTokenCase) {
    // One sequence, two tokens; ratios e^0.5 = 1.6487 (clipped to 1.28) and e^-0.5 = 0.6065 (clipped to 0.8).
    auto lp = torch::tensor({{0.0, -1.0}}, torch::kDouble);
    auto old = torch::tensor({{-0.5, -0.5}}, torch::kDouble);
    auto mask = torch::ones({1, 2}, torch::kDouble);
    PolicyLossConfig c;
    // A = +1: min(1.6487, 1.28) = 1.28 ; min(0.6065, 0.8) = 0.6065 -> mean 0.94326
    auto pos = policyLoss(lp, old, torch::tensor({1.0}, torch::kDouble), mask, c);
    EXPECT_NEAR(pos.surrogate, (1.28 + std::exp(-0.5)) / 2, 1e-9);
    EXPECT_NEAR(pos.clipFraction, 0.5, 1e-9);
    // A = -1: min(-1.6487, -1.28) = -1.6487 ; min(-0.6065, -0.8) = -0.8
    auto neg = policyLoss(lp, old, torch::tensor({-1.0}, torch::kDouble), mask, c);
    EXPECT_NEAR(neg.surrogate, (-std::exp(0.5) - 0.8) / 2, 1e-9);
    EXPECT_NEAR(neg.loss.item<double>(), -neg.surrogate, 1e-12);
}

TEST(PolicyLoss, VectorisedEqualsLoopReference) {
    torch::manual_seed(3);
    auto lp = -torch::rand({6, 9}, torch::kDouble) * 2;
    auto old = lp + torch::randn({6, 9}, torch::kDouble) * 0.3;
    auto adv = torch::randn({6}, torch::kDouble);
    auto mask = (torch::rand({6, 9}) > 0.3).to(torch::kDouble);
    mask[5].zero_();  // a masked slot contributes nothing
    for (auto agg : {LossAggregation::TokenMean, LossAggregation::SeqMeanTokenMean}) {
        PolicyLossConfig c;
        c.aggregation = agg;
        const auto got = policyLoss(lp, old, adv, mask, c).surrogate;
        const auto want = referenceTokenObjective(lp, old, adv, mask, c.clipLow, c.clipHigh,
                                                  agg == LossAggregation::SeqMeanTokenMean);
        EXPECT_NEAR(got, want, 1e-9) << toString(agg);
    }
}

TEST(PolicyLoss, SequenceRatioIsTheProductOfTokenRatios) {
    auto lp = torch::tensor({{-1.0, -2.0, -0.5}}, torch::kDouble);
    auto old = torch::tensor({{-1.1, -2.05, -0.5}}, torch::kDouble);
    auto mask = torch::tensor({{1.0, 1.0, 0.0}}, torch::kDouble);
    PolicyLossConfig c;
    c.ratio = RatioLevel::Sequence;
    const double rho = std::exp(0.1) * std::exp(0.05);  // 1.1618 < 1.28: unclipped
    EXPECT_NEAR(policyLoss(lp, old, torch::tensor({2.0}, torch::kDouble), mask, c).surrogate, 2.0 * rho, 1e-9);
    EXPECT_NEAR(policyLoss(lp, old, torch::tensor({2.0}, torch::kDouble), mask, c).clipFraction, 0.0, 1e-12);
}

TEST(PolicyLoss, KlK3AndEntropyTerms) {
    auto lp = torch::tensor({{-1.0, -2.0}}, torch::kDouble);
    auto ref = torch::tensor({{-1.5, -1.0}}, torch::kDouble);
    auto mask = torch::ones({1, 2}, torch::kDouble);
    // k3(d) = e^d - d - 1 with d = ref - lp = -0.5, 1.0
    const double k = ((std::exp(-0.5) + 0.5 - 1) + (std::exp(1.0) - 1.0 - 1)) / 2;
    PolicyLossConfig c;
    c.klCoef = 0.1;
    c.entropyCoef = 0.01;
    auto ent = torch::tensor({{0.7, 0.3}}, torch::kDouble);
    auto out = policyLoss(lp, lp.clone(), torch::tensor({0.0}, torch::kDouble), mask, c, ref, ent);
    EXPECT_NEAR(out.klToRef, k, 1e-9);
    EXPECT_NEAR(out.entropy, 0.5, 1e-12);
    EXPECT_NEAR(out.loss.item<double>(), 0.1 * k - 0.01 * 0.5, 1e-9);  // surrogate is 0 with A = 0
    EXPECT_NEAR(out.approxKl, 0.0, 1e-12);                             // new == old
    EXPECT_GE(klK3(torch::randn({50}), torch::randn({50})).min().item<double>(), 0.0);  // k3 >= 0
}

TEST(PolicyLoss, GradientRaisesLogProbOfPositiveAdvantageTokens) {
    auto lp = torch::tensor({{-1.0, -1.0}}, torch::TensorOptions().dtype(torch::kDouble).requires_grad(true));
    auto old = torch::tensor({{-1.0, -1.0}}, torch::kDouble);
    auto out = policyLoss(lp, old, torch::tensor({1.0}, torch::kDouble), torch::ones({1, 2}, torch::kDouble), {});
    out.loss.backward();
    // d(-mean(ratio * A))/d lp = -A * ratio / 2 = -0.5 per token at ratio 1.
    EXPECT_NEAR(lp.grad()[0][0].item<double>(), -0.5, 1e-12);
}
