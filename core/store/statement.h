// Statement: RAII owner of one prepared sqlite3 statement. Bind parameters
// (1-based, as SQLite counts), step through rows, read columns (0-based),
// reset to reuse. SQLITE_BUSY is retried inside step() with a short backoff.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace mgrpo::store {

class Database;

class Statement {
public:
    Statement(const Database& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bindInt(int index, long long value);
    template <std::integral T>
    Statement& bind(int index, T value) {
        return bindInt(index, static_cast<long long>(value));
    }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bindBlob(int index, const void* data, size_t size);
    Statement& bindNull(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // True while a row is available; false when done.
    bool step();
    // Steps a statement that returns no rows (INSERT/UPDATE/DELETE).
    void run();
    void reset();

    bool isNull(int column) const;
    long long columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::string columnBlob(int column) const;

private:
    const Database* m_db;
    sqlite3_stmt* m_stmt;
};

}  // namespace mgrpo::store
