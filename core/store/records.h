// Plain value types that go into and come out of the experiment history:
// what a trainer records per step, and what the GUI/CLI queries return.
// No SQLite, no threads, no LibTorch: safe to include from Qt code.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mgrpo::store {

using RunId = std::int64_t;

// Lifecycle of a run; stored as the lower-case name (see runStatusName()).
enum class RunStatus { Queued, Running, Paused, Finished, Failed, Stopped, Interrupted };

std::string runStatusName(RunStatus status);
// Throws StoreError for an unknown name.
RunStatus runStatusFromName(const std::string& name);

// The agent of a metric key: the part before the first '/' ("sub.searcher"
// for "sub.searcher/clipfrac"), empty when there is no '/'.
std::string metricAgent(const std::string& name);

// One rollout of one query, with its trajectory tree as JSON text.
struct TrajectoryRecord {
    int query = 0;                 // index of the query within the step's batch
    int rollout = 0;               // index of the rollout within the query's group
    std::string split = "train";   // "train" or "eval"
    std::string question;          // the query text (may be empty)
    double reward = 0.0;
    bool correct = false;
    std::string treeJson;          // the whole trajectory tree, JSON text
};

// Evaluation of the current policies on held-out queries.
struct EvaluationRecord {
    std::string suite = "heldout";          // which query set
    int queries = 0;                        // how many were evaluated
    std::map<std::string, double> metrics;  // e.g. "accuracy", "main/reward_mean"
};

// A checkpoint written by the trainer (the file itself is the trainer's).
struct CheckpointRecord {
    int step = 0;
    std::string path;
    std::int64_t sizeBytes = 0;
    std::string created;  // ISO-8601 UTC; filled by the store when empty
};

// Everything a trainer records for one step; written in ONE transaction.
struct StepRecord {
    int step = 0;
    // Keys are "<agent>/<name>": "main/reward_mean", "sub.searcher/clipfrac",
    // "perf/tokens_per_s". The agent column is the part before the first '/'.
    std::map<std::string, double> metrics;
    std::vector<TrajectoryRecord> trajectories;
    std::optional<EvaluationRecord> evaluation;
    std::optional<CheckpointRecord> checkpoint;
};

// What is needed to create a run (its experiment is created when missing).
struct RunSpec {
    std::string experiment = "default";
    std::string algorithm;            // e.g. "mgrpo", "main-only", "grpo"
    nlohmann::json config = nlohmann::json::object();
    nlohmann::json topology = nlohmann::json::object();
    std::int64_t seed = 0;
    std::string device = "cpu";
    std::string runDir;               // where the trainer writes checkpoints
    std::vector<std::string> tags;
    std::string notes;
};

// One row of the runs list.
struct RunInfo {
    RunId id = 0;
    std::string experiment;
    std::string algorithm;
    std::int64_t seed = 0;
    std::string device;
    RunStatus status = RunStatus::Queued;
    std::string created;
    std::string started;   // empty until the run first ran
    std::string ended;     // empty while not ended
    std::string error;
    std::string host;
    std::int64_t pid = 0;
    std::string runDir;
    std::string notes;
    std::vector<std::string> tags;
    int lastStep = -1;     // highest committed step, -1 when none
};

// A run with its full config and topology.
struct RunDetails {
    RunInfo info;
    nlohmann::json config;
    nlohmann::json topology;
};

// Filters for listing runs; unset fields do not filter.
struct RunFilter {
    std::optional<std::string> experiment;
    std::optional<RunStatus> status;
    std::optional<std::string> algorithm;
    std::optional<std::string> tag;
    std::optional<std::string> text;  // substring of experiment, algorithm, notes, tags, error, run dir
    int limit = 0;                    // 0: no limit
};

struct MetricPoint {
    double step = 0.0;  // double so downsampled (averaged) points keep their position
    double value = 0.0;
    bool operator==(const MetricPoint&) const = default;
};

struct MetricSeries {
    RunId run = 0;
    std::string name;
    std::vector<MetricPoint> points;  // ascending step
};

struct MetricName {
    std::string name;
    std::string agent;
};

// One changed path between two configs; a missing side is std::nullopt.
struct ConfigChange {
    std::string path;  // e.g. "optimizer.lr", "agents[1].name"
    std::optional<nlohmann::json> oldValue;
    std::optional<nlohmann::json> newValue;
};

// A stored trajectory as the GUI reads it back.
struct StoredTrajectory {
    int step = 0;
    TrajectoryRecord record;
};

struct StoredEvaluation {
    int step = 0;
    EvaluationRecord record;
};

}  // namespace mgrpo::store
