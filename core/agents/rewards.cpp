#include "core/agents/rewards.h"

#include "core/util/json_fields.h"

namespace mgrpo::core {

double mainReward(bool formatValid, bool correct, const RewardWeights& w) {
    if (!formatValid) return 0.0;
    return w.a1 * 1.0 + w.a2 * (correct ? 1.0 : 0.0);
}

double subReward(bool formatValid, bool mainCorrect, double expert, const RewardWeights& w) {
    if (!formatValid) return 0.0;
    return w.b1 * 1.0 + w.b2 * (mainCorrect ? 1.0 : 0.0) + w.b3 * expert;
}

nlohmann::json toJson(const RewardWeights& w) {
    return {{"a1", w.a1}, {"a2", w.a2}, {"b1", w.b1}, {"b2", w.b2}, {"b3", w.b3}};
}

RewardWeights rewardWeightsFromJson(const nlohmann::json& j, const std::string& ctx) {
    RewardWeights w;
    w.a1 = readRanged(j, ctx, "a1", w.a1, 0.0, 10.0);
    w.a2 = readRanged(j, ctx, "a2", w.a2, 0.0, 10.0);
    w.b1 = readRanged(j, ctx, "b1", w.b1, 0.0, 10.0);
    w.b2 = readRanged(j, ctx, "b2", w.b2, 0.0, 10.0);
    w.b3 = readRanged(j, ctx, "b3", w.b3, 0.0, 10.0);
    return w;
}

}  // namespace mgrpo::core
