// Executes an agent hierarchy over a batch of queries x K rollouts.
// Rounds: every invocation waiting for an action is grouped by agent and each
// agent acts once for its whole group (one batched generate call for 64
// rollouts, not 64 calls); calls append observations, delegations start a
// fresh sub-agent invocation whose answer returns as a result, answers end
// invocations. Limits (turns, tokens, context) and malformed actions end an
// invocation with a format error, never an exception. Torch-free interface.
#pragma once

#include "core/agents/policy.h"
#include "core/agents/rewards.h"
#include "core/agents/topology.h"

#include <map>
#include <memory>

namespace mgrpo::core {

struct RuntimeStats {
    int rounds = 0;
    std::map<std::string, int> policyCalls;    // batched act() calls per agent
    std::map<std::string, int> actionsTaken;   // actions per agent
};

class AgentRuntime {
public:
    // One policy per agent id of the topology (validated by the caller).
    AgentRuntime(Topology topology, std::map<std::string, std::shared_ptr<AgentPolicy>> policies);

    // Runs `samples` rollouts of every task. Rollouts come back grouped by task:
    // index = task * samples + k. Rewards are assigned with `weights`.
    std::vector<Rollout> run(const std::vector<const TaskInstance*>& tasks, int samples, uint64_t seed,
                             const RewardWeights& weights = {});

    const RuntimeStats& lastStats() const { return m_stats; }
    const Topology& topology() const { return m_topology; }

private:
    Topology m_topology;
    std::map<std::string, std::shared_ptr<AgentPolicy>> m_policies;
    RuntimeStats m_stats;
};

// Sets R_M on the rollout and R_S / r_expert on every sub-agent invocation.
void assignRewards(Rollout& rollout, const TaskInstance& task, const RewardWeights& weights);

}  // namespace mgrpo::core
