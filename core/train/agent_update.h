// Core-internal: phase 4 of an M-GRPO step, one agent's PPO-style updates over
// its samples, as a free function so the single-process trainer and a
// decoupled worker process run the same code. Optionally data-parallel: each
// rank of the agent's group scores its share of every minibatch and the
// gradients are summed across the group before the (identical) optimizer step.
#pragma once

#include "core/model/transformer.h"
#include "core/train/policy_loss.h"
#include "core/train/sample_builder.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mgrpo::core {

struct DataParallel {
    int rank = 0;
    int size = 1;
    // Sums a float or double tensor in place over the group's ranks.
    std::function<void(torch::Tensor&)> allReduceSum;
};

// The schedule's learning rate at 0-based step `stepIndex` (warmup, cosine).
double learningRateAt(const ExperimentConfig& config, int stepIndex);
PolicyLossConfig policyLossConfig(const ExperimentConfig& config);

// Updates `agent`'s `model` with `optimizer` over `samples` (shuffled per epoch
// by a stream seeded from seed, step and agent id), at the schedule's learning
// rate times the agent's learning_rate_scale. Writes <prefix>/lr, loss,
// clipfrac, approx_kl, kl_ref, entropy, grad_norm and tokens into `metrics`.
// Throws TrainingError on a non-finite loss or gradient norm, ConfigError if
// the loss cannot be split across `dp`'s ranks exactly.
void updateAgent(const AgentSpec& agent, const std::string& prefix, TransformerLM& model,
                 torch::optim::AdamW& optimizer, TransformerLM* reference, std::vector<Sample>& samples,
                 const ExperimentConfig& config, int stepIndex, std::map<std::string, double>& metrics,
                 const DataParallel* dp = nullptr);

}  // namespace mgrpo::core
