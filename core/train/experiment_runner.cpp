// The experiment's phases in order; each phase leaves a marker on disk when it
// is complete (warmstart/topology.json, stageN/final_topology.json) so a
// killed or stopped experiment resumes at the phase and step it reached.
#include "core/train/experiment_runner.h"

#include "core/util/files.h"
#include "core/util/json_fields.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace mgrpo::core {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSpecFile = "experiment.json";
constexpr const char* kFinalTopology = "final_topology.json";

void writeSpec(const fs::path& dir, const ExperimentSpec& spec, const std::optional<std::string>& stage1From) {
    auto j = toJson(spec);
    if (stage1From) j["stage1_from"] = *stage1From;
    std::ofstream out(dir / kSpecFile);
    out << j.dump(2) << '\n';
    if (!out) throw ConfigError("cannot write '" + (dir / kSpecFile).string() + "'");
}

bool trainerRunExists(const fs::path& runDir) { return pathExists(runDir / "run.json"); }

}  // namespace

Topology topologyFromRun(const std::string& runDir) {
    const fs::path dir(runDir);
    std::ifstream in(dir / "run.json");
    if (!in) throw ConfigError("'" + runDir + "' holds no training run (run.json is missing)");
    auto topology = topologyFromJson(nlohmann::json::parse(in).at("topology"));
    for (auto& a : topology.agents) a.checkpoint = absolutePath(dir / "checkpoint" / a.id);
    return topology;
}

ExperimentRunner::ExperimentRunner(ExperimentSpec spec, std::string outDir, std::optional<std::string> stage1From)
    : m_spec(std::move(spec)), m_outDir(std::move(outDir)), m_stage1From(std::move(stage1From)) {
    if (pathExists(fs::path(m_outDir) / kSpecFile))
        throw ConfigError("'" + m_outDir + "' already holds an experiment; resume it or choose another --out");
    if (m_stage1From && !pathExists(fs::path(*m_stage1From) / "stage1" / kFinalTopology))
        throw ConfigError("'" + *m_stage1From + "' has no finished stage 1 to start from");
    // Fail on a bad topology before anything is written.
    requireValid(topologyForAlgorithm(m_spec.topology, m_spec.training.algorithm));
    createDirectories(m_outDir);
    writeSpec(m_outDir, m_spec, m_stage1From);
}

ExperimentRunner ExperimentRunner::resume(const std::string& outDir) {
    const fs::path file = fs::path(outDir) / kSpecFile;
    std::ifstream in(file);
    if (!in) throw ConfigError("'" + outDir + "' holds no experiment (" + std::string(kSpecFile) + " is missing)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error&) {
        throw ConfigError("'" + file.string() + "' is corrupt");
    }
    ExperimentRunner r;
    r.m_spec = experimentSpecFromJson(j, outDir);
    r.m_outDir = outDir;
    if (j.contains("stage1_from")) r.m_stage1From = j["stage1_from"].get<std::string>();
    return r;
}

void ExperimentRunner::addListener(ExperimentListener* listener) { m_listeners.push_back(listener); }

int ExperimentRunner::totalSteps() const {
    return (m_stage1From ? 0 : m_spec.stage1Steps) + m_spec.training.steps;
}

int ExperimentRunner::checkpointedSteps() const {
    auto stepsIn = [](const fs::path& runDir) {
        std::ifstream in(runDir / "checkpoint" / "trainer_state.json");
        if (!in) return 0;
        try {
            return nlohmann::json::parse(in).at("step").get<int>();
        } catch (const std::exception&) {
            return 0;
        }
    };
    const int stage1 = m_stage1From ? 0 : stepsIn(fs::path(m_outDir) / "stage1");
    return stage1 + stepsIn(fs::path(m_outDir) / "stage2");
}

std::string ExperimentRunner::finalTopologyPath() const { return (fs::path(m_outDir) / kFinalTopology).string(); }

RunOutcome ExperimentRunner::run(RunControl* control) {
    bool stopped = false;
    Topology topology = warmStartPhase();
    topology = stage1Phase(topology, control, stopped);
    if (!stopped) stage2Phase(topology, control, stopped);
    return stopped ? RunOutcome::Stopped : RunOutcome::Finished;
}

