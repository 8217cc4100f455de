// Core-internal: greedy held-out evaluation of a hierarchy's current models,
// shared by the warm start, the trainer and the CLI.
#pragma once

#include "core/agents/agent_models.h"
#include "core/agents/trajectory.h"
#include "core/train/warm_start.h"

namespace mgrpo::core {

EvalReport summariseEvaluation(const std::vector<Rollout>& rollouts, int stage, int queries);
EvalReport evaluateModels(const Topology& topology, AgentModels& models, int stage, int queries, uint64_t seed,
                          double temperature = 0.0);

}  // namespace mgrpo::core
