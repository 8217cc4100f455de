#include "core/rollout/sampling_params.h"

#include "core/util/json_fields.h"

namespace mgrpo::core {

nlohmann::json toJson(const SamplingParams& p) {
    return {{"temperature", p.temperature}, {"top_p", p.topP},     {"max_new_tokens", p.maxNewTokens},
            {"stop_tokens", p.stopTokens},  {"seed", p.seed}};
}

SamplingParams samplingParamsFromJson(const nlohmann::json& j, const std::string& ctx) {
    SamplingParams p;
    p.temperature = readRanged(j, ctx, "temperature", p.temperature, 0.0, 100.0);
    p.topP = readRanged(j, ctx, "top_p", p.topP, 1e-6, 1.0);
    p.maxNewTokens = readRanged(j, ctx, "max_new_tokens", p.maxNewTokens, 1, 1 << 16);
    p.stopTokens = readField(j, ctx, "stop_tokens", p.stopTokens);
    p.seed = readField(j, ctx, "seed", p.seed);
    return p;
}

}  // namespace mgrpo::core
