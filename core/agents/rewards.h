// Rewards of MGRPO.md section 2, as pure functions of a rollout's verdicts.
//   main:  R_M = 0 if the format is invalid, else a1 r_format + a2 r_correct
//   sub:   R_S = 0 if the format is invalid, else b1 r_format + b2 r_correct_main + b3 r_expert
// with r_format = 1 whenever the gate passes. Torch-free.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mgrpo::core {

struct RewardWeights {
    double a1 = 0.1;  // main: format (paper)
    double a2 = 0.9;  // main: correctness (paper)
    double b1 = 0.1;  // sub: format (paper)
    double b2 = 0.4;  // sub: main agent's final correctness, shared by every invocation of the rollout
    double b3 = 0.5;  // sub: expert score of its own subtask (the paper calls 0.4/0.5 crucial)

    bool operator==(const RewardWeights&) const = default;
};

double mainReward(bool formatValid, bool correct, const RewardWeights& w = {});
// `expert` in [0, 1].
double subReward(bool formatValid, bool mainCorrect, double expert, const RewardWeights& w = {});

nlohmann::json toJson(const RewardWeights& w);
RewardWeights rewardWeightsFromJson(const nlohmann::json& json, const std::string& context = "rewards");

}  // namespace mgrpo::core
