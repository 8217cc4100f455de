// Curriculum knobs (StageSpec) and the seeded question generator: multi-hop chains
// ("what is population of born_in of vel dor ?") and yes/no comparisons of two
// chains, each with its own world and gold plan. Seeds split into disjoint training
// and evaluation ranges. Does not filter by difficulty (the curriculum does).
#pragma once

#include "core/env/question.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core::env {

struct StageSpec {
    int minHops = 1;              // lookups in a single-chain question
    int maxHops = 2;
    double comparisonRate = 0.0;  // share of questions comparing two chains (answer yes / no)
    int comparisonHops = 2;       // lookups per compared chain: relations, then one attribute
    double numberEndRate = 0.5;   // share of single chains ending on an attribute, not an entity
    WorldSpec world;

    // 1: one or two hops, short pages, no distractors (learn the protocol).
    // 2: 3-4 hops or a comparison of two 2-hop chains, long pages, look-alikes.
    static StageSpec stage(int stage);

    bool operator==(const StageSpec&) const = default;
};

nlohmann::json toJson(const StageSpec& spec);
StageSpec stageSpecFromJson(const nlohmann::json& json, const std::string& context = "stage");
void validate(const StageSpec& spec, const std::string& context = "stage");

class QuestionGenerator {
public:
    // Seed ranges: training [0, 2^62), evaluation [2^62, 2^62 + 2^32). Evaluation
    // seeds are never used for training: samplers draw from trainingSeed().
    static constexpr uint64_t kEvaluationSeedBase = uint64_t{1} << 62;

    static Question make(int stage, uint64_t seed);  // StageSpec::stage(stage)
    static Question make(const StageSpec& spec, int stage, uint64_t seed);

    // The fixed held-out set: evaluationSeed(0 .. n-1).
    static std::vector<Question> evaluationSet(int stage, int n);
    static std::vector<Question> evaluationSet(const StageSpec& spec, int stage, int n);
    static uint64_t evaluationSeed(int index);
    // Training seeds come in streams, so RL never replays the questions a warm
    // start of the same seed demonstrated: their worlds were fitted, and replaying
    // them inflated the first RL steps' rewards (searcher r_expert 0.81 on the
    // first 600 queries after a 600-demonstration warm start, 0.65 after).
    enum class Stream { Demonstrations, Reinforcement };
    // The index-th training seed of a run's stream; always below kEvaluationSeedBase.
    static uint64_t trainingSeed(uint64_t runSeed, uint64_t index, Stream stream);
    // The question of that seed.
    static Question training(int stage, uint64_t runSeed, uint64_t index, Stream stream);
    static bool isEvaluationSeed(uint64_t seed) { return seed >= kEvaluationSeedBase; }
};

}  // namespace mgrpo::core::env
