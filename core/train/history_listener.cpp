#include "core/train/history_listener.h"

#include "core/util/files.h"

#include <fstream>
#include <stdexcept>

namespace mgrpo::core {

namespace fs = std::filesystem;

store::RunSpec runSpecFor(const ExperimentSpec& spec, const std::string& outDir) {
    store::RunSpec r;
    r.experiment = spec.training.name;
    r.algorithm = toString(spec.training.algorithm);
    r.config = toJson(spec);
    r.topology = toJson(spec.topology);
    r.seed = static_cast<std::int64_t>(spec.training.seed);
    r.device = spec.topology.agents.empty() ? "cpu" : spec.topology.agents.front().device;
    r.runDir = absolutePath(outDir);
    return r;
}

std::map<std::string, double> storedMetrics(const StepMetrics& metrics) {
    auto values = metrics.values;
    for (const auto& [agent, histogram] : metrics.dkHistogram)
        for (const auto& [dk, rollouts] : histogram)
            values["align." + agent + "/dk_" + std::to_string(dk)] = rollouts;
    return values;
}

void writeHistoryLink(const std::string& outDir, const HistoryLink& link) {
    std::ofstream out(fs::path(outDir) / "history.json");
    out << nlohmann::json{{"db", link.db}, {"run_id", link.run}}.dump(2) << '\n';
}

std::optional<HistoryLink> readHistoryLink(const std::string& outDir) {
    std::ifstream in(fs::path(outDir) / "history.json");
    if (!in) return std::nullopt;
    const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("db") || !j.contains("run_id")) return std::nullopt;
    return HistoryLink{j["db"].get<std::string>(), j["run_id"].get<store::RunId>()};
}

HistoryListener::HistoryListener(const fs::path& dbPath, store::RunId run)
    : m_recorder(std::make_unique<store::RunRecorder>(dbPath, run)) {}

void HistoryListener::onStep(const std::string& phase, int globalStep, const StepMetrics& metrics,
                             const Trainer& trainer) {
    store::StepRecord record;
    record.step = globalStep;
    record.metrics = storedMetrics(metrics);
    record.metrics["progress/stage"] = phase == "stage1" ? 1 : trainer.config().stage;
    const auto& trees = trainer.lastRolloutsJson();
    for (size_t i = 0; i < trees.size(); ++i) {
        const auto& r = trainer.lastRollouts()[i];
        store::TrajectoryRecord t;
        t.query = r.query;
        t.rollout = r.sample;
        t.question = r.main().task;
        t.reward = r.rewardMain;
        t.correct = r.correct;
        t.treeJson = trees[i];
        record.trajectories.push_back(std::move(t));
    }
    m_recorder->recordStep(std::move(record));
}

void HistoryListener::onEvaluation(const std::string& phase, int globalStep, const EvalReport& e) {
    store::StepRecord record;
    record.step = globalStep;
    store::EvaluationRecord eval;
    eval.suite = (phase == "warm-start" ? "warm-start/stage" : "heldout/stage") + std::to_string(e.stage);
    eval.queries = e.queries;
    eval.metrics = evalMetrics(e);
    record.evaluation = eval;
    m_recorder->recordStep(std::move(record));
}

void HistoryListener::onCheckpoint(const std::string& /*phase*/, int globalStep, const std::string& dir) {
    store::CheckpointRecord c;
    c.step = globalStep;
    c.path = absolutePath(dir);
    try {
        for (const auto& file : listRegularFiles(dir))
            c.sizeBytes += static_cast<std::int64_t>(fileSize(fs::path(dir) / file));
    } catch (const std::runtime_error&) {
        // The size is informational: a checkpoint being replaced meanwhile must not fail the run.
    }
    m_recorder->recordCheckpoint(c);
}

}  // namespace mgrpo::core
