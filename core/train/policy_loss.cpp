#include "core/train/policy_loss.h"

#include "core/util/json_fields.h"

namespace mgrpo::core {

torch::Tensor aggregate(const torch::Tensor& perToken, const torch::Tensor& mask, LossAggregation aggregation) {
    if (aggregation == LossAggregation::TokenMean) return (perToken * mask).sum() / mask.sum().clamp_min(1.0);
    // Mean over sequences that have tokens of each sequence's token mean.
    auto tokens = mask.sum(1);
    auto perSeq = (perToken * mask).sum(1) / tokens.clamp_min(1.0);
    auto present = (tokens > 0).to(perSeq.dtype());
    return (perSeq * present).sum() / present.sum().clamp_min(1.0);
}

torch::Tensor klK3(const torch::Tensor& logProbs, const torch::Tensor& refLogProbs) {
    auto d = refLogProbs - logProbs;
    return d.exp() - d - 1.0;
}

PolicyLossTerms policyLoss(const torch::Tensor& logp, const torch::Tensor& old, const torch::Tensor& adv,
                           const torch::Tensor& mask, const PolicyLossConfig& c,
                           const std::optional<torch::Tensor>& ref, const std::optional<torch::Tensor>& entropy) {
    PolicyLossTerms out;
    const auto lo = 1.0 - c.clipLow, hi = 1.0 + c.clipHigh;
    auto a = adv.view({-1, 1});
    torch::Tensor objective;
    if (c.ratio == RatioLevel::Token) {
        auto ratio = (logp - old).exp();
        auto unclipped = ratio * a;
        auto clipped = ratio.clamp(lo, hi) * a;
        auto surr = torch::min(unclipped, clipped);
        objective = aggregate(surr, mask, c.aggregation);
        auto active = (clipped < unclipped).to(torch::kFloat) * mask;
        out.clipFraction = (active.sum() / mask.sum().clamp_min(1.0)).item<double>();
    } else {
        // One ratio per sequence: the product of its token probability ratios.
        auto logRatio = ((logp - old) * mask).sum(1);
        auto ratio = logRatio.exp();
        auto surr = torch::min(ratio * adv, ratio.clamp(lo, hi) * adv);
        auto present = (mask.sum(1) > 0).to(surr.dtype());
        objective = (surr * present).sum() / present.sum().clamp_min(1.0);
        auto active = ((ratio.clamp(lo, hi) * adv < ratio * adv).to(torch::kFloat) * present);
        out.clipFraction = (active.sum() / present.sum().clamp_min(1.0)).item<double>();
    }
    auto loss = -objective;
    out.surrogate = objective.item<double>();
    {
        torch::NoGradGuard noGrad;
        out.approxKl = aggregate(klK3(logp, old), mask, c.aggregation).item<double>();
    }
    if (ref) {
        auto kl = aggregate(klK3(logp, *ref), mask, c.aggregation);
        out.klToRef = kl.item<double>();
        if (c.klCoef != 0) loss = loss + c.klCoef * kl;
    }
    if (entropy) {
        auto h = aggregate(*entropy, mask, c.aggregation);
        out.entropy = h.item<double>();
        if (c.entropyCoef != 0) loss = loss - c.entropyCoef * h;
    }
    out.loss = loss;
    return out;
}

std::string toString(RatioLevel l) { return l == RatioLevel::Token ? "token" : "sequence"; }
std::string toString(LossAggregation a) {
    return a == LossAggregation::TokenMean ? "token-mean" : "seq-mean-token-mean";
}
RatioLevel ratioLevelFromString(const std::string& s) {
    if (s == "token") return RatioLevel::Token;
    if (s == "sequence") return RatioLevel::Sequence;
    throw ConfigError("ratio_level = '" + s + "' is not token or sequence");
}
LossAggregation aggregationFromString(const std::string& s) {
    if (s == "token-mean") return LossAggregation::TokenMean;
    if (s == "seq-mean-token-mean") return LossAggregation::SeqMeanTokenMean;
    throw ConfigError("loss_aggregation = '" + s + "' is not token-mean or seq-mean-token-mean");
}

}  // namespace mgrpo::core
