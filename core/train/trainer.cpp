// The M-GRPO training loop (MGRPO.md sections 3-6), one readable file in the
// order of the algorithm. Pure math lives in advantages.h, alignment.h and
// policy_loss.h; execution of the hierarchy in agents/runtime.h.
#include "core/train/trainer.h"

#include "core/agents/agent_models.h"
#include "core/agents/env_task.h"
#include "core/agents/runtime.h"
#include "core/env/question_generator.h"
#include "core/model/checkpoint.h"
#include "core/rollout/batching.h"
#include "core/rollout/scoring.h"
#include "core/train/advantages.h"
#include "core/train/alignment.h"
#include "core/train/evaluation.h"
#include "core/train/policy_loss.h"
#include "core/util/atomic_dir.h"
#include "core/util/json_fields.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace mgrpo::core {

namespace fs = std::filesystem;

TrainingError::TrainingError(const std::string& agent, const std::string& quantity, int step)
    : std::runtime_error("step " + std::to_string(step) + ": agent '" + agent + "': " + quantity +
                         " is not finite (NaN or Inf); the step was abandoned and the last checkpoint kept"),
      m_agent(agent), m_quantity(quantity) {}

Topology topologyForAlgorithm(const Topology& topology, Algorithm algorithm) {
    auto t = topology;
    const bool hasSubs = t.agents.size() > 1;
    if (algorithm == Algorithm::SingleAgent && hasSubs)
        throw ConfigError("algorithm single-agent needs a topology with one agent, '" + t.name + "' has " +
                          std::to_string(t.agents.size()));
    if (algorithm == Algorithm::MainOnly)
        for (auto& a : t.agents)
            if (a.role == AgentRole::Sub) a.trained = false;
    return t;
}

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

uint64_t mix(uint64_t a, uint64_t b) {
    uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// One training sequence: an invocation (or an aligned copy of it).
struct Sample {
    const Invocation* invocation;
    double advantage;
};

nlohmann::json readJson(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw ConfigError("run file '" + file.string() + "' is missing");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError("run file '" + file.string() + "' is corrupt: " + e.what());
    }
}

void writeJson(const fs::path& file, const nlohmann::json& j) {
    std::ofstream out(file);
    out << j.dump(2) << '\n';
    if (!out) throw ConfigError("cannot write '" + file.string() + "'");
}

std::string metricPrefix(const AgentSpec& a) { return a.role == AgentRole::Main ? "main" : "sub." + a.id; }

}  // namespace

struct Trainer::Impl {
    ExperimentConfig config;
    Topology initial;   // as given (start checkpoints), for the KL reference
    Topology topology;  // with the algorithm applied
    std::string runDir;
    AgentModels models;
    AgentModels reference;  // frozen start policies, only when kl_coef > 0
    std::map<std::string, std::unique_ptr<torch::optim::AdamW>> optimizers;
    std::map<std::string, int> D;  // aligned sub-trajectories per rollout, per sub-agent
    int step = 0;
    std::vector<std::unique_ptr<EnvTask>> tasks;
    std::vector<Rollout> rollouts;
    std::vector<std::string> rolloutsJson;  // lazily filled from `rollouts`; cleared each step
    std::vector<nlohmann::json> batchRecords;  // per query of the last step (see Trainer::lastBatchRecords)
    PolicyLossConfig loss;

    void setUp(uint64_t modelSeed) {
        topology = topologyForAlgorithm(initial, config.algorithm);
        requireValid(topology);
        models = buildAgentModels(topology, modelSeed);
        if (config.klCoef > 0) reference = buildAgentModels(initial, modelSeed);
        for (const auto& a : topology.agents)
            if (a.trained)
                optimizers[a.id] = std::make_unique<torch::optim::AdamW>(
                    models.models.at(a.id)->parameters(),
                    torch::optim::AdamWOptions(config.learningRate).weight_decay(config.weightDecay));
        loss.clipLow = config.clipLow;
        loss.clipHigh = config.clipHigh;
        loss.ratio = ratioLevelFromString(config.ratioLevel);
        loss.aggregation = aggregationFromString(config.lossAggregation);
        loss.klCoef = config.klCoef;
        loss.entropyCoef = config.entropyCoef;
    }

    std::vector<Rollout> runRollouts(uint64_t questionBase, int queries, uint64_t runSeed) {
        tasks.clear();
        std::vector<const TaskInstance*> ptrs;
        const auto role = expertRole(topology.mainAgent());
        for (int b = 0; b < queries; ++b) {
            const auto qseed = env::QuestionGenerator::trainingSeed(config.seed, questionBase + static_cast<uint64_t>(b));
            tasks.push_back(std::make_unique<EnvTask>(env::QuestionGenerator::make(config.stage, qseed), role));
            ptrs.push_back(tasks.back().get());
        }
        AgentRuntime runtime(topology, neuralPolicies(topology, models, config.temperature));
        return runtime.run(ptrs, config.samplesPerQuery, runSeed, config.rewards);
    }

