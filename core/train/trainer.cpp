// The M-GRPO training loop (MGRPO.md sections 3-6), one readable file in the
// order of the algorithm. Pure math lives in advantages.h, alignment.h and
// policy_loss.h; execution of the hierarchy in agents/runtime.h.
#include "core/train/trainer.h"

#include "core/agents/agent_models.h"
#include "core/agents/env_task.h"
#include "core/agents/runtime.h"
#include "core/dist/codec.h"
#include "core/dist/session.h"
#include "core/env/question_generator.h"
#include "core/model/checkpoint.h"
#include "core/rollout/batching.h"
#include "core/rollout/scoring.h"
#include "core/train/agent_update.h"
#include "core/train/alignment.h"
#include "core/train/evaluation.h"
#include "core/train/sample_builder.h"
#include "core/util/atomic_dir.h"
#include "core/util/files.h"
#include "core/util/json_fields.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

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
    // Decoupled: agents trained by worker processes, and the newest version
    // (updates applied) of each one's parameters in `models`.
    std::shared_ptr<dist::Session> session;
    std::map<std::string, int> remoteVersion;
    std::map<std::string, double> remoteMetrics;  // collected since the last step's metrics

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
    }

    std::vector<Rollout> runRollouts(uint64_t questionBase, int queries, uint64_t runSeed) {
        tasks.clear();
        std::vector<const TaskInstance*> ptrs;
        const auto role = expertRole(topology.mainAgent());
        using env::QuestionGenerator;
        for (int b = 0; b < queries; ++b) {
            auto question = QuestionGenerator::training(config.stage, config.seed,
                                                        questionBase + static_cast<uint64_t>(b),
                                                        QuestionGenerator::Stream::Reinforcement);
            tasks.push_back(std::make_unique<EnvTask>(std::move(question), role));
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
        const auto prelim = runRollouts(uint64_t{1} << 40, config.preliminaryQueries, mixSeed(config.seed, 0xD));
        for (auto& [agent, d] : D) {
            std::vector<int> dk;
            for (const auto& r : prelim) dk.push_back(r.invocationCount(agent));
            d = chooseD(dk, config.dQuantile);
        }
    }

    // Phase 4 for one agent of this process.
    void update(const AgentSpec& agent, std::vector<Sample>& samples, StepMetrics& metrics) {
        auto* ref = config.klCoef > 0 ? &reference.models.at(agent.id) : nullptr;
        updateAgent(agent, metricPrefix(agent), models.models.at(agent.id), *optimizers.at(agent.id), ref, samples,
                    config, step, metrics.values);
    }

    std::vector<std::string> remoteAgents() const {
        std::vector<std::string> out;
        for (const auto& a : topology.agents)
            if (a.trained && session && session->isRemote(a.id)) out.push_back(a.id);
        return out;
    }

    // Sends this trainer's remote agents their start state (a new phase).
    void beginRemotePhase() {
        std::map<std::string, dist::AgentInit> init;
        for (const auto& id : remoteAgents()) {
            auto& in = init[id];
            in.parameters = dist::encodeParameters(models.models.at(id));
            in.optimizer = dist::encodeOptimizer(*optimizers.at(id));
            if (config.klCoef > 0) in.reference = dist::encodeParameters(reference.models.at(id));
            remoteVersion[id] = step;
        }
        session->beginPhase({{"config", toJson(config)}, {"topology", toJson(topology)}, {"D", D}, {"step", step}},
                            init);
    }

    // Applies the agent's next remote update (waits for it).
    void collectRemote(const std::string& id) {
        auto update = session->collect(id, remoteVersion.at(id) + 1);
        dist::decodeParameters(update.parameters, models.models.at(id), id);
        remoteVersion[id]++;
        for (const auto& [k, v] : update.metrics) remoteMetrics[k] = v;
    }

    // Rollouts of step `step` may use parameters at most maxStaleness updates old.
    void syncRemote(int atLeast) {
        for (const auto& id : remoteAgents()) {
            while (remoteVersion.at(id) < atLeast) collectRemote(id);
            while (remoteVersion.at(id) < step && session->ready(id, remoteVersion.at(id) + 1)) collectRemote(id);
        }
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
    if (pathExists(fs::path(runDir) / "run.json"))
        throw ConfigError("run directory '" + runDir + "' already holds a run; resume it or choose another");
    m->setUp(config.seed);
    createDirectories(runDir);
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
    if (!pathExists(ckpt / "trainer_state.json")) return t;  // killed before its first checkpoint: start over
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

void Trainer::decouple(std::shared_ptr<dist::Session> session) { m->session = std::move(session); }

StepMetrics Trainer::step() {
    if (finished()) throw std::logic_error("the run has finished all its steps");
    auto& s = *m;
    StepMetrics metrics;
    if (s.step == 0 && s.D.empty()) s.chooseAlignmentD();
    const auto remote = s.remoteAgents();
    if (!remote.empty() && s.remoteVersion.empty()) s.beginRemotePhase();  // after D is known
    const long long sentBefore = s.session ? dist::sessionBytesSent(*s.session) : 0;
    const long long receivedBefore = s.session ? dist::sessionBytesReceived(*s.session) : 0;
    if (!remote.empty()) s.syncRemote(s.step - s.session->maxStaleness());

    // 1. Rollouts: B queries x K samples through the hierarchy (2. rewards are assigned there).
    auto t0 = Clock::now();
    {
        c10::InferenceMode inference;
        s.rollouts = s.runRollouts(static_cast<uint64_t>(s.step) * static_cast<uint64_t>(s.config.queriesPerStep),
                                   s.config.queriesPerStep, mixSeed(s.config.seed, static_cast<uint64_t>(s.step) + 1));
    }
    const double rolloutSeconds = secondsSince(t0);
    s.rolloutsJson.clear();
    s.rolloutMetrics(metrics);

    // 3. Alignment and group-relative advantages per agent.
    auto samples = buildSamples(s.rollouts, s.topology, s.config, s.D, s.step, metrics, s.batchRecords);

    // 4. Each trained agent's own updates; frozen agents are never touched.
    // Remote agents train in their workers on this step's sub-trajectories
    // meanwhile; with max staleness 0 the step waits for their new weights.
    t0 = Clock::now();
    if (!remote.empty()) s.session->submitStep(s.step, s.rollouts, remote);
    for (const auto& agent : s.topology.agents)
        if (agent.trained && !(s.session && s.session->isRemote(agent.id))) s.update(agent, samples[agent.id], metrics);
    if (!remote.empty()) {
        s.syncRemote(s.step + 1 - s.session->maxStaleness());
        for (const auto& [k, v] : s.remoteMetrics) metrics.values[k] = v;
        s.remoteMetrics.clear();
    }
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
    if (s.session) {
        metrics.values["perf/store_bytes_sent"] = static_cast<double>(dist::sessionBytesSent(*s.session) - sentBefore);
        metrics.values["perf/store_bytes_received"] =
            static_cast<double>(dist::sessionBytesReceived(*s.session) - receivedBefore);
    }
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
    // Remote agents: every submitted update applied, their optimizer state fetched.
    for (const auto& id : s.remoteAgents()) {
        if (s.remoteVersion.empty()) break;  // no step sent yet: the local copies are current
        while (s.remoteVersion.at(id) < s.step) s.collectRemote(id);
        dist::decodeOptimizer(s.session->optimizerState(id, s.step), *s.optimizers.at(id));
    }
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
