#include "core/model/transformer.h"

#include <cmath>
#include <optional>

namespace mgrpo::core {

namespace F = torch::nn::functional;

KVCache::KVCache(const ModelConfig& config, int64_t batch, int64_t capacity, const torch::TensorOptions& options) {
    for (int l = 0; l < config.nLayers; ++l) {
        keys.push_back(torch::zeros({batch, config.nHeads, capacity, config.headDim()}, options));
        values.push_back(torch::zeros({batch, config.nHeads, capacity, config.headDim()}, options));
        if (config.keySmear) lastRawKeys.push_back(torch::zeros({batch, config.nHeads, 1, config.headDim()}, options));
    }
}

void KVCache::selectRows(const torch::Tensor& rows) {
    for (auto& k : keys) k = k.index_select(0, rows);
    for (auto& v : values) v = v.index_select(0, rows);
    for (auto& k : lastRawKeys) k = k.index_select(0, rows);
}

Rotary Rotary::at(const torch::Tensor& positions, int64_t headDim, const torch::TensorOptions& options) {
    // theta_i = 10000^(-2i / head_dim), i < head_dim / 2
    const auto inv = torch::pow(10000.0, -torch::arange(0, headDim, 2, options) / static_cast<double>(headDim));
    const auto angles = positions.to(options.dtype()).unsqueeze(-1) * inv;  // [B, T, hd/2]
    return {angles.cos().unsqueeze(1), angles.sin().unsqueeze(1)};
}

torch::Tensor Rotary::apply(const torch::Tensor& x) const {
    const auto half = x.size(-1) / 2;
    const auto a = x.narrow(-1, 0, half), b = x.narrow(-1, half, half);
    return torch::cat({a * cos - b * sin, a * sin + b * cos}, /*dim=*/-1);
}

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const ModelConfig& c)
    : m_heads(c.nHeads), m_headDim(c.headDim()), m_dropout(c.dropout) {
    m_qkv = register_module("qkv", torch::nn::Linear(c.dModel, 3 * c.dModel));
    m_proj = register_module("proj", torch::nn::Linear(c.dModel, c.dModel));
    if (c.keySmear) m_smear = register_parameter("smear", torch::zeros({c.nHeads}));
}

torch::Tensor CausalSelfAttentionImpl::smearKeys(const torch::Tensor& k, KVCache* cache, int layer,
                                                 const LayerContext& context) {
    const auto T = k.size(2);
    // The key before this chunk's first token: the cached one when decoding goes
    // on (zeros before the first chunk, whose first token has no predecessor).
    const auto before = cache ? cache->lastRawKeys[static_cast<size_t>(layer)] : torch::zeros_like(k.narrow(2, 0, 1));
    auto previous = torch::cat({before, k.narrow(2, 0, T - 1)}, /*dim=*/2) * context.hasPrevious;
    if (cache) cache->lastRawKeys[static_cast<size_t>(layer)] = k.narrow(2, T - 1, 1).clone();
    // gate * k + (1 - gate) * previous as one fused op (and one in backward).
    return torch::lerp(previous, k, torch::sigmoid(m_smear).view({1, m_heads, 1, 1}));
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask, KVCache* cache,
                                               int layer, const LayerContext& context) {
    const auto B = x.size(0), T = x.size(1);
    // [B, T, 3D] -> 3 x [B, H, T, hd]
    auto qkv = m_qkv(x).view({B, T, 3, m_heads, m_headDim}).permute({2, 0, 3, 1, 4});
    auto q = qkv[0], k = qkv[1], v = qkv[2];
    if (m_smear.defined()) k = smearKeys(k, cache, layer, context);
    if (context.rotary) {
        q = context.rotary->apply(q);
        k = context.rotary->apply(k);
    }
    if (cache) {
        const auto start = cache->length;
        TORCH_CHECK(start + T <= cache->capacity(), "KV cache overflow: ", start + T, " > ", cache->capacity());
        cache->keys[layer].narrow(2, start, T).copy_(k);
        cache->values[layer].narrow(2, start, T).copy_(v);
        k = cache->keys[layer].narrow(2, 0, start + T);
        v = cache->values[layer].narrow(2, 0, start + T);
    }
    // Scores [B, H, T, S]; the mask broadcasts over heads.
    auto att = torch::matmul(q, k.transpose(-2, -1)).mul_(1.0 / std::sqrt(static_cast<double>(m_headDim)));
    att = torch::softmax(att.add_(mask), /*dim=*/-1);
    if (m_dropout > 0 && is_training()) att = F::dropout(att, F::DropoutFuncOptions().p(m_dropout).training(true));
    auto y = torch::matmul(att, v).transpose(1, 2).reshape({B, T, m_heads * m_headDim});
    return m_proj(y);
}

