// Core-internal: per-token log-probs and entropies of given sequences under a
// model, in one batched forward pass (the trainer's "new log-probs").
#pragma once

#include "core/model/transformer.h"

#include <vector>

namespace mgrpo::core {

struct TokenScores {
    // All [B, T], right-padded, aligned with the input tokens: entry t scores
    // token t given tokens < t, so column 0 (no context) is 0.
    torch::Tensor logProbs;
    torch::Tensor entropy;
    torch::Tensor valid;  // bool: a real token with a prediction (t >= 1, t < length)
};

// Differentiable (unless called under NoGradGuard/InferenceMode).
// `temperature` must match the sampling temperature (0 is treated as 1).
TokenScores scoreSequences(TransformerLM& model, const std::vector<std::vector<int>>& sequences,
                           double temperature = 1.0);

// Tensor form: tokens [B, T] right-padded, lengths per row.
TokenScores scoreTokens(TransformerLM& model, const torch::Tensor& tokens, const std::vector<int64_t>& lengths,
                        double temperature = 1.0);

}  // namespace mgrpo::core
