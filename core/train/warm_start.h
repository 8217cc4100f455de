// Supervised warm start (stands in for the paper's pretrained LLMs): scripted
// experts with tunable mistakes solve training questions through the runtime;
// each agent's model is then fitted to its own role's generated tokens only,
// checkpointed, and evaluated on the held-out sets. Torch-free interface.
#pragma once

#include "core/agents/topology.h"
#include "core/env/expert.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mgrpo::core {

struct EvalReport {
    int stage = 0;
    int queries = 0;
    double accuracy = 0;         // share of questions answered correctly
    double formatRate = 0;       // share of rollouts whose main agent kept the format
    double subFormatRate = 0;    // share of sub-agent invocations that kept the format
    double subExpertScore = 0;   // mean r_expert of sub-agent invocations: did their lookups answer the subtask
    double meanDelegations = 0;  // sub-agent invocations per rollout
    double meanMainTokens = 0;   // main agent context length at the end
    std::vector<uint8_t> correctByQuestion;  // 1 where held-out question i was answered (paired comparisons)
    double temperature = 0;                  // 0: greedy
};

// accuracy, format_rate, sub_format_rate, sub_expert_score, mean_delegations, mean_main_tokens:
// the names the CLI, the history and the GUI use for an evaluation.
std::map<std::string, double> evalMetrics(const EvalReport& report);
// evalMetrics plus stage and queries.
nlohmann::json toJson(const EvalReport& report);

struct WarmStartOptions {
    int stage = 2;                 // curriculum stage the demonstrations come from
    int demonstrations = 600;      // training questions solved by the experts
    int steps = 400;               // optimizer steps per agent
    // Demonstrations per step: each agent fits all of its invocations in them, so a
    // sub-agent called four times per question sees four times the sequences of the
    // planner (its contexts are short, and its lookups are the hardest thing to learn).
    int batchSize = 16;
    double learningRate = 2e-3;    // AdamW, cosine decay to 10%
    // Reading exercises (env/reading.h) before the demonstrations, for agents with
    // the `open` tool: optimizer steps, and pages per step.
    int readingSteps = 0;
    int readingBatch = 32;
    env::ExpertConfig expert{0.1, 0.1, 0.05, 0, "searcher"};  // mistake rates of the teachers
    int evalQueries = 100;         // held-out questions per stage for the report
    uint64_t seed = 0;
    std::function<void(const std::string&)> log;  // progress lines; may be empty
};

struct AgentFitReport {
    std::string agent;
    int examples = 0;
    long long trainedTokens = 0;  // generated tokens in the demonstrations
    double initialLoss = 0;
    double finalLoss = 0;
    double readingLoss = 0;  // final loss of the reading exercises (0 when none ran)
};

struct WarmStartReport {
    std::vector<AgentFitReport> agents;
    double expertAccuracy = 0;  // of the demonstrations themselves
    std::vector<EvalReport> evaluations;
    double seconds = 0;
    std::string topologyPath;  // <out>/topology.json, pointing at the new checkpoints
};

// Writes <out>/<agent id>/ checkpoints and <out>/topology.json. Throws
// ConfigError for an invalid topology (listing every problem).
WarmStartReport warmStart(const Topology& topology, const WarmStartOptions& options, const std::string& outDir);

// Evaluation of a topology (agents loaded from their checkpoints) on the first
// `queries` held-out questions of `stage`: greedy at temperature 0, else one
// rollout per question sampled at `temperature` (seeded), the policy RL trains.
EvalReport evaluateTopology(const Topology& topology, int stage, int queries, uint64_t seed = 0,
                            double temperature = 0.0);

// The greedy rollout of held-out question `index` of `stage` as a JSON trajectory tree.
nlohmann::json sampleRollout(const Topology& topology, int stage, int index, uint64_t seed = 0);

// Throws ConfigError listing every validation problem of `topology`.
void requireValid(const Topology& topology);

}  // namespace mgrpo::core
