// Checks on a database file made before SQLite touches it, so that a text
// file, a truncated database or a read-only location is reported in plain
// words and never modified. Reads the file header only; writes nothing.
#pragma once

#include <filesystem>

namespace mgrpo::store {

enum class FileState { Missing, Empty, SqliteHeader };

// Throws StoreError (NotSqlite, Corrupt, ReadOnly, Generic) when the file
// exists but cannot be a usable history database; otherwise says what it is.
// `forWriting` also requires the file and its directory to be writable (WAL
// creates <file>-wal and <file>-shm beside it).
FileState checkDatabaseFile(const std::filesystem::path& path, bool forWriting);

}  // namespace mgrpo::store
