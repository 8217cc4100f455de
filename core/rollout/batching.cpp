#include "core/rollout/batching.h"

#include "core/model/tokenizer.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace mgrpo::core {

PackedBatch packSequences(const std::vector<std::vector<int>>& seqs, PadSide side, const torch::Device& device) {
    if (seqs.empty()) throw std::invalid_argument("cannot pack an empty batch");
    const auto B = static_cast<int64_t>(seqs.size());
    int64_t T = 0;
    for (const auto& s : seqs) {
        if (s.empty()) throw std::invalid_argument("cannot pack an empty sequence");
        T = std::max<int64_t>(T, static_cast<int64_t>(s.size()));
    }
    auto tokens = torch::full({B, T}, special::kPad, torch::kLong);
    auto positions = torch::zeros({B, T}, torch::kLong);
    auto valid = torch::zeros({B, T}, torch::kBool);
    auto tok = tokens.accessor<int64_t, 2>();
    auto pos = positions.accessor<int64_t, 2>();
    auto val = valid.accessor<bool, 2>();
    PackedBatch batch;
    for (int64_t b = 0; b < B; ++b) {
        const auto& s = seqs[static_cast<size_t>(b)];
        const auto len = static_cast<int64_t>(s.size());
        const int64_t offset = side == PadSide::Left ? T - len : 0;
        for (int64_t j = 0; j < len; ++j) {
            tok[b][offset + j] = s[static_cast<size_t>(j)];
            pos[b][offset + j] = j;
            val[b][offset + j] = true;
        }
        // Right padding keeps counting positions so they stay in range and unique.
        if (side == PadSide::Right)
            for (int64_t j = len; j < T; ++j) pos[b][j] = j;
        batch.lengths.push_back(len);
    }
    batch.tokens = tokens.to(device);
    batch.positions = positions.to(device);
    batch.valid = valid.to(device);
    return batch;
}

torch::Tensor attentionMask(const torch::Tensor& keyValid, int64_t queryStart, int64_t queries) {
    const auto S = queryStart + queries;
    TORCH_CHECK(keyValid.size(1) >= S, "attentionMask: keyValid has ", keyValid.size(1), " < ", S, " keys");
    const auto opts = torch::TensorOptions().device(keyValid.device());
    auto qpos = torch::arange(queryStart, S, opts.dtype(torch::kLong)).view({queries, 1});
    auto kpos = torch::arange(0, S, opts.dtype(torch::kLong)).view({1, S});
    auto causal = (kpos <= qpos).unsqueeze(0);                          // [1, T, S]
    auto self = (kpos == qpos).unsqueeze(0);                            // [1, T, S]
    auto valid = keyValid.narrow(1, 0, S).unsqueeze(1);                 // [B, 1, S]
    auto allowed = causal.logical_and(valid.logical_or(self));          // [B, T, S]
    auto mask = torch::zeros(allowed.sizes(), opts.dtype(torch::kFloat));
    mask.masked_fill_(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    return mask.unsqueeze(1);  // [B, 1, T, S]
}

}  // namespace mgrpo::core
