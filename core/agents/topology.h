// An agent hierarchy as users design it: agents with their models, tools,
// delegation targets, limits, sampling and device. Torch-free: the GUI
// designer edits it and saves the same JSON the core reads. Validation
// returns every problem with the agent (and field) it concerns.
#pragma once

#include "core/model/model_config.h"
#include "core/rollout/sampling_params.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mgrpo::core {

enum class AgentRole { Main, Sub };

struct AgentSpec {
    std::string id;                      // one word; what a caller writes after <delegate>
    AgentRole role = AgentRole::Sub;
    ModelConfig model;                   // vocab_size is taken from the tokenizer at build time
    std::string checkpoint;              // directory to start from; empty = fresh init
    std::vector<std::string> tools;      // "may call" edges (tool names)
    std::vector<std::string> delegates;  // "delegates to" edges (agent ids)
    int maxTurns = 8;                    // actions per invocation before it is cut off
    int maxTokensPerTurn = 32;           // tokens one action may take
    SamplingParams sampling;             // max_new_tokens is overridden by maxTokensPerTurn
    bool trained = true;                 // false = frozen, never updated
    double learningRateScale = 1.0;      // multiplies the run's learning rate for this agent's optimizer
    std::string device = "cpu";          // "cpu" or "cuda:N"
    double x = 0, y = 0;                 // position in the designer, kept across save/load

    bool operator==(const AgentSpec&) const = default;
};

struct Topology {
    std::string name;
    std::vector<AgentSpec> agents;

    const AgentSpec* find(const std::string& id) const;
    // The unique main agent. Throws ConfigError if there is none.
    const AgentSpec& mainAgent() const;
    bool operator==(const Topology&) const = default;
};

struct TopologyProblem {
    std::string agentId;  // empty for problems of the whole topology
    std::string field;    // e.g. "delegates", "tools", "max_turns"; empty if none
    std::string message;
};

// What the validator checks names and limits against.
struct ValidationContext {
    std::vector<std::string> knownTools;     // tool registry names
    std::vector<std::string> delegateNames;  // words agent ids may use (the tokenizer's agent slots)
    int minContext = 64;                     // smallest useful context length
};

std::vector<TopologyProblem> validateTopology(const Topology& topology, const ValidationContext& context);
std::string describe(const TopologyProblem& problem);

nlohmann::json toJson(const AgentSpec& agent);
nlohmann::json toJson(const Topology& topology);
// Throws ConfigError (naming the agent and field) for malformed JSON values;
// semantic problems are left to validateTopology so all can be listed at once.
Topology topologyFromJson(const nlohmann::json& json);
Topology loadTopologyFile(const std::string& path);
void saveTopologyFile(const Topology& topology, const std::string& path);

std::string toString(AgentRole role);

// Ready-made hierarchies (the designer's templates and the experiments').
Topology paperTopology();          // main planner + one search sub-agent (the paper's setup)
Topology singleAgentTopology();    // one agent with every tool, no delegation
Topology twoSpecialistTopology();  // main + a search sub-agent + an analyst sub-agent

}  // namespace mgrpo::core
