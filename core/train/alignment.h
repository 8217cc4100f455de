// Trajectory alignment (MGRPO.md section 4), pure and torch-free: every
// rollout k of a query contributes exactly D sub-agent slots.
//   d_k < D: all d_k originals + (D - d_k) duplicates drawn uniformly (with
//            replacement) from the rollout's own d_k
//   d_k > D: D originals kept at random, the rest dropped
//   d_k = 0: D masked slots (weight 0), ours
// Every slot records what it is, so the inspector can show it.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace mgrpo::core {

enum class SlotStatus { Original, Duplicate, Masked };

struct AlignedSlot {
    int rollout = 0;       // k
    int source = -1;       // index among the rollout's sub-invocations; -1 when masked
    SlotStatus status = SlotStatus::Original;
};

struct Alignment {
    int D = 0;
    std::vector<AlignedSlot> slots;                 // K * D, rollout-major
    std::vector<std::pair<int, int>> dropped;       // (rollout, source) left out of the batch
    int originals = 0, duplicates = 0, masked = 0;  // slot counts
    int maskedRollouts = 0;                         // rollouts with d_k = 0
};

// dk[k] = sub-invocations of rollout k. D >= 1.
Alignment alignTrajectories(std::span<const int> dk, int D, std::mt19937_64& rng);

// Smallest D with P(d <= D) >= quantile over a preliminary sample of d_k
// (the paper's D_max at 0.99); at least 1.
int chooseD(std::vector<int> dk, double quantile = 0.99);

const char* toString(SlotStatus status);

}  // namespace mgrpo::core
