// Core-internal: packing ragged token sequences into padded batches, and the
// additive attention masks that make padding invisible to real tokens.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace mgrpo::core {

struct PackedBatch {
    torch::Tensor tokens;     // [B, T] int64, padded with special::kPad
    torch::Tensor positions;  // [B, T] int64, 0 at each row's first real token
    torch::Tensor valid;      // [B, T] bool, true on real tokens
    std::vector<int64_t> lengths;
};

enum class PadSide { Left, Right };

// Throws std::invalid_argument for an empty batch or an empty sequence.
PackedBatch packSequences(const std::vector<std::vector<int>>& sequences, PadSide side, const torch::Device& device);

// Additive mask [B, 1, T, S] for T queries at key positions
// [queryStart, queryStart + T) over S = queryStart + T keys: 0 where query i may
// attend key j (j <= its own position and key j is valid), -inf elsewhere.
// A query always sees itself, so padded query rows stay finite.
torch::Tensor attentionMask(const torch::Tensor& keyValid, int64_t queryStart, int64_t queries);

}  // namespace mgrpo::core
