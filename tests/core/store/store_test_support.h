// Helpers for the history-store tests: a temporary directory, whole-file
// reads for byte comparisons, and raw sqlite3 access that checks the store
// independently of its own wrapper classes.
#pragma once

#include "core/util/files.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace mgrpo::store::test {

class TempDir {
public:
    TempDir() {
        m_path = std::filesystem::path(core::temporaryDirectory()) /
                 ("mgrpo-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_counter++));
        core::removeTree(m_path);
        core::createDirectories(m_path);
    }
    ~TempDir() {
        try {
            core::setPermissions(m_path, 0700);  // a test may have made it read-only
            core::removeTree(m_path);
        } catch (const std::runtime_error&) {
            // A leftover temporary directory must not abort the test run.
        }
    }
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path file(const std::string& name) const { return m_path / name; }

private:
    static inline int s_counter = 0;
    std::filesystem::path m_path;
};

inline std::string readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// A raw sqlite3 connection for setting up and checking files by hand.
class RawDb {
public:
    explicit RawDb(const std::filesystem::path& path, bool readOnly = false) {
        const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK)
            throw std::runtime_error("raw open failed: " + std::string(sqlite3_errmsg(m_db)));
        sqlite3_busy_timeout(m_db, 10000);
    }
    ~RawDb() { sqlite3_close_v2(m_db); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error("raw exec failed: " + message + " in: " + sql.substr(0, 80));
        }
    }
    // All rows of a query, every column as text ("NULL" for null).
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
            throw std::runtime_error("raw prepare failed: " + std::string(sqlite3_errmsg(m_db)));
        std::vector<std::vector<std::string>> out;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const auto* text = sqlite3_column_text(stmt, c);
                row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) throw std::runtime_error("raw step failed: " + std::string(sqlite3_errmsg(m_db)));
        return out;
    }
    sqlite3* handle() const { return m_db; }
    std::string scalar(const std::string& sql) {
        const auto r = rows(sql);
        return r.empty() || r[0].empty() ? std::string() : r[0][0];
    }

private:
    sqlite3* m_db = nullptr;
};

}  // namespace mgrpo::store::test
