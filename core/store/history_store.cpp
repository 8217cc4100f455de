// HistoryStore: opening, recovery and writing (see history_store.h); the
// read-only queries are in history_queries.cpp.
#include "core/store/history_store.h"

#include "core/store/file_check.h"
#include "core/store/process_identity.h"
#include "core/store/schema.h"
#include "core/store/time_text.h"
#include "core/store/transaction.h"
#include "core/store/tree_codec.h"
#include "core/util/files.h"

#include <sqlite3.h>  // sqlite3_db_config (no checkpoint on close when refusing)

#include <algorithm>

namespace mgrpo::store {

HistoryStore::HistoryStore(const std::filesystem::path& path) : HistoryStore(path, Options{}) {}

HistoryStore::HistoryStore(const std::filesystem::path& path, Options options)
    : m_db(path, prepareOpen(path, options), options.busyTimeoutMs) {
    open(options);
}

Database::Mode HistoryStore::prepareOpen(const std::filesystem::path& path, const Options& options) {
    if (options.readOnly) {
        if (checkDatabaseFile(path, false) == FileState::Missing)
            throw StoreError(StoreError::Kind::NotFound, "database " + path.string() + " does not exist");
        return Database::Mode::ReadOnly;
    }
    if (path.has_parent_path()) {
        try {
            core::createDirectories(path.parent_path());
        } catch (const std::runtime_error& e) {
            throw StoreError(StoreError::Kind::ReadOnly, "database " + path.string() + ": " + e.what());
        }
    }
    const FileState state = checkDatabaseFile(path, true);
    return state == FileState::SqliteHeader ? Database::Mode::ReadWrite : Database::Mode::ReadWriteCreate;
}

void HistoryStore::refuse(StoreError error) {
    // Closing the last connection of a WAL file checkpoints into it; a file we
    // refuse must stay byte-identical, so switch that off first.
    int unused = 0;
    sqlite3_db_config(m_db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &unused);
    throw error;
}

void HistoryStore::open(const Options& options) {
    const std::string file = m_db.path().string();
    long long appId = 0, version = 0, tables = 0;
    try {
        appId = m_db.queryInt("PRAGMA application_id");
        version = m_db.queryInt("PRAGMA user_version");
        tables = m_db.queryInt("SELECT count(*) FROM sqlite_schema");
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::Corrupt && e.kind() != StoreError::Kind::NotSqlite) refuse(e);
        std::string check;
        try {
            auto stmt = m_db.prepare("PRAGMA quick_check(5)");
            while (stmt.step()) check += (check.empty() ? "" : "; ") + stmt.columnText(0);
        } catch (const StoreError& inner) {
            check = inner.what();
        }
        refuse(StoreError(StoreError::Kind::Corrupt, "database " + file + " is corrupt (" + e.what() +
                                                         "); quick_check: " + check + "; it was left unchanged"));
    }
    if (version > kSchemaVersion)
        refuse(StoreError(StoreError::Kind::NewerSchema,
                          "database " + file + " has schema version " + std::to_string(version) +
                              ", newer than the version " + std::to_string(kSchemaVersion) +
                              " this program knows; it was written by a newer M-GRPO Workbench. Use that version "
                              "(or --db another file); the file was not modified"));
    const bool ours = appId == kApplicationId;
    if (!ours && (appId != 0 || version != 0 || tables != 0))
        refuse(StoreError(StoreError::Kind::ForeignDatabase,
                          "database " + file + " is an SQLite database of another program (application_id " +
                              std::to_string(appId) + ", " + std::to_string(tables) +
                              " schema objects), not an M-GRPO history; it was left unchanged"));
    if (options.readOnly) {
        if (version < kSchemaVersion)
            refuse(StoreError("database " + file + " has schema version " + std::to_string(version) +
                              " and needs an upgrade; open it once read-write"));
        m_db.exec("PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768");
        return;
    }
    const std::string mode = [&] {
        auto stmt = m_db.prepare("PRAGMA journal_mode=WAL");
        return stmt.step() ? stmt.columnText(0) : std::string();
    }();
    if (mode != "wal")
        throw StoreError("database " + file + ": cannot switch to WAL mode (journal_mode is '" + mode + "')");
    // In WAL mode NORMAL never corrupts the file; a power cut may lose the
    // last commits, a killed process loses nothing committed.
    m_db.exec("PRAGMA synchronous=NORMAL");
    // Foreign keys are declared for readers of the schema but not enforced:
    // this class is the only writer and deletes a run's rows explicitly, and
    // two parent lookups per metric row would cost a fifth of the write rate.
    m_db.exec("PRAGMA foreign_keys=OFF");
    // Series reads scan megabytes: map the file and keep a 32 MB page cache.
    m_db.exec("PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768");
    migrateSchema(m_db, static_cast<int>(version));
    if (options.recoverInterrupted) recoverInterruptedRuns();
}

