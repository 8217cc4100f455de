// Schema tests: a fresh file gets the current version; a hand-written version-1
// file (the schema as first released) is migrated with its data intact; a
// newer version and another program's database are refused, bytes unchanged.
#include "core/store/history_store.h"
#include "core/store/schema.h"
#include "store_test_support.h"

#include <gtest/gtest.h>

using namespace mgrpo::store;
using mgrpo::store::test::RawDb;
using mgrpo::store::test::readBytes;
using mgrpo::store::test::TempDir;

namespace {

// Schema version 1 exactly as released; never change this text.
const char* const kV1 = R"SQL(
CREATE TABLE experiments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '');
CREATE TABLE runs (id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  algorithm TEXT NOT NULL DEFAULT '', config TEXT NOT NULL DEFAULT '{}', topology TEXT NOT NULL DEFAULT '{}',
  seed INTEGER NOT NULL DEFAULT 0, device TEXT NOT NULL DEFAULT 'cpu',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
    ('queued','running','paused','finished','failed','stopped','interrupted')),
  created TEXT NOT NULL, started TEXT, ended TEXT, error TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '',
  pid INTEGER NOT NULL DEFAULT 0, pid_start INTEGER NOT NULL DEFAULT 0, run_dir TEXT NOT NULL DEFAULT '',
  last_step INTEGER NOT NULL DEFAULT -1);
CREATE TABLE metric_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, agent TEXT NOT NULL);
CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name_id INTEGER NOT NULL REFERENCES metric_names(id), step INTEGER NOT NULL, value REAL,
  PRIMARY KEY (run_id, name_id, step)) WITHOUT ROWID;
CREATE TABLE evaluations (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  suite TEXT NOT NULL, queries INTEGER NOT NULL DEFAULT 0, metrics TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, step, suite)) WITHOUT ROWID;
CREATE TABLE trajectories (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  split TEXT NOT NULL, query INTEGER NOT NULL, rollout INTEGER NOT NULL, question TEXT NOT NULL DEFAULT '',
  reward REAL NOT NULL, correct INTEGER NOT NULL, encoding TEXT NOT NULL CHECK (encoding IN ('json','zlib')),
  tree BLOB NOT NULL, PRIMARY KEY (run_id, step, split, query, rollout));
CREATE TABLE checkpoints (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  path TEXT NOT NULL, size_bytes INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL,
  PRIMARY KEY (run_id, step)) WITHOUT ROWID;
CREATE INDEX runs_by_experiment ON runs(experiment_id);
CREATE VIEW metric_values AS SELECT m.run_id, m.step, n.agent, n.name, m.value
  FROM metrics m JOIN metric_names n ON n.id = m.name_id;
PRAGMA application_id = 1296519760;
PRAGMA user_version = 1;
)SQL";

void makeV1File(const std::filesystem::path& path) {
    RawDb db(path);
    db.exec(kV1);
    db.exec("INSERT INTO experiments(id, name, created) VALUES(1, 'old-exp', '2024-01-01T00:00:00Z');"
            "INSERT INTO runs(id, experiment_id, algorithm, config, status, created, last_step)"
            "  VALUES(7, 1, 'mgrpo', '{\"lr\":0.001}', 'finished', '2024-01-01T00:00:00Z', 1);"
            "INSERT INTO metric_names(id, name, agent) VALUES(1, 'main/reward_mean', 'main');"
            "INSERT INTO metrics VALUES(7, 1, 0, 0.25), (7, 1, 1, 0.5);"
            "INSERT INTO checkpoints VALUES(7, 1, '/ckpt/1', 123, '2024-01-01T00:00:00Z');");
}

}  // namespace

TEST(StoreSchema, FreshFileGetsCurrentVersionAndWal) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    { HistoryStore store(file); EXPECT_EQ(store.schemaVersion(), 2); }
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "2");
    EXPECT_EQ(raw.scalar("PRAGMA application_id"), "1296519760");  // 0x4D475250, "MGRP"
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name IN ('run_tags','experiment_tags')"), "2");
}

