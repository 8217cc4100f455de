#include "core/rollout/scoring.h"

#include "core/rollout/batching.h"

namespace mgrpo::core {

TokenScores scoreTokens(TransformerLM& model, const torch::Tensor& tokens, const std::vector<int64_t>& lengths,
                        double temperature) {
    const auto B = tokens.size(0), T = tokens.size(1);
    const auto device = tokens.device();
    auto lens = torch::tensor(lengths, torch::kLong).to(device).view({B, 1});
    auto idx = torch::arange(T, tokens.options()).view({1, T});
    auto valid = idx < lens;  // [B, T]
    // Right padding: a real token only ever sees real tokens before it, so the
    // plain causal mask suffices; padded rows are never read.
    auto positions = idx.expand({B, T}).contiguous();
    auto mask = attentionMask(torch::ones({1, T}, valid.options()), 0, T);
    auto logits = model->forward(tokens, positions, mask);  // [B, T, V]
    if (temperature > 0.0 && temperature != 1.0) logits = logits / temperature;
    auto logp = torch::log_softmax(logits.narrow(1, 0, T - 1), /*dim=*/-1);  // predicts tokens 1..T-1
    auto target = tokens.narrow(1, 1, T - 1).unsqueeze(-1);
    auto picked = logp.gather(-1, target).squeeze(-1);  // [B, T-1]
    auto ent = -(logp.exp() * logp).sum(-1);            // [B, T-1]

    TokenScores out;
    auto zeros = torch::zeros({B, 1}, picked.options());
    auto predicted = valid.clone();
    predicted.select(1, 0).fill_(false);
    out.valid = predicted;
    out.logProbs = torch::cat({zeros, picked}, 1) * predicted;
    out.entropy = torch::cat({zeros, ent}, 1) * predicted;
    return out;
}

TokenScores scoreSequences(TransformerLM& model, const std::vector<std::vector<int>>& sequences, double temperature) {
    const auto device = model->parameters().front().device();
    auto batch = packSequences(sequences, PadSide::Right, device);
    return scoreTokens(model, batch.tokens, batch.lengths, temperature);
}

}  // namespace mgrpo::core
