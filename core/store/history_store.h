// HistoryStore: the experiment history in one SQLite file. Opening checks the
// file (not SQLite, truncated, newer schema, another program's database,
// read-only location: each its own StoreError, file untouched), migrates the
// schema, switches to WAL and marks runs whose process died as interrupted.
// One instance is one connection: use it from one thread at a time.
#pragma once

#include "core/store/database.h"
#include "core/store/downsample.h"
#include "core/store/records.h"
#include "core/store/store_error.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace mgrpo::store {

class HistoryStore {
public:
    struct Options {
        bool readOnly = false;            // queries only; no migration, no recovery
        bool recoverInterrupted = true;   // mark dead 'running'/'paused' runs interrupted
        int busyTimeoutMs = 10000;
    };

    explicit HistoryStore(const std::filesystem::path& path);
    HistoryStore(const std::filesystem::path& path, Options options);

    const std::filesystem::path& path() const { return m_db.path(); }
    Database& database() { return m_db; }
    int schemaVersion();
    // Result of PRAGMA integrity_check: {"ok"} for a healthy file.
    std::vector<std::string> integrityCheck();
    // Runs found running/paused with a dead owner at open, now 'interrupted'.
    const std::vector<RunId>& recoveredRuns() const { return m_recovered; }

    // --- runs and experiments -------------------------------------------
    RunId createRun(const RunSpec& spec);
    // Status 'running' owned by this process (pid, host); sets started once.
    // Refuses a run that is running or paused in another live process.
    void claimRun(RunId run);
    // Any status; an ended status (finished/failed/stopped/interrupted) sets ended.
    void setStatus(RunId run, RunStatus status, const std::string& error = {});
    void addTags(RunId run, const std::vector<std::string>& tags);
    void removeTag(RunId run, const std::string& tag);
    void setNotes(RunId run, const std::string& notes);
    void setExperimentNotes(const std::string& experiment, const std::string& notes);
    // Refuses a run that is running in a live process.
    void deleteRun(RunId run);
    bool hasRun(RunId run);
    // For resuming from a checkpoint at `step`: forgets every metric,
    // trajectory, evaluation and checkpoint recorded after it.
    void truncateAfter(RunId run, int step);

    // --- per-step recording (one transaction per call) ------------------
    void writeStep(RunId run, const StepRecord& step);
    // Several whole steps in one transaction (group commit when a writer has
    // fallen behind): all of them are committed, or none.
    void writeSteps(RunId run, const std::vector<const StepRecord*>& steps);
    void addCheckpoint(RunId run, const CheckpointRecord& checkpoint);

    // --- queries ---------------------------------------------------------
    std::vector<RunInfo> listRuns(const RunFilter& filter = {});
    RunDetails runDetails(RunId run);  // throws StoreError NotFound
    std::vector<MetricName> metricNames(RunId run);
    // One series per (run, name) that exists, read in one snapshot, each
    // downsampled to maxPoints when maxPoints > 0.
    std::vector<MetricSeries> metricSeries(const std::vector<RunId>& runs, const std::vector<std::string>& names,
                                           size_t maxPoints = 0, Downsample method = Downsample::Lttb);
    // The latest (highest-step) value of every metric of a run: name -> (step, value).
    std::map<std::string, std::pair<int, double>> latestMetrics(RunId run);
    // Every metric of a run as (step, name, value), ordered by step then name.
    std::vector<std::tuple<int, std::string, double>> allMetrics(RunId run);
    std::vector<int> trajectorySteps(RunId run);
    std::vector<StoredTrajectory> trajectories(RunId run, int step);
    std::vector<StoredTrajectory> allTrajectories(RunId run);
    std::vector<StoredEvaluation> evaluations(RunId run);
    std::vector<CheckpointRecord> checkpoints(RunId run);
    std::optional<CheckpointRecord> lastCheckpoint(RunId run);
    std::vector<ConfigChange> configDiff(RunId oldRun, RunId newRun);

private:
    void insertStep(RunId run, const StepRecord& step);
    static Database::Mode prepareOpen(const std::filesystem::path& path, const Options& options);
    void open(const Options& options);
    [[noreturn]] void refuse(StoreError error);
    void recoverInterruptedRuns();
    std::int64_t experimentId(const std::string& name);
    std::int64_t metricNameId(const std::string& name);
    void requireRun(RunId run);
    std::vector<std::string> tagsOf(RunId run);

    Database m_db;
    std::vector<RunId> m_recovered;
    std::unordered_map<std::string, std::int64_t> m_nameIds;  // metric-name dictionary cache
    std::unique_ptr<Statement> m_insertMetric;
    std::unique_ptr<Statement> m_insertTrajectory;
};

}  // namespace mgrpo::store
