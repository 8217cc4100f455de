// Core-internal: what crosses the store, as bytes. Parameters travel as their
// raw float32 values in the model's parameter order (both sides build the same
// architecture), optimizer state in LibTorch's archive format, and a remote
// agent's batch as CBOR of its sub-trajectories (rewards left out: the worker
// recomputes R_S from r_correct_main, which travels separately).
#pragma once

#include "core/agents/trajectory.h"
#include "core/model/transformer.h"
#include "core/dist/store_link.h"

#include <string>
#include <vector>

namespace mgrpo::core::dist {

Bytes encodeParameters(TransformerLM& model);
// Throws ConfigError naming `agent` if the payload does not fit the model.
void decodeParameters(const Bytes& bytes, TransformerLM& model, const std::string& agent);

Bytes encodeOptimizer(torch::optim::Optimizer& optimizer);
void decodeOptimizer(const Bytes& bytes, torch::optim::Optimizer& optimizer);

// The rollouts with only `agent`'s invocations (each keeps an empty stand-in
// for the main invocation so indices of rollouts and queries are unchanged).
Bytes encodeAgentBatch(const std::vector<Rollout>& rollouts, const std::string& agent);
std::vector<Rollout> decodeAgentBatch(const Bytes& bytes);

// r_correct_main of every rollout of the step, in rollout order.
Bytes encodeCorrectness(const std::vector<Rollout>& rollouts);
std::vector<bool> decodeCorrectness(const Bytes& bytes);

Bytes encodeJson(const nlohmann::json& json);
nlohmann::json decodeJson(const Bytes& bytes);

}  // namespace mgrpo::core::dist
