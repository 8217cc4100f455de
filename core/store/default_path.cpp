// defaultDatabasePath (see default_path.h); no Qt, so the CLI agrees with the GUI.
#include "core/store/default_path.h"

#include "core/util/files.h"

#include <cstdlib>

namespace mgrpo::store {

std::filesystem::path defaultDatabasePath() {
    if (const char* db = std::getenv("MGRPO_DB"); db && *db) return db;
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = std::filesystem::path(home) / ".local" / "share";
    } else {
        base = core::temporaryDirectory();
    }
    return base / "mgrpo-workbench" / "history.sqlite";
}

}  // namespace mgrpo::store
