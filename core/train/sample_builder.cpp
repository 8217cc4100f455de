// Phase 3 of the trainer, extracted so a decoupled worker runs the same code.
#include "core/train/sample_builder.h"

#include "core/train/advantages.h"
#include "core/train/alignment.h"

#include <algorithm>
#include <random>

namespace mgrpo::core {

uint64_t mixSeed(uint64_t a, uint64_t b) {
    uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

SamplesByAgent buildSamples(std::vector<Rollout>& rollouts, const Topology& topology, const ExperimentConfig& config,
                            const std::map<std::string, int>& D, int stepIndex, StepMetrics& metrics,
                            std::vector<nlohmann::json>& records) {
    SamplesByAgent samples;
    const int K = config.samplesPerQuery;
    const int B = static_cast<int>(rollouts.size()) / K;
    const auto& mainId = topology.mainAgent().id;
    records.assign(static_cast<size_t>(B), nlohmann::json::object());
    // Main agent: one advantage per rollout over the K rollouts of its query.
    for (int b = 0; b < B; ++b) {
        std::vector<double> r;
        for (int k = 0; k < K; ++k) r.push_back(rollouts[static_cast<size_t>(b * K + k)].rewardMain);
        const auto adv = groupAdvantages(r);
        auto& record = records[static_cast<size_t>(b)];
        record = {{"step", stepIndex + 1}, {"query", b}, {"rollouts", nlohmann::json::array()},
                  {"sub_slots", nlohmann::json::array()}};
        for (int k = 0; k < K; ++k) {
            auto& rollout = rollouts[static_cast<size_t>(b * K + k)];
            auto& main = rollout.invocations.front();
            main.advantage = adv[static_cast<size_t>(k)];
            samples[mainId].push_back({&main, main.advantage});
            nlohmann::json dkByAgent = nlohmann::json::object();
            int dk = 0;
            for (const auto& inv : rollout.invocations)
                if (inv.parent >= 0) dk++, dkByAgent[inv.agentId] = dkByAgent.value(inv.agentId, 0) + 1;
            record["rollouts"].push_back(
                {{"R_M", rollout.rewardMain}, {"A_M", main.advantage}, {"d_k", dk}, {"d_k_by_agent", dkByAgent}});
        }
    }
    // Sub-agents: align to D per rollout, then standardise over the query's D*K slots.
    for (const auto& agent : topology.agents) {
        if (agent.role != AgentRole::Sub) continue;
        const auto prefix = "align." + agent.id;
        double slots = 0, duplicated = 0, dropped = 0, masked = 0, maskedRollouts = 0, arrived = 0;
        for (int b = 0; b < B; ++b) {
            std::vector<std::vector<Invocation*>> subs(static_cast<size_t>(K));
            std::vector<int> dk;
            for (int k = 0; k < K; ++k) {
                for (auto& inv : rollouts[static_cast<size_t>(b * K + k)].invocations)
                    if (inv.agentId == agent.id && inv.parent >= 0) subs[static_cast<size_t>(k)].push_back(&inv);
                dk.push_back(static_cast<int>(subs[static_cast<size_t>(k)].size()));
                metrics.dkHistogram[agent.id][dk.back()]++;
                arrived += dk.back();
            }
            auto& slotRecords = records[static_cast<size_t>(b)]["sub_slots"];
            if (config.algorithm == Algorithm::MgrpoUnaligned) {
                // The ablation: whatever arrived forms the group, no alignment.
                std::vector<Invocation*> group;
                std::vector<std::pair<int, int>> origin;  // (rollout, source)
                std::vector<double> r;
                for (size_t k = 0; k < subs.size(); ++k)
                    for (size_t i = 0; i < subs[k].size(); ++i)
                        group.push_back(subs[k][i]), r.push_back(subs[k][i]->reward),
                            origin.emplace_back(static_cast<int>(k), static_cast<int>(i));
                const auto adv = groupAdvantages(r);
                for (size_t i = 0; i < group.size(); ++i) {
                    group[i]->advantage = adv[i];
                    group[i]->alignment = "unaligned";
                    samples[agent.id].push_back({group[i], adv[i]});
                    slotRecords.push_back({{"agent", agent.id}, {"rollout", origin[i].first}, {"slot", i},
                                           {"status", "original"}, {"source", origin[i].second},
                                           {"R_S", group[i]->reward}, {"A_S", adv[i]}});
                }
                slots += static_cast<double>(group.size());
                continue;
            }
            std::mt19937_64 rng(mixSeed(mixSeed(config.seed, static_cast<uint64_t>(stepIndex)), static_cast<uint64_t>(b)));
            const auto al = alignTrajectories(dk, D.at(agent.id), rng);
            std::vector<double> r;
            std::vector<uint8_t> counted;
            for (const auto& s : al.slots) {
                const bool isMasked = s.status == SlotStatus::Masked;
                r.push_back(isMasked ? 0.0 : subs[static_cast<size_t>(s.rollout)][static_cast<size_t>(s.source)]->reward);
                counted.push_back(isMasked ? 0 : 1);
            }
            const auto adv = groupAdvantages(r, counted);
            std::map<Invocation*, int> copies;
            for (size_t i = 0; i < al.slots.size(); ++i) {
                const auto& s = al.slots[i];
                const int slotInRollout = static_cast<int>(i) % D.at(agent.id);
                if (s.status == SlotStatus::Masked) {  // weight 0: contributes nothing
                    slotRecords.push_back({{"agent", agent.id}, {"rollout", s.rollout}, {"slot", slotInRollout},
                                           {"status", "masked"}, {"source", nullptr}, {"R_S", nullptr},
                                           {"A_S", 0.0}});
                    continue;
                }
                auto* inv = subs[static_cast<size_t>(s.rollout)][static_cast<size_t>(s.source)];
                inv->advantage = adv[i];
                if (s.status == SlotStatus::Duplicate) copies[inv]++;
                samples[agent.id].push_back({inv, adv[i]});
                slotRecords.push_back({{"agent", agent.id}, {"rollout", s.rollout}, {"slot", slotInRollout},
                                       {"status", toString(s.status)}, {"source", s.source},
                                       {"R_S", inv->reward}, {"A_S", adv[i]}});
            }
            for (const auto& [k, src] : al.dropped) {
                auto* inv = subs[static_cast<size_t>(k)][static_cast<size_t>(src)];
                inv->alignment = "dropped";
                slotRecords.push_back({{"agent", agent.id}, {"rollout", k}, {"status", "dropped"},
                                       {"source", src}, {"R_S", inv->reward}});
            }
            for (const auto& [inv, n] : copies) inv->alignment = "original+" + std::to_string(n) + " duplicates";
            for (size_t k = 0; k < subs.size(); ++k)
                if (subs[k].empty())
                    rollouts[static_cast<size_t>(b * K) + k].invocations.front().alignment =
                        "masked (" + std::to_string(D.at(agent.id)) + " empty " + agent.id + " slots)";
            slots += static_cast<double>(al.slots.size());
            duplicated += al.duplicates;
            dropped += static_cast<double>(al.dropped.size());
            masked += al.masked;
            maskedRollouts += al.maskedRollouts;
        }
        const double n = std::max(1.0, slots);
        metrics.values[prefix + "/D"] = config.algorithm == Algorithm::MgrpoUnaligned ? 0 : D.at(agent.id);
        metrics.values[prefix + "/duplicated_frac"] = duplicated / n;
        metrics.values[prefix + "/masked_frac"] = masked / n;
        metrics.values[prefix + "/dropped_frac"] = arrived > 0 ? dropped / arrived : 0.0;
        metrics.values[prefix + "/masked_rollouts"] = maskedRollouts;
        metrics.values[prefix + "/slots"] = slots;
    }
    return samples;
}

}  // namespace mgrpo::core