// 1. Supervised warm start (stands in for the paper's pretrained models).
Topology ExperimentRunner::warmStartPhase() {
    const fs::path dir = fs::path(m_outDir) / "warmstart";
    if (!m_spec.warmStart.enabled() || m_stage1From) return m_spec.topology;
    if (pathExists(dir / "topology.json")) return loadTopologyFile((dir / "topology.json").string());
    for (auto* l : m_listeners) l->onPhase("warm-start", m_spec.warmStart.stage, m_spec.warmStart.steps);
    WarmStartOptions o;
    o.stage = m_spec.warmStart.stage;
    o.demonstrations = m_spec.warmStart.demonstrations;
    o.steps = m_spec.warmStart.steps;
    o.batchSize = m_spec.warmStart.batchSize;
    o.readingSteps = m_spec.warmStart.readingSteps;
    o.readingBatch = m_spec.warmStart.readingBatch;
    o.learningRate = m_spec.warmStart.learningRate;
    o.expert = m_spec.warmStart.expert;
    o.evalQueries = m_spec.training.evalQueries;
    o.seed = m_spec.training.seed;
    o.log = [this](const std::string& line) {
        for (auto* l : m_listeners) l->onLog(line);
    };
    // The single-agent baseline warm-starts on its own topology.
    const auto report = warmStart(m_spec.topology, o, dir.string());
    for (const auto& e : report.evaluations)
        for (auto* l : m_listeners) l->onEvaluation("warm-start", 0, e);
    return loadTopologyFile(report.topologyPath);
}

// 2. Curriculum stage 1: every hierarchy trains with M-GRPO here (main-only
// freezes sub-agents in stage 2 only); the single agent with plain GRPO.
Topology ExperimentRunner::stage1Phase(const Topology& start, RunControl* control, bool& stopped) {
    if (m_stage1From) return loadTopologyFile((fs::path(*m_stage1From) / "stage1" / kFinalTopology).string());
    if (m_spec.stage1Steps <= 0) return start;
    const fs::path dir = fs::path(m_outDir) / "stage1";
    if (pathExists(dir / kFinalTopology)) return loadTopologyFile((dir / kFinalTopology).string());
    auto config = m_spec.training;
    config.stage = 1;
    config.steps = m_spec.stage1Steps;
    if (config.algorithm != Algorithm::SingleAgent) config.algorithm = Algorithm::Mgrpo;
    auto trainer = trainerRunExists(dir) ? Trainer::resume(dir.string())
                                         : std::make_unique<Trainer>(start, config, dir.string());
    if (m_session) trainer->decouple(m_session);
    for (auto* l : m_listeners) l->onPhase("stage1", 1, config.steps);
    if (!drive(*trainer, "stage1", 0, control)) {
        stopped = true;
        return start;
    }
    const auto end = topologyFromRun(dir.string());
    saveTopologyFile(end, (dir / kFinalTopology).string());
    return end;
}

// 3. The main stage with the configured algorithm.
void ExperimentRunner::stage2Phase(const Topology& start, RunControl* control, bool& stopped) {
    const fs::path dir = fs::path(m_outDir) / "stage2";
    if (pathExists(dir / kFinalTopology)) return;
    auto trainer = trainerRunExists(dir) ? Trainer::resume(dir.string())
                                         : std::make_unique<Trainer>(start, m_spec.training, dir.string());
    if (m_session) trainer->decouple(m_session);
    for (auto* l : m_listeners) l->onPhase("stage2", m_spec.training.stage, m_spec.training.steps);
    const int offset = m_stage1From ? 0 : m_spec.stage1Steps;
    if (!drive(*trainer, "stage2", offset, control)) {
        stopped = true;
        return;
    }
    const auto end = topologyFromRun(dir.string());
    saveTopologyFile(end, (dir / kFinalTopology).string());
    saveTopologyFile(end, finalTopologyPath());
}

bool ExperimentRunner::drive(Trainer& trainer, const std::string& phase, int stepOffset, RunControl* control) {
    const auto& c = trainer.config();
    while (!trainer.finished()) {
        while (control && control->pause && !control->stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (control && control->stop) {
            trainer.saveCheckpoint();
            for (auto* l : m_listeners)
                l->onCheckpoint(phase, stepOffset + trainer.completedSteps(), trainer.runDir() + "/checkpoint");
            return false;
        }
        const auto metrics = trainer.step();
        const int global = stepOffset + metrics.step;
        for (auto* l : m_listeners) l->onStep(phase, global, metrics, trainer);
        if (metrics.checkpointed)
            for (auto* l : m_listeners) l->onCheckpoint(phase, global, trainer.runDir() + "/checkpoint");
        if (c.evalEvery > 0 && (metrics.step % c.evalEvery == 0 || trainer.finished())) {
            const auto report = trainer.evaluate(c.stage, c.evalQueries);
            for (auto* l : m_listeners) l->onEvaluation(phase, global, report);
        }
    }
    return true;
}

}  // namespace mgrpo::core
