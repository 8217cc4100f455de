// The M-GRPO trainer behind a torch-free interface: the CLI, the GUI worker
// and tests drive it the same way, one step() at a time, so a run can be
// paused or stopped between steps. Every step runs, in order: rollouts,
// rewards, alignment, group advantages per agent, each trained agent's own
// optimizer updates, metrics and (every N steps) an atomic checkpoint.
// A stopped or killed run resumes from its last checkpoint and continues
// bit-identically on the CPU (all randomness derives from seed and step).
#pragma once

#include "core/agents/topology.h"
#include "core/agents/trajectory.h"
#include "core/train/experiment_config.h"
#include "core/train/warm_start.h"

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mgrpo::core {

namespace dist {
class Session;
}

// A numerical failure (NaN/Inf) in one agent's update; the step is abandoned
// and nothing is written, so the last checkpoint stays the last good state.
class TrainingError : public std::runtime_error {
public:
    TrainingError(const std::string& agent, const std::string& quantity, int step);
    const std::string& agent() const { return m_agent; }
    const std::string& quantity() const { return m_quantity; }

private:
    std::string m_agent, m_quantity;
};

struct StepMetrics {
    int step = 0;                                            // 1-based, completed steps
    std::map<std::string, double> values;                    // "main/reward_mean", "sub.searcher/clipfrac", ...
    std::map<std::string, std::map<int, int>> dkHistogram;   // sub-agent id -> d_k -> rollouts
    bool checkpointed = false;                               // this step wrote <runDir>/checkpoint
};

class Trainer {
public:
    // A fresh run in `runDir` (created; must not hold a run already).
    Trainer(const Topology& topology, const ExperimentConfig& config, const std::string& runDir);
    // Continues the run saved in `runDir` from its last checkpoint.
    static std::unique_ptr<Trainer> resume(const std::string& runDir);
    ~Trainer();

    // Trains every agent `session` has workers for in those processes
    // (MGRPO.md section 6, core/dist/decoupled.h); this process keeps rolling
    // out with their published parameters. Call before the first step().
    void decouple(std::shared_ptr<dist::Session> session);

    StepMetrics step();
    bool finished() const;
    int completedSteps() const;
    // Writes <runDir>/checkpoint atomically (models, optimizers, trainer state).
    void saveCheckpoint();
    // Greedy held-out evaluation of the current policies.
    EvalReport evaluate(int stage, int queries);

    const std::vector<Rollout>& lastRollouts() const;
    // toJson(rollout).dump() of lastRollouts(), serialised once per step however
    // many listeners (history, GUI) ask for it.
    const std::vector<std::string>& lastRolloutsJson() const;
    // One JSON object per query of the last step, with exactly the rewards and
    // advantages the loss used (the --dump-batches format):
    //   {"step", "query", "rollouts": [{"R_M", "A_M", "d_k", "d_k_by_agent"}],
    //    "sub_slots": [{"agent", "rollout", "slot", "status", "source", "R_S", "A_S"}]}
    // status is original | duplicate | masked (source/R_S null, A_S 0) | dropped
    // (no slot, no A_S); source indexes the agent's invocations within the rollout.
    const std::vector<nlohmann::json>& lastBatchRecords() const;
    const ExperimentConfig& config() const;
    const Topology& topology() const;  // as trained (algorithm applied)
    std::map<std::string, int> alignmentD() const;
    const std::string& runDir() const;

private:
    Trainer();
    struct Impl;
    std::unique_ptr<Impl> m;
};

// The topology an algorithm trains: main-only freezes sub-agents; single-agent
// requires a topology without sub-agents. Throws ConfigError otherwise.
Topology topologyForAlgorithm(const Topology& topology, Algorithm algorithm);

}  // namespace mgrpo::core
