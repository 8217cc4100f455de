// The versioned schema of the history database and its forward migrations.
// Version N is reached from N-1 by migration N; PRAGMA user_version holds the
// version and PRAGMA application_id marks the file as ours. SCHEMA.md documents it.
#pragma once

namespace mgrpo::store {

class Database;

inline constexpr int kSchemaVersion = 2;
inline constexpr int kApplicationId = 0x4D475250;  // "MGRP"

// Upgrades the database from `fromVersion` (0: empty file) to kSchemaVersion in
// one transaction; a failure leaves the file at its old version.
void migrateSchema(Database& db, int fromVersion);

}  // namespace mgrpo::store
