// Phase 3 of an M-GRPO step (MGRPO.md sections 3-4) as a free function:
// group advantages of the main agent per query, and for each sub-agent its
// sub-trajectories aligned to D per rollout and standardised over the query's
// D*K slots. The single-process trainer and a decoupled sub-agent worker call
// the same code, so both train on the same samples. Torch-free.
#pragma once

#include "core/agents/topology.h"
#include "core/agents/trajectory.h"
#include "core/train/experiment_config.h"
#include "core/train/trainer.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mgrpo::core {

// One training sequence: an invocation (or an aligned copy of it).
struct Sample {
    const Invocation* invocation;
    double advantage;
};
using SamplesByAgent = std::map<std::string, std::vector<Sample>>;

// The splitmix64 finaliser over (a, b): every per-step, per-query and
// per-agent random stream of the trainer is seeded through it.
uint64_t mixSeed(uint64_t a, uint64_t b);

// `rollouts` are the step's B*K rollouts in query-major order; their
// invocations get advantages and alignment labels. `stepIndex` is the 0-based
// step (it seeds the alignment). Fills `metrics` (align.* values, d_k
// histograms) and `records` (one per query, see Trainer::lastBatchRecords).
SamplesByAgent buildSamples(std::vector<Rollout>& rollouts, const Topology& topology, const ExperimentConfig& config,
                            const std::map<std::string, int>& D, int stepIndex, StepMetrics& metrics,
                            std::vector<nlohmann::json>& records);

}  // namespace mgrpo::core
