// Core-internal: batched autoregressive sampling with a KV cache.
// Prompts of different lengths are left-padded; each row has its own
// positions, stops on its own (stop token, token budget or context end), and
// finished rows are dropped from the batch so they cost nothing afterwards.
#pragma once

#include "core/model/transformer.h"
#include "core/rollout/sampling_params.h"

#include <functional>
#include <vector>

namespace mgrpo::core {

enum class FinishReason { Stop, Length, Context };

struct GenerationResult {
    std::vector<std::vector<int>> tokens;      // generated tokens per prompt (stop token included)
    std::vector<std::vector<float>> logProbs;  // log-prob of each generated token under the sampling policy
    std::vector<FinishReason> finish;
    int64_t steps = 0;  // decoding steps taken (the longest row's length)
};

struct GenerationOptions {
    // false recomputes the whole sequence at every step (reference path for
    // tests and benchmarks); results match the cached path to float tolerance.
    bool useCache = true;
    // Observer of the logits [rows, vocab] each step, before sampling; `rows`
    // are the indices (into the prompt list) of the rows still running.
    std::function<void(int64_t step, const std::vector<int>& rows, const torch::Tensor& logits)> onLogits;
};

// Samples continuations of `prompts` (each non-empty). The reported log-probs
// are log softmax(logits / temperature) of the chosen token (temperature 1 when
// greedy), i.e. the "old log-probs" the trainer needs; top-p only truncates
// which tokens can be drawn.
GenerationResult generate(TransformerLM& model, const std::vector<std::vector<int>>& prompts,
                          const SamplingParams& params, const GenerationOptions& options = {});

}  // namespace mgrpo::core
