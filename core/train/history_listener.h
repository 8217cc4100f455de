// Records an experiment into the SQLite history as it runs: one StepRecord
// per training step (metrics, the d_k histogram, a sample of the trajectory
// trees), evaluations and checkpoints, through the store's background writer
// so training never waits on disk. The CLI and the GUI worker both use it.
#pragma once

#include "core/store/run_recorder.h"
#include "core/train/experiment_runner.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace mgrpo::core {

// The run row an experiment is recorded under (created by the caller).
store::RunSpec runSpecFor(const ExperimentSpec& spec, const std::string& outDir);

// The metrics of one trainer step as stored: the trainer's values plus the
// d_k histogram flattened to "align.<agent>/dk_<n>" (rollouts with d_k = n).
std::map<std::string, double> storedMetrics(const StepMetrics& metrics);

// <out>/history.json names the database and run an output folder is recorded
// under, so `mgrpo resume DIR` and the workbench find the run again.
struct HistoryLink {
    std::string db;
    store::RunId run = 0;
};
void writeHistoryLink(const std::string& outDir, const HistoryLink& link);
std::optional<HistoryLink> readHistoryLink(const std::string& outDir);

class HistoryListener : public ExperimentListener {
public:
    HistoryListener(const std::filesystem::path& dbPath, store::RunId run);
    void onStep(const std::string& phase, int globalStep, const StepMetrics& metrics, const Trainer& trainer) override;
    void onEvaluation(const std::string& phase, int globalStep, const EvalReport& report) override;
    void onCheckpoint(const std::string& phase, int globalStep, const std::string& dir) override;
    store::RunRecorder& recorder() { return *m_recorder; }

private:
    std::unique_ptr<store::RunRecorder> m_recorder;
};

}  // namespace mgrpo::core
