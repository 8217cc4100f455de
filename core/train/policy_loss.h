// Core-internal: the per-agent objective of MGRPO.md section 5 as small pure
// tensor functions (names follow verl/TRL so configs cross-reference).
//   token ratio     rho_t = exp(logp_t - old_t)            (the paper's code)
//   sequence ratio  rho   = exp(sum_t logp_t - old_t)      (the paper's text)
//   surrogate       min(rho A, clip(rho, 1 - eps_low, 1 + eps_high) A), maximised
//   k3 KL           exp(ref - logp) - (ref - logp) - 1      per token
//   aggregation     token-mean | seq-mean-token-mean
// All inputs are [N, T] over N sequences (slots) except advantages/weights [N].
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>

namespace mgrpo::core {

enum class RatioLevel { Token, Sequence };
enum class LossAggregation { TokenMean, SeqMeanTokenMean };

struct PolicyLossConfig {
    double clipLow = 0.2;    // eps_low (paper's code)
    double clipHigh = 0.28;  // eps_high, "clip-higher"
    RatioLevel ratio = RatioLevel::Token;
    LossAggregation aggregation = LossAggregation::TokenMean;
    double klCoef = 0.0;       // weight of k3 KL to the reference policy (paper: 0)
    double entropyCoef = 0.0;  // weight of the entropy bonus (paper: 0)
};

struct PolicyLossTerms {
    torch::Tensor loss;        // scalar to minimise: -surrogate + kl_coef KL - entropy_coef H
    double surrogate = 0;      // aggregated surrogate objective
    double clipFraction = 0;   // share of (token or sequence) terms where the clip was active
    double approxKl = 0;       // k3 estimate of KL(old || new) on the tokens, aggregated
    double klToRef = 0;        // aggregated k3 KL to the reference (0 without one)
    double entropy = 0;        // aggregated entropy
};

// mask: [N, T] float, 1 on trained tokens; weights: [N] (0 for masked slots).
torch::Tensor aggregate(const torch::Tensor& perToken, const torch::Tensor& mask, LossAggregation aggregation);

PolicyLossTerms policyLoss(const torch::Tensor& logProbs, const torch::Tensor& oldLogProbs,
                           const torch::Tensor& advantages, const torch::Tensor& mask,
                           const PolicyLossConfig& config, const std::optional<torch::Tensor>& refLogProbs = {},
                           const std::optional<torch::Tensor>& entropy = {});

// k3 estimator per token: exp(q - p) - (q - p) - 1 for log-probs p (policy) and q (reference).
torch::Tensor klK3(const torch::Tensor& logProbs, const torch::Tensor& refLogProbs);

std::string toString(RatioLevel level);
std::string toString(LossAggregation aggregation);
RatioLevel ratioLevelFromString(const std::string& s);
LossAggregation aggregationFromString(const std::string& s);

}  // namespace mgrpo::core
