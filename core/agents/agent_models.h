// Core-internal: the models of a topology's agents (fresh or from their
// checkpoints) over the built-in environment's shared word vocabulary, and the
// neural policies that sample from them.
#pragma once

#include "core/agents/neural_policy.h"
#include "core/agents/topology.h"

#include <map>
#include <memory>

namespace mgrpo::core {

struct AgentModels {
    std::shared_ptr<const Tokenizer> tokenizer;
    std::map<std::string, TransformerLM> models;  // by agent id
};

// The built-in environment's tokenizer (env::vocabulary()).
std::shared_ptr<const Tokenizer> builtinTokenizer();

// Loads each agent's checkpoint if it names one (its config must match the
// agent's model apart from vocab_size), otherwise initialises it from `seed`.
AgentModels buildAgentModels(const Topology& topology, uint64_t seed);

// One NeuralPolicy per agent, with the agent's sampling settings, unless
// `temperature` is given (0 = greedy, for evaluation).
std::map<std::string, std::shared_ptr<AgentPolicy>> neuralPolicies(const Topology& topology, AgentModels& models,
                                                                   std::optional<double> temperature = {});

}  // namespace mgrpo::core