int HistoryStore::schemaVersion() { return static_cast<int>(m_db.queryInt("PRAGMA user_version")); }

std::vector<std::string> HistoryStore::integrityCheck() {
    std::vector<std::string> lines;
    auto stmt = m_db.prepare("PRAGMA integrity_check");
    while (stmt.step()) lines.push_back(stmt.columnText(0));
    return lines;
}

void HistoryStore::recoverInterruptedRuns() {
    auto findDead = [&] {
        std::vector<std::pair<RunId, std::string>> dead;
        auto stmt = m_db.prepare("SELECT id, host, pid, pid_start FROM runs WHERE status IN ('running','paused') ORDER BY id");
        while (stmt.step()) {
            const ProcessIdentity owner{stmt.columnText(1), stmt.columnInt(2), stmt.columnInt(3)};
            if (!owner.isAlive())
                dead.emplace_back(stmt.columnInt(0), "pid " + std::to_string(owner.pid) + " on " + owner.host);
        }
        return dead;
    };
    if (findDead().empty()) return;  // the common case takes no write lock
    Transaction tx(m_db);
    auto update = m_db.prepare(
        "UPDATE runs SET status='interrupted', ended=?2, "
        "error=CASE WHEN error='' THEN ?3 ELSE error END WHERE id=?1");
    for (const auto& [id, owner] : findDead()) {
        update.bind(1, id).bind(2, nowIso8601()).bind(3, "the process (" + owner + ") ended while the run was active");
        update.run();
        m_recovered.push_back(id);
    }
    tx.commit();
}

std::int64_t HistoryStore::experimentId(const std::string& name) {
    auto insert = m_db.prepare("INSERT OR IGNORE INTO experiments(name, created) VALUES(?1, ?2)");
    insert.bind(1, name).bind(2, nowIso8601()).run();
    auto select = m_db.prepare("SELECT id FROM experiments WHERE name=?1");
    select.bind(1, name);
    select.step();
    return select.columnInt(0);
}

void HistoryStore::requireRun(RunId run) {
    if (!hasRun(run))
        throw StoreError(StoreError::Kind::NotFound,
                         "run " + std::to_string(run) + " does not exist in " + m_db.path().string());
}

bool HistoryStore::hasRun(RunId run) {
    auto stmt = m_db.prepare("SELECT 1 FROM runs WHERE id=?1");
    stmt.bind(1, run);
    return stmt.step();
}

RunId HistoryStore::createRun(const RunSpec& spec) {
    Transaction tx(m_db);
    const auto experiment = experimentId(spec.experiment);
    auto insert = m_db.prepare(
        "INSERT INTO runs(experiment_id, algorithm, config, topology, seed, device, status, created, run_dir, notes, "
        "host) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8, ?9, ?10)");
    insert.bind(1, experiment)
        .bind(2, spec.algorithm)
        .bind(3, spec.config.dump())
        .bind(4, spec.topology.dump())
        .bind(5, static_cast<long long>(spec.seed))
        .bind(6, spec.device)
        .bind(7, nowIso8601())
        .bind(8, spec.runDir)
        .bind(9, spec.notes)
        .bind(10, ProcessIdentity::current().host);
    insert.run();
    const RunId run = m_db.lastInsertId();
    auto tag = m_db.prepare("INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES(?1, ?2)");
    for (const auto& t : spec.tags) {
        tag.bind(1, run).bind(2, t);
        tag.run();
    }
    tx.commit();
    return run;
}