BlockImpl::BlockImpl(const ModelConfig& c) : m_dropout(c.dropout) {
    m_ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dModel})));
    m_attn = register_module("attn", CausalSelfAttention(c));
    m_ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dModel})));
    m_fc = register_module("fc", torch::nn::Linear(c.dModel, c.mlpWidth()));
    m_out = register_module("out", torch::nn::Linear(c.mlpWidth(), c.dModel));
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& mask, KVCache* cache, int layer,
                                 const LayerContext& context) {
    auto h = x + m_attn(m_ln1(x), mask, cache, layer, context);
    auto m = m_out(torch::gelu(m_fc(m_ln2(h))));
    if (m_dropout > 0 && is_training()) m = F::dropout(m, F::DropoutFuncOptions().p(m_dropout).training(true));
    return h + m;
}

TransformerLMImpl::TransformerLMImpl(const ModelConfig& c) : m_config(c) {
    m_tokenEmbedding = register_module("tok_emb", torch::nn::Embedding(c.vocabSize, c.dModel));
    if (c.positional == "learned")
        m_positionEmbedding = register_module("pos_emb", torch::nn::Embedding(c.contextLength, c.dModel));
    for (int l = 0; l < c.nLayers; ++l)
        m_blocks.push_back(register_module("block" + std::to_string(l), Block(c)));
    m_lnFinal = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dModel})));
    if (!c.tieEmbeddings)
        m_head = register_module("head", torch::nn::Linear(torch::nn::LinearOptions(c.dModel, c.vocabSize).bias(false)));
}

torch::Tensor TransformerLMImpl::forward(const torch::Tensor& tokens, const torch::Tensor& positions,
                                         const torch::Tensor& mask, KVCache* cache) {
    auto x = m_tokenEmbedding(tokens);
    std::optional<Rotary> rotary;
    LayerContext context;
    if (m_positionEmbedding) x = x + m_positionEmbedding(positions);
    else {
        rotary = Rotary::at(positions, m_config.headDim(), x.options());
        context.rotary = &*rotary;
    }
    if (m_config.keySmear)
        context.hasPrevious = (positions > 0).to(x.dtype()).view({tokens.size(0), 1, tokens.size(1), 1});
    for (size_t l = 0; l < m_blocks.size(); ++l) x = m_blocks[l](x, mask, cache, static_cast<int>(l), context);
    if (cache) cache->length += tokens.size(1);
    x = m_lnFinal(x);
    return m_config.tieEmbeddings ? torch::matmul(x, m_tokenEmbedding->weight.t()) : m_head(x);
}

TransformerLM makeTransformer(const ModelConfig& config, uint64_t seed, const torch::Device& device) {
    TransformerLM model(config);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const double residualStd = 0.02 / std::sqrt(2.0 * config.nLayers);
    torch::NoGradGuard noGrad;
    for (const auto& item : model->named_parameters()) {
        const auto& name = item.key();
        auto p = item.value();
        const bool isBias = name.ends_with(".bias");
        const bool isNorm = name.find("ln") != std::string::npos;
        if (name.ends_with(".smear")) p.zero_();  // gates start at an even mix of the two keys
        else if (isNorm) p.fill_(isBias ? 0.0 : 1.0);
        else if (isBias) p.zero_();
        else {
            const bool residual = name.ends_with("proj.weight") || name.ends_with("out.weight");
            p.normal_(0.0, residual ? residualStd : 0.02, gen);
        }
    }
    model->to(device);
    return model;
}

}  // namespace mgrpo::core
