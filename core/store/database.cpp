// Database: the sqlite3 connection wrapper (see database.h).
#include "core/store/database.h"

#include "core/store/store_error.h"

#include <sqlite3.h>  // the SQLite C API

#include <chrono>
#include <thread>

namespace mgrpo::store {

Database::Database(const std::filesystem::path& path, Mode mode, int busyTimeoutMs) : m_path(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    if (mode == Mode::ReadOnly) flags |= SQLITE_OPEN_READONLY;
    else flags |= SQLITE_OPEN_READWRITE;
    if (mode == Mode::ReadWriteCreate) flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        const auto kind = (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM)
                              ? StoreError::Kind::ReadOnly
                              : StoreError::Kind::Generic;
        throw StoreError(kind, "cannot open database " + path.string() + ": " + message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
}

Database::~Database() { sqlite3_close_v2(m_db); }

void Database::fail(int rc, const std::string& what, const std::string& sqliteMessage) const {
    const std::string message = !sqliteMessage.empty() ? sqliteMessage : m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    StoreError::Kind kind = StoreError::Kind::Generic;
    switch (rc & 0xff) {
    case SQLITE_CORRUPT: kind = StoreError::Kind::Corrupt; break;
    case SQLITE_NOTADB: kind = StoreError::Kind::NotSqlite; break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: kind = StoreError::Kind::ReadOnly; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: kind = StoreError::Kind::Busy; break;
    default: break;
    }
    throw StoreError(kind, "database " + m_path.string() + ": " + what + ": " + message);
}

void Database::exec(const std::string& sql) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    for (int attempt = 0;; ++attempt) {
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK) return;
        if ((rc & 0xff) == SQLITE_BUSY && Clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, 1 + attempt)));
            continue;
        }
        fail(rc, sql.substr(0, 60));
    }
}

Statement Database::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, "preparing '" + sql.substr(0, 60) + "'");
    return Statement(*this, stmt);
}

long long Database::queryInt(const std::string& sql) {
    auto stmt = prepare(sql);
    if (!stmt.step()) fail(SQLITE_ERROR, "'" + sql + "' returned no row");
    return stmt.columnInt(0);
}

long long Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

}  // namespace mgrpo::store
