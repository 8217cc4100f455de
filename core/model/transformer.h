// Core-internal: the policy model, a GPT-style decoder-only transformer
// (learned or rotary positions, pre-norm blocks, fused-QKV causal attention
// with optionally smeared keys, GELU MLP, optionally tied head). Every agent
// of a topology owns one instance.
//
// Batches may be ragged: callers pass per-row `positions` and an additive
// attention mask (see attention_mask.h), so left-padded generation and
// right-padded scoring use the same forward pass.
#pragma once

#include "core/model/model_config.h"

#include <torch/torch.h>

#include <vector>

namespace mgrpo::core {

// Per-layer keys/values for incremental decoding, preallocated to `capacity`
// positions so each step writes in place instead of concatenating.
struct KVCache {
    std::vector<torch::Tensor> keys;    // per layer [B, H, capacity, head_dim]
    std::vector<torch::Tensor> values;  // per layer [B, H, capacity, head_dim]
    // Key smearing (ModelConfig::keySmear) needs the last position's key before
    // smearing: per layer [B, H, 1, head_dim] (zeros before the first forward;
    // no entries without smearing).
    std::vector<torch::Tensor> lastRawKeys;
    int64_t length = 0;                 // filled positions

    KVCache(const ModelConfig& config, int64_t batch, int64_t capacity, const torch::TensorOptions& options);
    int64_t capacity() const { return keys.empty() ? 0 : keys[0].size(2); }
    // Keeps only the given batch rows (used when finished rows are dropped).
    void selectRows(const torch::Tensor& rows);
};

// Rotary position embedding (Su et al., RoFormer): cos/sin of position *
// frequency, [B, 1, T, head_dim / 2], shared by every layer of one forward.
struct Rotary {
    torch::Tensor cos, sin;
    static Rotary at(const torch::Tensor& positions, int64_t headDim, const torch::TensorOptions& options);
    // x [B, H, T, hd]: rotates each (first half, second half) pair of channels.
    torch::Tensor apply(const torch::Tensor& x) const;
};

// Per-forward inputs every layer shares.
struct LayerContext {
    const Rotary* rotary = nullptr;  // rotary positions, when the model uses them
    // Key smearing: [B, 1, T, 1], 0 at a sequence's first token (position 0),
    // whose "previous" key is padding or another sequence, else 1.
    torch::Tensor hasPrevious;
};

class CausalSelfAttentionImpl : public torch::nn::Module {
public:
    explicit CausalSelfAttentionImpl(const ModelConfig& config);
    // x [B, T, D]; mask additive [B, 1, T, S] with S = cached + T. Returns [B, T, D].
    // Keys are smeared, then rotated (per `context`), before they are cached.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, KVCache* cache, int layer,
                          const LayerContext& context);

private:
    // k' = g k_t + (1 - g) k_{t-1} with g = sigmoid(smear) per head.
    torch::Tensor smearKeys(const torch::Tensor& k, KVCache* cache, int layer, const LayerContext& context);

    int64_t m_heads, m_headDim;
    double m_dropout;
    torch::nn::Linear m_qkv{nullptr}, m_proj{nullptr};
    torch::Tensor m_smear;  // [H] gate logits; undefined without key smearing
};
TORCH_MODULE(CausalSelfAttention);

class BlockImpl : public torch::nn::Module {
public:
    explicit BlockImpl(const ModelConfig& config);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, KVCache* cache, int layer,
                          const LayerContext& context);

private:
    torch::nn::LayerNorm m_ln1{nullptr}, m_ln2{nullptr};
    CausalSelfAttention m_attn{nullptr};
    torch::nn::Linear m_fc{nullptr}, m_out{nullptr};
    double m_dropout;
};
TORCH_MODULE(Block);

class TransformerLMImpl : public torch::nn::Module {
public:
    explicit TransformerLMImpl(const ModelConfig& config);

    // tokens, positions [B, T] int64; mask additive float [B, 1, T, S].
    // With a cache, S = cache->length + T and the new keys/values are appended.
    // Returns logits [B, T, vocab].
    torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& positions, const torch::Tensor& mask,
                          KVCache* cache = nullptr);

    const ModelConfig& config() const { return m_config; }

private:
    ModelConfig m_config;
    torch::nn::Embedding m_tokenEmbedding{nullptr}, m_positionEmbedding{nullptr};
    std::vector<Block> m_blocks;
    torch::nn::LayerNorm m_lnFinal{nullptr};
    torch::nn::Linear m_head{nullptr};  // only when embeddings are untied
};
TORCH_MODULE(TransformerLM);

// Builds a model with GPT-2 style init (N(0, 0.02), residual projections scaled
// by 1/sqrt(2 * layers)) drawn from its own generator seeded with `seed`.
TransformerLM makeTransformer(const ModelConfig& config, uint64_t seed, const torch::Device& device = torch::kCPU);

}  // namespace mgrpo::core
