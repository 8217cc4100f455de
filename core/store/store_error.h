// StoreError: the one exception type of the experiment history. Its message
// always names the database file and, when SQLite reported the problem,
// SQLite's own message, so a user can tell which file is wrong and why.
#pragma once

#include <stdexcept>
#include <string>

namespace mgrpo::store {

class StoreError : public std::runtime_error {
public:
    // kind lets tests and callers branch without parsing the text.
    enum class Kind { Generic, NotSqlite, Corrupt, NewerSchema, ForeignDatabase, ReadOnly, NotFound, Busy };

    StoreError(Kind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    explicit StoreError(const std::string& message) : StoreError(Kind::Generic, message) {}

    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

}  // namespace mgrpo::store