    // Automatic D (MGRPO.md section 4): the dQuantile of d_k over a preliminary
    // batch drawn from seeds no training step uses.
    void chooseAlignmentD() {
        for (const auto& a : topology.agents)
            if (a.role == AgentRole::Sub) D[a.id] = config.fixedD;
        if (config.fixedD > 0 || D.empty()) return;
        const auto prelim = runRollouts(uint64_t{1} << 40, config.preliminaryQueries, mix(config.seed, 0xD));
        for (auto& [agent, d] : D) {
            std::vector<int> dk;
            for (const auto& r : prelim) dk.push_back(r.invocationCount(agent));
            d = chooseD(dk, config.dQuantile);
        }
    }

    double learningRate(int stepIndex) const {
        double lr = config.learningRate;
        if (config.warmupSteps > 0 && stepIndex < config.warmupSteps)
            lr *= static_cast<double>(stepIndex + 1) / config.warmupSteps;
        if (config.lrSchedule == "cosine")
            lr *= 0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * stepIndex / std::max(1, config.steps)));
        return lr;
    }

    // Phase 3: advantages per agent, as training samples.
    std::map<std::string, std::vector<Sample>> buildSamples(StepMetrics& metrics) {
        std::map<std::string, std::vector<Sample>> samples;
        const int K = config.samplesPerQuery;
        const int B = static_cast<int>(rollouts.size()) / K;
        const auto& mainId = topology.mainAgent().id;
        batchRecords.assign(static_cast<size_t>(B), nlohmann::json::object());
        // Main agent: one advantage per rollout over the K rollouts of its query.
        for (int b = 0; b < B; ++b) {
            std::vector<double> r;
            for (int k = 0; k < K; ++k) r.push_back(rollouts[static_cast<size_t>(b * K + k)].rewardMain);
            const auto adv = groupAdvantages(r);
            auto& record = batchRecords[static_cast<size_t>(b)];
            record = {{"step", step + 1}, {"query", b}, {"rollouts", nlohmann::json::array()},
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
                auto& slotRecords = batchRecords[static_cast<size_t>(b)]["sub_slots"];
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
                std::mt19937_64 rng(mix(mix(config.seed, static_cast<uint64_t>(step)), static_cast<uint64_t>(b)));
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

    // Phase 4: one agent's PPO-style updates over its samples.
    void update(const AgentSpec& agent, std::vector<Sample>& samples, StepMetrics& metrics) {
        auto& model = models.models.at(agent.id);
        auto& opt = *optimizers.at(agent.id);
        const auto prefix = metricPrefix(agent);
        const double lr = learningRate(step);
        for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        metrics.values[prefix + "/lr"] = lr;
        if (samples.empty()) return;
        model->train();
        const auto device = model->parameters().front().device();
        const double temperature = config.temperature;
        std::mt19937_64 rng(mix(mix(config.seed, static_cast<uint64_t>(step)), std::hash<std::string>{}(agent.id)));
        double lossSum = 0, clipSum = 0, klSum = 0, refKlSum = 0, entSum = 0, normSum = 0;
        int updates = 0;
        long long tokens = 0;
        for (int epoch = 0; epoch < config.epochs; ++epoch) {
            std::vector<size_t> order(samples.size());
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            const size_t per = (order.size() + static_cast<size_t>(config.miniBatches) - 1) /
                               static_cast<size_t>(config.miniBatches);
            for (size_t start = 0; start < order.size(); start += per) {
                const size_t end = std::min(order.size(), start + per);
                std::vector<std::vector<int>> seqs;
                std::vector<float> maskFlat, oldFlat, advs;
                for (size_t i = start; i < end; ++i) seqs.push_back(samples[order[i]].invocation->tokens());
                auto packed = packSequences(seqs, PadSide::Right, device);
                const auto T = packed.tokens.size(1);
                maskFlat.assign((end - start) * static_cast<size_t>(T), 0.f);
                oldFlat.assign(maskFlat.size(), 0.f);
                for (size_t i = start; i < end; ++i) {
                    const auto* inv = samples[order[i]].invocation;
                    const auto m = inv->lossMask();
                    const auto o = inv->oldLogProbs();
                    const size_t row = (i - start) * static_cast<size_t>(T);
                    for (size_t t = 0; t < m.size(); ++t) {
                        maskFlat[row + t] = m[t];
                        oldFlat[row + t] = o[t];
                    }
                    advs.push_back(static_cast<float>(samples[order[i]].advantage));
                }
                const auto rows = static_cast<int64_t>(end - start);
                auto mask = torch::from_blob(maskFlat.data(), {rows, T}, torch::kFloat).to(device, false, true);
                auto old = torch::from_blob(oldFlat.data(), {rows, T}, torch::kFloat).to(device, false, true);
                auto adv = torch::from_blob(advs.data(), {rows}, torch::kFloat).to(device, false, true);
                tokens += static_cast<long long>(mask.sum().item<double>());
                auto scores = scoreTokens(model, packed.tokens, packed.lengths, temperature);
                std::optional<torch::Tensor> refLogp;
                if (config.klCoef > 0) {
                    torch::NoGradGuard noGrad;
                    refLogp = scoreTokens(reference.models.at(agent.id), packed.tokens, packed.lengths, temperature).logProbs;
                }
                auto terms = policyLoss(scores.logProbs, old, adv, mask, loss, refLogp, scores.entropy);
                const double lossValue = terms.loss.item<double>();
                if (!std::isfinite(lossValue)) throw TrainingError(agent.id, "loss", step + 1);
                opt.zero_grad();
                terms.loss.backward();
                const double norm = config.gradClip > 0
                                        ? torch::nn::utils::clip_grad_norm_(model->parameters(), config.gradClip)
                                        : torch::nn::utils::clip_grad_norm_(model->parameters(), 1e30);
                if (!std::isfinite(norm)) throw TrainingError(agent.id, "gradient norm", step + 1);
                opt.step();
                lossSum += lossValue;
                clipSum += terms.clipFraction;
                klSum += terms.approxKl;
                refKlSum += terms.klToRef;
                entSum += terms.entropy;
                normSum += norm;
                updates++;
            }
        }
        model->eval();
        const double u = std::max(1, updates);
        metrics.values[prefix + "/loss"] = lossSum / u;
        metrics.values[prefix + "/clipfrac"] = clipSum / u;
        metrics.values[prefix + "/approx_kl"] = klSum / u;
        metrics.values[prefix + "/kl_ref"] = refKlSum / u;
        metrics.values[prefix + "/entropy"] = entSum / u;
        metrics.values[prefix + "/grad_norm"] = normSum / u;
        metrics.values[prefix + "/tokens"] = static_cast<double>(tokens);
    }

    void rolloutMetrics(StepMetrics& metrics) const {
        double reward = 0, correct = 0, format = 0;
        for (const auto& r : rollouts) {
            reward += r.rewardMain;
            correct += r.correct;
            format += r.main().formatValid;
        }
        const double n = std::max<size_t>(1, rollouts.size());
        metrics.values["main/reward_mean"] = reward / n;
        metrics.values["main/accuracy"] = correct / n;
        metrics.values["main/format_rate"] = format / n;
        for (const auto& agent : topology.agents) {
            if (agent.role != AgentRole::Sub) continue;
            double count = 0, rs = 0, expert = 0, valid = 0;
            for (const auto& r : rollouts)
                for (const auto& inv : r.invocations)
                    if (inv.agentId == agent.id && inv.parent >= 0) {
                        count++;
                        rs += inv.reward;
                        expert += inv.expertScore;
                        valid += inv.formatValid;
                    }
            const auto p = "sub." + agent.id;
            metrics.values[p + "/reward_mean"] = count ? rs / count : 0.0;
            metrics.values[p + "/expert_mean"] = count ? expert / count : 0.0;
            metrics.values[p + "/format_rate"] = count ? valid / count : 0.0;
            metrics.values[p + "/invocations_mean"] = count / n;
        }
    }
};

Trainer::Trainer() : m(std::make_unique<Impl>()) {}
Trainer::~Trainer() = default;

Trainer::Trainer(const Topology& topology, const ExperimentConfig& config, const std::string& runDir)
    : m(std::make_unique<Impl>()) {
    m->config = config;
    m->initial = topology;
    m->runDir = runDir;
    if (fs::exists(fs::path(runDir) / "run.json"))
        throw ConfigError("run directory '" + runDir + "' already holds a run; resume it or choose another");
    m->setUp(config.seed);
    fs::create_directories(runDir);
    writeJson(fs::path(runDir) / "run.json", {{"experiment", toJson(config)}, {"topology", toJson(topology)}});
}

std::unique_ptr<Trainer> Trainer::resume(const std::string& runDir) {
    const auto run = readJson(fs::path(runDir) / "run.json");
    std::unique_ptr<Trainer> t(new Trainer());
    auto& m = *t->m;
    m.config = experimentConfigFromJson(run.at("experiment"));
    m.initial = topologyFromJson(run.at("topology"));
    m.runDir = runDir;
    m.setUp(m.config.seed);
    const fs::path ckpt = fs::path(runDir) / "checkpoint";
    if (!fs::exists(ckpt / "trainer_state.json")) return t;  // killed before its first checkpoint: start over
    const auto state = readJson(ckpt / "trainer_state.json");
    m.step = state.at("step").get<int>();
    m.D = state.at("alignment_d").get<std::map<std::string, int>>();
    for (const auto& agent : m.topology.agents) {
        auto loaded = loadCheckpoint(ckpt / agent.id, m.models.models.at(agent.id)->config(),
                                     m.models.models.at(agent.id)->parameters().front().device());
        torch::NoGradGuard noGrad;
        auto dst = m.models.models.at(agent.id)->parameters();
        auto src = loaded.model->parameters();
        for (size_t i = 0; i < dst.size(); ++i) dst[i].copy_(src[i]);
        if (m.optimizers.count(agent.id)) loadOptimizerState(ckpt / agent.id, *m.optimizers.at(agent.id));
    }
    return t;
}

StepMetrics Trainer::step() {
    if (finished()) throw std::logic_error("the run has finished all its steps");
    auto& s = *m;
    StepMetrics metrics;
    if (s.step == 0 && s.D.empty()) s.chooseAlignmentD();

    // 1. Rollouts: B queries x K samples through the hierarchy (2. rewards are assigned there).
    auto t0 = Clock::now();
    {
        c10::InferenceMode inference;
        s.rollouts = s.runRollouts(static_cast<uint64_t>(s.step) * static_cast<uint64_t>(s.config.queriesPerStep),
                                   s.config.queriesPerStep, mix(s.config.seed, static_cast<uint64_t>(s.step) + 1));
    }
    const double rolloutSeconds = secondsSince(t0);
    s.rolloutsJson.clear();
    s.rolloutMetrics(metrics);

    // 3. Alignment and group-relative advantages per agent.
    auto samples = s.buildSamples(metrics);

    // 4. Each trained agent's own updates; frozen agents are never touched.
    t0 = Clock::now();
    for (const auto& agent : s.topology.agents)
        if (agent.trained) s.update(agent, samples[agent.id], metrics);
    const double updateSeconds = secondsSince(t0);

    // 5. Metrics and checkpoint.
    s.step++;
    metrics.step = s.step;
    double tokens = 0;
    for (const auto& r : s.rollouts)
        for (const auto& inv : r.invocations)
            for (const auto& seg : inv.segments)
                if (seg.kind == SegmentKind::Action) tokens += static_cast<double>(seg.tokens.size());
    metrics.values["perf/rollout_s"] = rolloutSeconds;
    metrics.values["perf/update_s"] = updateSeconds;
    metrics.values["perf/generated_tokens_per_s"] = tokens / std::max(1e-9, rolloutSeconds);
    metrics.checkpointed = (s.config.checkpointEvery > 0 && s.step % s.config.checkpointEvery == 0) || finished();
    if (metrics.checkpointed) saveCheckpoint();
    return metrics;
}

bool Trainer::finished() const { return m->step >= m->config.steps; }
int Trainer::completedSteps() const { return m->step; }
const std::vector<Rollout>& Trainer::lastRollouts() const { return m->rollouts; }
const std::vector<std::string>& Trainer::lastRolloutsJson() const {
    if (m->rolloutsJson.size() != m->rollouts.size()) {
        m->rolloutsJson.clear();
        for (const auto& r : m->rollouts) m->rolloutsJson.push_back(toJson(r).dump());
    }
    return m->rolloutsJson;
}
const std::vector<nlohmann::json>& Trainer::lastBatchRecords() const { return m->batchRecords; }
const ExperimentConfig& Trainer::config() const { return m->config; }
const Topology& Trainer::topology() const { return m->topology; }
std::map<std::string, int> Trainer::alignmentD() const { return m->D; }
const std::string& Trainer::runDir() const { return m->runDir; }

void Trainer::saveCheckpoint() {
    auto& s = *m;
    writeDirectoryAtomically(fs::path(s.runDir) / "checkpoint", [&](const fs::path& tmp) {
        for (const auto& agent : s.topology.agents) {
            auto it = s.optimizers.find(agent.id);
            mgrpo::core::saveCheckpoint(tmp / agent.id, s.models.models.at(agent.id), *s.models.tokenizer,
                           it == s.optimizers.end() ? nullptr : it->second.get(),
                           {{"agent", agent.id}, {"step", s.step}});
        }
        writeJson(tmp / "trainer_state.json", {{"step", s.step}, {"alignment_d", s.D}});
    });
}

EvalReport Trainer::evaluate(int stage, int queries) {
    return evaluateModels(m->topology, m->models, stage, queries, m->config.seed);
}

}  // namespace mgrpo::core
