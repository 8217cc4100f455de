// Schema migrations (see schema.h). Never edit a released migration: add one.
#include "core/store/schema.h"

#include "core/store/database.h"
#include "core/store/transaction.h"

#include <string>

namespace mgrpo::store {
namespace {

// Version 1: experiments, runs, the metric-name dictionary, metrics (WITHOUT
// ROWID, clustered by run, name, step so one series is one range scan),
// evaluations, trajectories and checkpoints.
const char* const kVersion1 = R"SQL(
CREATE TABLE experiments (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL,
  notes   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  algorithm     TEXT NOT NULL DEFAULT '',
  config        TEXT NOT NULL DEFAULT '{}',
  topology      TEXT NOT NULL DEFAULT '{}',
  seed          INTEGER NOT NULL DEFAULT 0,
  device        TEXT NOT NULL DEFAULT 'cpu',
  status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
                  ('queued','running','paused','finished','failed','stopped','interrupted')),
  created       TEXT NOT NULL,
  started       TEXT,
  ended         TEXT,
  error         TEXT NOT NULL DEFAULT '',
  host          TEXT NOT NULL DEFAULT '',
  pid           INTEGER NOT NULL DEFAULT 0,
  pid_start     INTEGER NOT NULL DEFAULT 0,
  run_dir       TEXT NOT NULL DEFAULT '',
  last_step     INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE metric_names (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE,
  agent TEXT NOT NULL
);
CREATE TABLE metrics (
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name_id INTEGER NOT NULL REFERENCES metric_names(id),
  step    INTEGER NOT NULL,
  value   REAL,
  PRIMARY KEY (run_id, name_id, step)
) WITHOUT ROWID;
CREATE TABLE evaluations (
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step    INTEGER NOT NULL,
  suite   TEXT NOT NULL,
  queries INTEGER NOT NULL DEFAULT 0,
  metrics TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, step, suite)
) WITHOUT ROWID;
CREATE TABLE trajectories (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step     INTEGER NOT NULL,
  split    TEXT NOT NULL,
  query    INTEGER NOT NULL,
  rollout  INTEGER NOT NULL,
  question TEXT NOT NULL DEFAULT '',
  reward   REAL NOT NULL,
  correct  INTEGER NOT NULL,
  encoding TEXT NOT NULL CHECK (encoding IN ('json','zlib')),
  tree     BLOB NOT NULL,
  PRIMARY KEY (run_id, step, split, query, rollout)
);
CREATE TABLE checkpoints (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step       INTEGER NOT NULL,
  path       TEXT NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  created    TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE INDEX runs_by_experiment ON runs(experiment_id);
CREATE VIEW metric_values AS
  SELECT m.run_id, m.step, n.agent, n.name, m.value
  FROM metrics m JOIN metric_names n ON n.id = m.name_id;
)SQL";

// Version 2: run notes and tags, experiment tags, an index for status filters.
const char* const kVersion2 = R"SQL(
ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
CREATE TABLE run_tags (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  tag    TEXT NOT NULL,
  PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE INDEX run_tags_by_tag ON run_tags(tag);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  tag           TEXT NOT NULL,
  PRIMARY KEY (experiment_id, tag)
) WITHOUT ROWID;
CREATE INDEX runs_by_status ON runs(status);
)SQL";

const char* const kMigrations[] = {kVersion1, kVersion2};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

}  // namespace

void migrateSchema(Database& db, int fromVersion) {
    if (fromVersion >= kSchemaVersion) return;
    Transaction tx(db);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const int current = static_cast<int>(db.queryInt("PRAGMA user_version"));
    for (int v = current + 1; v <= kSchemaVersion; ++v) db.exec(kMigrations[v - 1]);
    if (current < kSchemaVersion) {
        db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    }
    tx.commit();
}

}  // namespace mgrpo::store
