// HistoryStore: the read-only queries the GUI and the CLI use (see
// history_store.h). Multi-statement reads run in one read transaction so they
// see one consistent snapshot while a writer commits.
#include "core/store/config_diff.h"
#include "core/store/history_store.h"
#include "core/store/transaction.h"
#include "core/store/tree_codec.h"

#include <map>

namespace mgrpo::store {
namespace {

const char* const kRunColumns =
    "r.id, e.name, r.algorithm, r.seed, r.device, r.status, r.created, COALESCE(r.started,''), "
    "COALESCE(r.ended,''), r.error, r.host, r.pid, r.run_dir, r.notes, r.last_step";

RunInfo readRun(const Statement& s) {
    RunInfo r;
    r.id = s.columnInt(0);
    r.experiment = s.columnText(1);
    r.algorithm = s.columnText(2);
    r.seed = s.columnInt(3);
    r.device = s.columnText(4);
    r.status = runStatusFromName(s.columnText(5));
    r.created = s.columnText(6);
    r.started = s.columnText(7);
    r.ended = s.columnText(8);
    r.error = s.columnText(9);
    r.host = s.columnText(10);
    r.pid = s.columnInt(11);
    r.runDir = s.columnText(12);
    r.notes = s.columnText(13);
    r.lastStep = static_cast<int>(s.columnInt(14));
    return r;
}

TrajectoryRecord readTrajectory(const Statement& s, int first) {
    TrajectoryRecord t;
    t.split = s.columnText(first);
    t.query = static_cast<int>(s.columnInt(first + 1));
    t.rollout = static_cast<int>(s.columnInt(first + 2));
    t.question = s.columnText(first + 3);
    t.reward = s.columnDouble(first + 4);
    t.correct = s.columnInt(first + 5) != 0;
    t.treeJson = decodeTree(s.columnText(first + 6), s.columnBlob(first + 7));
    return t;
}

}  // namespace

std::vector<std::string> HistoryStore::tagsOf(RunId run) {
    std::vector<std::string> tags;
    auto s = m_db.prepare("SELECT tag FROM run_tags WHERE run_id=?1 ORDER BY tag");
    s.bind(1, run);
    while (s.step()) tags.push_back(s.columnText(0));
    return tags;
}

std::vector<RunInfo> HistoryStore::listRuns(const RunFilter& filter) {
    Transaction tx(m_db, Transaction::Kind::Deferred);
    auto s = m_db.prepare(
        std::string("SELECT ") + kRunColumns +
        " FROM runs r JOIN experiments e ON e.id = r.experiment_id"
        " WHERE (?1 IS NULL OR e.name = ?1) AND (?2 IS NULL OR r.status = ?2) AND (?3 IS NULL OR r.algorithm = ?3)"
        " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?4))"
        " AND (?5 IS NULL OR instr(lower(e.name || ' ' || r.algorithm || ' ' || r.notes || ' ' || r.error || ' ' ||"
        "   r.run_dir || ' ' || COALESCE((SELECT group_concat(tag, ' ') FROM run_tags t WHERE t.run_id = r.id), '')),"
        "   lower(?5)) > 0)"
        " ORDER BY r.id LIMIT ?6");
    s.bind(1, filter.experiment);
    if (filter.status) s.bind(2, runStatusName(*filter.status));
    else s.bindNull(2);
    s.bind(3, filter.algorithm).bind(4, filter.tag).bind(5, filter.text);
    s.bind(6, filter.limit > 0 ? filter.limit : -1);
    std::vector<RunInfo> runs;
    while (s.step()) runs.push_back(readRun(s));
    std::map<RunId, std::vector<std::string>> tags;
    auto t = m_db.prepare("SELECT run_id, tag FROM run_tags ORDER BY run_id, tag");
    while (t.step()) tags[t.columnInt(0)].push_back(t.columnText(1));
    for (auto& r : runs)
        if (auto it = tags.find(r.id); it != tags.end()) r.tags = it->second;
    tx.commit();
    return runs;
}

RunDetails HistoryStore::runDetails(RunId run) {
    Transaction tx(m_db, Transaction::Kind::Deferred);
    auto s = m_db.prepare(std::string("SELECT ") + kRunColumns +
                          ", r.config, r.topology FROM runs r JOIN experiments e ON e.id = r.experiment_id"
                          " WHERE r.id = ?1");
    s.bind(1, run);
    if (!s.step())
        throw StoreError(StoreError::Kind::NotFound,
                         "run " + std::to_string(run) + " does not exist in " + m_db.path().string());
    RunDetails d;
    d.info = readRun(s);
    d.config = nlohmann::json::parse(s.columnText(15), nullptr, false);
    d.topology = nlohmann::json::parse(s.columnText(16), nullptr, false);
    d.info.tags = tagsOf(run);
    tx.commit();
    return d;
}

std::vector<MetricName> HistoryStore::metricNames(RunId run) {
    std::vector<MetricName> names;
    auto s = m_db.prepare(
        "SELECT n.name, n.agent FROM metric_names n WHERE EXISTS "
        "(SELECT 1 FROM metrics m WHERE m.run_id = ?1 AND m.name_id = n.id) ORDER BY n.name");
    s.bind(1, run);
    while (s.step()) names.push_back({s.columnText(0), s.columnText(1)});
    return names;
}

std::vector<MetricSeries> HistoryStore::metricSeries(const std::vector<RunId>& runs,
                                                     const std::vector<std::string>& names, size_t maxPoints,
                                                     Downsample method) {
    Transaction tx(m_db, Transaction::Kind::Deferred);
    auto id = m_db.prepare("SELECT id FROM metric_names WHERE name=?1");
    auto points = m_db.prepare("SELECT step, value FROM metrics WHERE run_id=?1 AND name_id=?2 ORDER BY step");
    std::vector<MetricSeries> out;
    for (const auto& name : names) {
        id.bind(1, name);
        const bool known = id.step();
        const auto nameId = known ? id.columnInt(0) : 0;
        id.reset();
        if (!known) continue;
        for (const RunId run : runs) {
            MetricSeries series{run, name, {}};
            points.bind(1, run).bind(2, nameId);
            while (points.step())
                series.points.push_back({static_cast<double>(points.columnInt(0)), points.columnDouble(1)});
            points.reset();
            if (series.points.empty()) continue;
            if (maxPoints > 0) series.points = downsample(series.points, maxPoints, method);
            out.push_back(std::move(series));
        }
    }
    tx.commit();
    return out;
}

std::map<std::string, std::pair<int, double>> HistoryStore::latestMetrics(RunId run) {
    // max(step) per (run, name) is one b-tree descent on the metrics primary key.
    std::map<std::string, std::pair<int, double>> out;
    auto s = m_db.prepare(
        "SELECT n.name, m.step, m.value FROM metric_names n JOIN metrics m ON m.run_id = ?1 AND m.name_id = n.id "
        "AND m.step = (SELECT max(step) FROM metrics WHERE run_id = ?1 AND name_id = n.id)");
    s.bind(1, run);
    while (s.step()) out[s.columnText(0)] = {static_cast<int>(s.columnInt(1)), s.columnDouble(2)};
    return out;
}

std::vector<std::tuple<int, std::string, double>> HistoryStore::allMetrics(RunId run) {
    std::vector<std::tuple<int, std::string, double>> rows;
    auto s = m_db.prepare(
        "SELECT m.step, n.name, m.value FROM metrics m JOIN metric_names n ON n.id = m.name_id "
        "WHERE m.run_id=?1 ORDER BY m.step, n.name");
    s.bind(1, run);
    while (s.step()) rows.emplace_back(static_cast<int>(s.columnInt(0)), s.columnText(1), s.columnDouble(2));
    return rows;
}

std::vector<int> HistoryStore::trajectorySteps(RunId run) {
    std::vector<int> steps;
    auto s = m_db.prepare("SELECT DISTINCT step FROM trajectories WHERE run_id=?1 ORDER BY step");
    s.bind(1, run);
    while (s.step()) steps.push_back(static_cast<int>(s.columnInt(0)));
    return steps;
}

std::vector<StoredTrajectory> HistoryStore::trajectories(RunId run, int step) {
    std::vector<StoredTrajectory> out;
    auto s = m_db.prepare(
        "SELECT step, split, query, rollout, question, reward, correct, encoding, tree FROM trajectories "
        "WHERE run_id=?1 AND step=?2 ORDER BY split, query, rollout");
    s.bind(1, run).bind(2, step);
    while (s.step()) out.push_back({static_cast<int>(s.columnInt(0)), readTrajectory(s, 1)});
    return out;
}

std::vector<StoredTrajectory> HistoryStore::allTrajectories(RunId run) {
    std::vector<StoredTrajectory> out;
    auto s = m_db.prepare(
        "SELECT step, split, query, rollout, question, reward, correct, encoding, tree FROM trajectories "
        "WHERE run_id=?1 ORDER BY step, split, query, rollout");
    s.bind(1, run);
    while (s.step()) out.push_back({static_cast<int>(s.columnInt(0)), readTrajectory(s, 1)});
    return out;
}

std::vector<StoredEvaluation> HistoryStore::evaluations(RunId run) {
    std::vector<StoredEvaluation> out;
    auto s = m_db.prepare("SELECT step, suite, queries, metrics FROM evaluations WHERE run_id=?1 ORDER BY step, suite");
    s.bind(1, run);
    while (s.step()) {
        StoredEvaluation e;
        e.step = static_cast<int>(s.columnInt(0));
        e.record.suite = s.columnText(1);
        e.record.queries = static_cast<int>(s.columnInt(2));
        const auto metrics = nlohmann::json::parse(s.columnText(3), nullptr, false);
        if (metrics.is_object())
            for (const auto& [k, v] : metrics.items())
                if (v.is_number()) e.record.metrics[k] = v.get<double>();
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<CheckpointRecord> HistoryStore::checkpoints(RunId run) {
    std::vector<CheckpointRecord> out;
    auto s = m_db.prepare("SELECT step, path, size_bytes, created FROM checkpoints WHERE run_id=?1 ORDER BY step");
    s.bind(1, run);
    while (s.step())
        out.push_back({static_cast<int>(s.columnInt(0)), s.columnText(1), s.columnInt(2), s.columnText(3)});
    return out;
}

std::optional<CheckpointRecord> HistoryStore::lastCheckpoint(RunId run) {
    auto s = m_db.prepare(
        "SELECT step, path, size_bytes, created FROM checkpoints WHERE run_id=?1 ORDER BY step DESC LIMIT 1");
    s.bind(1, run);
    if (!s.step()) return std::nullopt;
    return CheckpointRecord{static_cast<int>(s.columnInt(0)), s.columnText(1), s.columnInt(2), s.columnText(3)};
}

std::vector<ConfigChange> HistoryStore::configDiff(RunId oldRun, RunId newRun) {
    return diffConfigs(runDetails(oldRun).config, runDetails(newRun).config);
}

}  // namespace mgrpo::store
