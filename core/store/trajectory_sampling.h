// Which rollouts of a step are kept in the history, so a long run does not
// grow to gigabytes: every rollout of an evaluation step (and every "eval"
// rollout), and per query at training steps the best, the worst and a few
// random ones. A pure function: same input and seed, same selection.
#pragma once

#include "core/store/records.h"

#include <cstdint>
#include <vector>

namespace mgrpo::store {

struct SamplingPolicy {
    bool keepBest = true;       // highest reward per query (first on ties)
    bool keepWorst = true;      // lowest reward per query (first on ties)
    int randomPerQuery = 1;     // further rollouts drawn uniformly, without repeats
    bool keepAll = false;       // keep every rollout at every step
    std::uint64_t seed = 0;     // with the step and query, seeds the random draw
};

// The kept rollouts in their input order.
std::vector<TrajectoryRecord> sampleTrajectories(const std::vector<TrajectoryRecord>& rollouts, int step,
                                                 bool evaluationStep, const SamplingPolicy& policy);

}  // namespace mgrpo::store
