// Everything a training run needs besides its topology: algorithm, curriculum
// stage, group sizes, alignment, objective, optimisation, evaluation and
// checkpoint cadence. Typed, one comment per field, JSON in one place,
// validation naming the field. Stored with every run and checkpoint. Torch-free.
#pragma once

#include "core/agents/rewards.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace mgrpo::core {

enum class Algorithm {
    Mgrpo,           // co-training: every non-frozen agent (MGRPO.md section 7.3)
    MainOnly,        // only the main agent; sub-agents frozen (7.2)
    SingleAgent,     // plain GRPO on a single-agent topology (7.1)
    MgrpoUnaligned,  // sub-agents grouped as their trajectories arrive, no alignment (7.4)
};

struct ExperimentConfig {
    std::string name = "experiment";
    Algorithm algorithm = Algorithm::Mgrpo;
    int stage = 2;                  // curriculum stage the training questions come from
    int steps = 20;                 // training steps
    int queriesPerStep = 4;         // B: queries sampled per step
    int samplesPerQuery = 8;        // K: rollouts per query (paper: 8)
    int fixedD = 0;                 // D: sub-trajectories per rollout after alignment; 0 = automatic
    double dQuantile = 0.99;        // automatic D: P(d_k <= D) >= this on the preliminary batch
    int preliminaryQueries = 8;     // queries of the preliminary batch that sets automatic D
    double clipLow = 0.2;           // eps_low of the clipped surrogate
    double clipHigh = 0.28;         // eps_high ("clip-higher")
    std::string ratioLevel = "token";             // token | sequence
    std::string lossAggregation = "token-mean";   // token-mean | seq-mean-token-mean
    double klCoef = 0.0;            // k3 KL to the frozen start policy (paper: 0)
    double entropyCoef = 0.0;       // entropy bonus (paper: 0)
    double learningRate = 1e-4;     // AdamW, every trained agent
    double weightDecay = 0.0;       // AdamW decoupled weight decay
    std::string lrSchedule = "constant";  // constant | cosine (to 10%)
    int warmupSteps = 0;            // linear warm-up steps
    double gradClip = 1.0;          // max global grad norm per agent; 0 = off
    int epochs = 1;                 // passes over each step's batch
    int miniBatches = 1;            // optimizer steps per epoch
    double temperature = 1.0;       // rollout sampling temperature (paper: 1.0)
    RewardWeights rewards;          // a1 a2 b1 b2 b3 (MGRPO.md section 2)
    int evalEvery = 10;             // held-out evaluation cadence in steps; 0 = never
    int evalQueries = 50;           // held-out questions per evaluation
    int checkpointEvery = 5;        // checkpoint cadence in steps; 0 = only at the end
    uint64_t seed = 0;              // questions, sampling and alignment derive from it

    bool operator==(const ExperimentConfig&) const = default;
};

nlohmann::json toJson(const ExperimentConfig& config);
// Missing fields keep their defaults; bad values throw ConfigError naming the field.
ExperimentConfig experimentConfigFromJson(const nlohmann::json& json);
ExperimentConfig loadExperimentFile(const std::string& path);

std::string toString(Algorithm algorithm);
Algorithm algorithmFromString(const std::string& s);

}  // namespace mgrpo::core
