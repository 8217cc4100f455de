// Transaction: BEGIN IMMEDIATE (or DEFERRED for readers) on construction,
// ROLLBACK on destruction unless commit() ran. IMMEDIATE takes the write lock
// up front so a writer never fails half-way with SQLITE_BUSY.
#pragma once

namespace mgrpo::store {

class Database;

class Transaction {
public:
    enum class Kind { Deferred, Immediate };

    explicit Transaction(Database& db, Kind kind = Kind::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& m_db;
    bool m_open = true;
};

}  // namespace mgrpo::store