TEST(StoreSchema, MigratesVersion1WithDataIntact) {
    TempDir dir;
    const auto file = dir.file("v1.sqlite");
    makeV1File(file);
    {
        HistoryStore store(file);
        EXPECT_EQ(store.schemaVersion(), kSchemaVersion);
        const auto runs = store.listRuns();
        ASSERT_EQ(runs.size(), 1u);
        EXPECT_EQ(runs[0].id, 7);
        EXPECT_EQ(runs[0].experiment, "old-exp");
        EXPECT_EQ(runs[0].status, RunStatus::Finished);
        EXPECT_EQ(runs[0].notes, "");  // column added by version 2
        EXPECT_TRUE(runs[0].tags.empty());
        // The version-2 features work on the migrated file.
        store.addTags(7, {"baseline"});
        store.setNotes(7, "migrated");
        const auto series = store.metricSeries({7}, {"main/reward_mean"});
        ASSERT_EQ(series.size(), 1u);
        EXPECT_EQ(series[0].points, (std::vector<MetricPoint>{{0, 0.25}, {1, 0.5}}));
        ASSERT_TRUE(store.lastCheckpoint(7).has_value());
        EXPECT_EQ(store.lastCheckpoint(7)->path, "/ckpt/1");
    }
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "2");
    EXPECT_EQ(raw.scalar("SELECT notes FROM runs WHERE id=7"), "migrated");
    EXPECT_EQ(raw.scalar("SELECT tag FROM run_tags WHERE run_id=7"), "baseline");
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

TEST(StoreSchema, MigrationIsIdempotentAcrossReopen) {
    TempDir dir;
    const auto file = dir.file("v1.sqlite");
    makeV1File(file);
    { HistoryStore store(file); }
    { HistoryStore store(file); EXPECT_EQ(store.listRuns().size(), 1u); }
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM metrics"), "2");
}

TEST(StoreSchema, RefusesNewerVersionAndLeavesFileUnchanged) {
    TempDir dir;
    const auto file = dir.file("future.sqlite");
    {
        RawDb db(file);
        db.exec("CREATE TABLE future_things(x); INSERT INTO future_things VALUES(1);"
                "PRAGMA application_id = 1296519760; PRAGMA user_version = 9;");
    }
    const auto before = readBytes(file);
    try {
        HistoryStore store(file);
        FAIL() << "a version-9 database was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::NewerSchema);
        const std::string message = e.what();
        EXPECT_NE(message.find(file.string()), std::string::npos) << message;
        EXPECT_NE(message.find("schema version 9"), std::string::npos) << message;
        EXPECT_NE(message.find("newer"), std::string::npos) << message;
    }
    EXPECT_EQ(readBytes(file), before);
    EXPECT_FALSE(mgrpo::core::pathExists(file.string() + "-wal"));
}

TEST(StoreSchema, RefusesNewerVersionInWalModeWithoutCheckpointingIt) {
    TempDir dir;
    const auto file = dir.file("future-wal.sqlite");
    {
        // Committed pages left in the -wal file, as after a crash: closing
        // without the usual checkpoint.
        RawDb writer(file);
        writer.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x);"
                    "PRAGMA application_id = 1296519760; PRAGMA user_version = 5; INSERT INTO t VALUES(1);");
        sqlite3_db_config(writer.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    const std::string wal = file.string() + "-wal";
    ASSERT_TRUE(mgrpo::core::pathExists(wal));
    const auto before = readBytes(file);
    const auto walBefore = readBytes(wal);
    try {
        HistoryStore store(file);
        FAIL() << "a version-5 database was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::NewerSchema) << e.what();
    }
    EXPECT_EQ(readBytes(file), before);
    EXPECT_EQ(readBytes(wal), walBefore);
}

TEST(StoreSchema, RefusesAnotherProgramsDatabase) {
    TempDir dir;
    const auto file = dir.file("other.sqlite");
    { RawDb db(file); db.exec("CREATE TABLE customers(id, name); INSERT INTO customers VALUES(1, 'x');"); }
    const auto before = readBytes(file);
    try {
        HistoryStore store(file);
        FAIL() << "a foreign database was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::ForeignDatabase);
        EXPECT_NE(std::string(e.what()).find("another program"), std::string::npos) << e.what();
    }
    EXPECT_EQ(readBytes(file), before);
}
