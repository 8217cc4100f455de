// Database: RAII owner of one sqlite3 connection. Opens the file, sets the
// busy timeout, runs SQL and prepares statements; every error is a StoreError
// naming the file and SQLite's message. Schema and policy live elsewhere.
#pragma once

#include "core/store/statement.h"

#include <filesystem>
#include <string>

struct sqlite3;

namespace mgrpo::store {

class Database {
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    Database(const std::filesystem::path& path, Mode mode, int busyTimeoutMs = 10000);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements without results; retries while SQLITE_BUSY.
    void exec(const std::string& sql);
    Statement prepare(const std::string& sql);
    // First column of the first row of `sql` as an integer (PRAGMAs, counts).
    long long queryInt(const std::string& sql);
    long long lastInsertId() const;
    int changes() const;

    const std::filesystem::path& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

    // Throws a StoreError for SQLite result `rc` of `what`, with the file path
    // and SQLite's message (the connection's last one unless given).
    [[noreturn]] void fail(int rc, const std::string& what, const std::string& sqliteMessage = {}) const;

private:
    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
};

}  // namespace mgrpo::store
