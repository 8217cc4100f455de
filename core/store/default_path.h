// Where the history database lives unless --db or a setting says otherwise:
// $MGRPO_DB, else $XDG_DATA_HOME/mgrpo-workbench/history.sqlite, else
// ~/.local/share/mgrpo-workbench/history.sqlite (Qt's AppDataLocation on Linux).
#pragma once

#include <filesystem>

namespace mgrpo::store {

std::filesystem::path defaultDatabasePath();

}  // namespace mgrpo::store