void HistoryStore::claimRun(RunId run) {
    const auto self = ProcessIdentity::current();
    Transaction tx(m_db);
    auto owner = m_db.prepare("SELECT status, host, pid, pid_start FROM runs WHERE id=?1");
    owner.bind(1, run);
    if (!owner.step())
        throw StoreError(StoreError::Kind::NotFound,
                         "run " + std::to_string(run) + " does not exist in " + m_db.path().string());
    const std::string status = owner.columnText(0);
    const ProcessIdentity current{owner.columnText(1), owner.columnInt(2), owner.columnInt(3)};
    const bool mine = current.host == self.host && current.pid == self.pid;
    if ((status == "running" || status == "paused") && !mine && current.isAlive())
        throw StoreError("run " + std::to_string(run) + " is already " + status + " in process " +
                         std::to_string(current.pid) + " on " + current.host);
    owner.reset();
    auto stmt = m_db.prepare(
        "UPDATE runs SET status='running', host=?2, pid=?3, pid_start=?4, started=COALESCE(started, ?5), "
        "ended=NULL, error='' WHERE id=?1");
    stmt.bind(1, run).bind(2, self.host).bind(3, static_cast<long long>(self.pid));
    stmt.bind(4, static_cast<long long>(self.startTicks)).bind(5, nowIso8601());
    stmt.run();
    tx.commit();
}

void HistoryStore::setStatus(RunId run, RunStatus status, const std::string& error) {
    if (status == RunStatus::Running) return claimRun(run);
    requireRun(run);
    const bool ended = status == RunStatus::Finished || status == RunStatus::Failed ||
                       status == RunStatus::Stopped || status == RunStatus::Interrupted;
    auto stmt = m_db.prepare("UPDATE runs SET status=?2, error=?3, ended=CASE WHEN ?4 THEN ?5 ELSE NULL END WHERE id=?1");
    stmt.bind(1, run).bind(2, runStatusName(status)).bind(3, error).bind(4, ended ? 1 : 0).bind(5, nowIso8601());
    stmt.run();
}

void HistoryStore::addTags(RunId run, const std::vector<std::string>& tags) {
    requireRun(run);
    Transaction tx(m_db);
    auto stmt = m_db.prepare("INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES(?1, ?2)");
    for (const auto& tag : tags) {
        if (tag.empty()) throw StoreError("a tag cannot be empty");
        stmt.bind(1, run).bind(2, tag);
        stmt.run();
    }
    tx.commit();
}

void HistoryStore::removeTag(RunId run, const std::string& tag) {
    auto stmt = m_db.prepare("DELETE FROM run_tags WHERE run_id=?1 AND tag=?2");
    stmt.bind(1, run).bind(2, tag).run();
}

void HistoryStore::setNotes(RunId run, const std::string& notes) {
    requireRun(run);
    auto stmt = m_db.prepare("UPDATE runs SET notes=?2 WHERE id=?1");
    stmt.bind(1, run).bind(2, notes).run();
}

void HistoryStore::setExperimentNotes(const std::string& experiment, const std::string& notes) {
    Transaction tx(m_db);
    const auto id = experimentId(experiment);
    auto stmt = m_db.prepare("UPDATE experiments SET notes=?2 WHERE id=?1");
    stmt.bind(1, id).bind(2, notes).run();
    tx.commit();
}

void HistoryStore::deleteRun(RunId run) {
    Transaction tx(m_db);
    auto owner = m_db.prepare("SELECT status, host, pid, pid_start FROM runs WHERE id=?1");
    owner.bind(1, run);
    if (!owner.step())
        throw StoreError(StoreError::Kind::NotFound,
                         "run " + std::to_string(run) + " does not exist in " + m_db.path().string());
    const ProcessIdentity process{owner.columnText(1), owner.columnInt(2), owner.columnInt(3)};
    const std::string status = owner.columnText(0);
    if ((status == "running" || status == "paused") && process.isAlive())
        throw StoreError("run " + std::to_string(run) + " is " + status + " in process " + std::to_string(process.pid) +
                         " on " + process.host + "; stop it before deleting");
    for (const char* table : {"metrics", "trajectories", "evaluations", "checkpoints", "run_tags"}) {
        auto stmt = m_db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id=?1");
        stmt.bind(1, run).run();
    }
    auto stmt = m_db.prepare("DELETE FROM runs WHERE id=?1");
    stmt.bind(1, run).run();
    tx.commit();
}

