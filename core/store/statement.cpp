// Statement: the prepared-statement wrapper (see statement.h).
#include "core/store/statement.h"

#include "core/store/database.h"

#include <sqlite3.h>  // the SQLite C API

#include <chrono>
#include <thread>
#include <utility>

namespace mgrpo::store {

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement& Statement::bindInt(int index, long long value) {
    if (const int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK) m_db->fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (const int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK) m_db->fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) m_db->fail(rc, "bind");
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, size_t size) {
    if (const int rc = sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_TRANSIENT); rc != SQLITE_OK)
        m_db->fail(rc, "bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (const int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK) m_db->fail(rc, "bind");
    return *this;
}

bool Statement::step() {
    // SQLITE_BUSY can only be retried safely before the first row came back;
    // sqlite3_busy_timeout already waited, this loop covers the WAL cases the
    // busy handler does not (e.g. a reader racing a checkpoint).
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> deadline;  // read the clock only when busy: step() runs per row
    for (int attempt = 0;; ++attempt) {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        if (!deadline) deadline = Clock::now() + std::chrono::seconds(30);
        if ((rc & 0xff) == SQLITE_BUSY && Clock::now() < *deadline) {
            sqlite3_reset(m_stmt);
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, 1 + attempt)));
            continue;
        }
        const std::string sql = sqlite3_sql(m_stmt) ? sqlite3_sql(m_stmt) : "";
        const std::string message = sqlite3_errmsg(sqlite3_db_handle(m_stmt));
        sqlite3_reset(m_stmt);
        m_db->fail(rc, std::string("'").append(sql, 0, 60).append("'"), message);
    }
}

void Statement::run() {
    step();
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

long long Statement::columnInt(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::columnDouble(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::string Statement::columnBlob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return data ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

}  // namespace mgrpo::store
