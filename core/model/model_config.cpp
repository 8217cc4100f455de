#include "core/model/model_config.h"

#include "core/util/json_fields.h"

namespace mgrpo::core {

long long ModelConfig::parameterCount() const {
    const long long d = dModel, v = vocabSize, l = nLayers, m = mlpWidth();
    const long long embeddings = v * d + (positional == "learned" ? static_cast<long long>(contextLength) * d : 0);
    const long long perBlock = 2 * 2 * d            // two LayerNorms
                               + d * 3 * d + 3 * d  // fused qkv
                               + d * d + d          // attention output
                               + d * m + m + m * d + d   // MLP
                               + (keySmear ? nHeads : 0);  // key smear gates
    const long long head = tieEmbeddings ? 0 : v * d;
    return embeddings + l * perBlock + 2 * d + head;  // + final LayerNorm
}

nlohmann::json toJson(const ModelConfig& c) {
    return {{"vocab_size", c.vocabSize},       {"d_model", c.dModel}, {"n_layers", c.nLayers},
            {"n_heads", c.nHeads},             {"context_length", c.contextLength},
            {"d_mlp", c.dMlp},                 {"dropout", c.dropout},
            {"tie_embeddings", c.tieEmbeddings}, {"positional", c.positional},
            {"key_smear", c.keySmear}};
}

ModelConfig modelConfigFromJson(const nlohmann::json& j, const std::string& ctx) {
    ModelConfig c;
    c.vocabSize = readRanged(j, ctx, "vocab_size", c.vocabSize, 4, 1 << 20);
    c.dModel = readRanged(j, ctx, "d_model", c.dModel, 8, 16384);
    c.nLayers = readRanged(j, ctx, "n_layers", c.nLayers, 1, 256);
    c.nHeads = readRanged(j, ctx, "n_heads", c.nHeads, 1, 256);
    c.contextLength = readRanged(j, ctx, "context_length", c.contextLength, 8, 1 << 17);
    c.dMlp = readRanged(j, ctx, "d_mlp", c.dMlp, 0, 1 << 18);
    c.dropout = readRanged(j, ctx, "dropout", c.dropout, 0.0, 0.9);
    c.tieEmbeddings = readField(j, ctx, "tie_embeddings", c.tieEmbeddings);
    c.positional = readField(j, ctx, "positional", c.positional);
    c.keySmear = readField(j, ctx, "key_smear", c.keySmear);
    if (c.positional != "rope" && c.positional != "learned")
        throw ConfigError(ctx + ".positional = '" + c.positional + "' is not rope or learned");
    if (c.positional == "rope" && c.headDim() % 2 != 0)
        throw ConfigError(ctx + ".n_heads = " + std::to_string(c.nHeads) + " leaves an odd head size " +
                          std::to_string(c.headDim()) + "; rope needs an even one");
    if (c.dModel % c.nHeads != 0)
        throw ConfigError(ctx + ".n_heads = " + std::to_string(c.nHeads) + " does not divide d_model = " +
                          std::to_string(c.dModel));
    return c;
}

std::string describeMismatch(const ModelConfig& expected, const ModelConfig& actual) {
    const auto e = toJson(expected), a = toJson(actual);
    for (const auto& [key, value] : e.items())
        if (a.at(key) != value)
            return "field '" + key + "' is " + a.at(key).dump() + " in the checkpoint but " + value.dump() +
                   " is expected";
    return {};
}

}  // namespace mgrpo::core
