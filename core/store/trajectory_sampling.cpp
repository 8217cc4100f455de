// sampleTrajectories (see trajectory_sampling.h).
#include "core/store/trajectory_sampling.h"

#include <algorithm>
#include <map>
#include <random>

namespace mgrpo::store {

std::vector<TrajectoryRecord> sampleTrajectories(const std::vector<TrajectoryRecord>& rollouts, int step,
                                                 bool evaluationStep, const SamplingPolicy& policy) {
    if (evaluationStep || policy.keepAll) return rollouts;
    std::vector<bool> keep(rollouts.size(), false);
    std::map<int, std::vector<size_t>> byQuery;  // training rollouts per query, input order
    for (size_t i = 0; i < rollouts.size(); ++i) {
        if (rollouts[i].split == "eval") keep[i] = true;
        else byQuery[rollouts[i].query].push_back(i);
    }
    for (const auto& [query, indices] : byQuery) {
        if (policy.keepBest) {
            const auto best = std::max_element(indices.begin(), indices.end(), [&](size_t x, size_t y) {
                return rollouts[x].reward < rollouts[y].reward;
            });
            keep[*best] = true;
        }
        if (policy.keepWorst) {
            const auto worst = std::min_element(indices.begin(), indices.end(), [&](size_t x, size_t y) {
                return rollouts[x].reward < rollouts[y].reward;
            });
            keep[*worst] = true;
        }
        std::vector<size_t> rest;
        for (size_t i : indices)
            if (!keep[i]) rest.push_back(i);
        std::seed_seq seq{static_cast<std::uint32_t>(policy.seed), static_cast<std::uint32_t>(policy.seed >> 32),
                          static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(query)};
        std::mt19937_64 rng(seq);
        for (int k = 0; k < policy.randomPerQuery && !rest.empty(); ++k) {
            std::uniform_int_distribution<size_t> pick(0, rest.size() - 1);
            const size_t at = pick(rng);
            keep[rest[at]] = true;
            rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(at));
        }
    }
    std::vector<TrajectoryRecord> out;
    for (size_t i = 0; i < rollouts.size(); ++i)
        if (keep[i]) out.push_back(rollouts[i]);
    return out;
}

}  // namespace mgrpo::store