void HistoryStore::truncateAfter(RunId run, int step) {
    requireRun(run);
    Transaction tx(m_db);
    for (const char* table : {"metrics", "trajectories", "evaluations", "checkpoints"}) {
        auto stmt = m_db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id=?1 AND step>?2");
        stmt.bind(1, run).bind(2, step).run();
    }
    auto stmt = m_db.prepare("UPDATE runs SET last_step=min(last_step, ?2) WHERE id=?1");
    stmt.bind(1, run).bind(2, step).run();
    tx.commit();
}

std::int64_t HistoryStore::metricNameId(const std::string& name) {
    if (const auto it = m_nameIds.find(name); it != m_nameIds.end()) return it->second;
    const std::string agent = metricAgent(name);
    auto insert = m_db.prepare("INSERT OR IGNORE INTO metric_names(name, agent) VALUES(?1, ?2)");
    insert.bind(1, name).bind(2, agent).run();
    auto select = m_db.prepare("SELECT id FROM metric_names WHERE name=?1");
    select.bind(1, name);
    select.step();
    const auto id = select.columnInt(0);
    m_nameIds.emplace(name, id);
    return id;
}

void HistoryStore::writeStep(RunId run, const StepRecord& step) { writeSteps(run, {&step}); }

void HistoryStore::writeSteps(RunId run, const std::vector<const StepRecord*>& steps) {
    if (steps.empty()) return;
    try {
        Transaction tx(m_db);
        int last = -1;
        for (const StepRecord* step : steps) {
            insertStep(run, *step);
            last = std::max(last, step->step);
        }
        auto update = m_db.prepare("UPDATE runs SET last_step=max(last_step, ?2) WHERE id=?1");
        update.bind(1, run).bind(2, last).run();
        if (m_db.changes() == 0)
            throw StoreError(StoreError::Kind::NotFound,
                             "run " + std::to_string(run) + " does not exist in " + m_db.path().string());
        tx.commit();
    } catch (...) {
        m_nameIds.clear();  // ids inserted by the rolled-back transaction are gone
        throw;
    }
}

void HistoryStore::insertStep(RunId run, const StepRecord& step) {
    if (!m_insertMetric)
        m_insertMetric = std::make_unique<Statement>(
            m_db.prepare("INSERT OR REPLACE INTO metrics(run_id, name_id, step, value) VALUES(?1, ?2, ?3, ?4)"));
    for (const auto& [name, value] : step.metrics) {
        const auto id = metricNameId(name);
        m_insertMetric->bind(1, run).bind(2, id).bind(3, step.step).bind(4, value);
        m_insertMetric->run();
    }
    if (!step.trajectories.empty() && !m_insertTrajectory)
        m_insertTrajectory = std::make_unique<Statement>(m_db.prepare(
            "INSERT OR REPLACE INTO trajectories(run_id, step, split, query, rollout, question, reward, correct, "
            "encoding, tree) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    for (const auto& t : step.trajectories) {
        const auto encoded = encodeTree(t.treeJson);
        auto& s = *m_insertTrajectory;
        s.bind(1, run).bind(2, step.step).bind(3, t.split).bind(4, t.query).bind(5, t.rollout);
        s.bind(6, t.question).bind(7, t.reward).bind(8, t.correct ? 1 : 0).bind(9, encoded.encoding);
        s.bindBlob(10, encoded.bytes.data(), encoded.bytes.size());
        s.run();
    }
    if (step.evaluation) {
        auto s = m_db.prepare(
            "INSERT OR REPLACE INTO evaluations(run_id, step, suite, queries, metrics) VALUES(?1, ?2, ?3, ?4, ?5)");
        s.bind(1, run).bind(2, step.step).bind(3, step.evaluation->suite).bind(4, step.evaluation->queries);
        s.bind(5, nlohmann::json(step.evaluation->metrics).dump()).run();
    }
    if (step.checkpoint) addCheckpoint(run, *step.checkpoint);
}

void HistoryStore::addCheckpoint(RunId run, const CheckpointRecord& checkpoint) {
    auto s = m_db.prepare(
        "INSERT OR REPLACE INTO checkpoints(run_id, step, path, size_bytes, created) VALUES(?1, ?2, ?3, ?4, ?5)");
    s.bind(1, run).bind(2, checkpoint.step).bind(3, checkpoint.path);
    s.bind(4, static_cast<long long>(checkpoint.sizeBytes));
    s.bind(5, checkpoint.created.empty() ? nowIso8601() : checkpoint.created).run();
}

}  // namespace mgrpo::store
