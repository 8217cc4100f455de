// Transaction: scoped BEGIN/COMMIT/ROLLBACK (see transaction.h).
#include "core/store/transaction.h"

#include "core/store/database.h"

namespace mgrpo::store {

Transaction::Transaction(Database& db, Kind kind) : m_db(db) {
    m_db.exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
    if (!m_open) return;
    try {
        m_db.exec("ROLLBACK");
    } catch (...) {
        // A failed rollback leaves SQLite to roll back when the connection closes.
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

}  // namespace mgrpo::store
