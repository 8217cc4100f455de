// The history verbs of the `mgrpo` command line (runs, show, export, delete,
// tag, note) over the SQLite experiment history. Every verb takes --db FILE
// (default: core/store defaultDatabasePath()).
#pragma once

#include "cli/cli_commands.h"

#include <iosfwd>

namespace mgrpo::cli {

int runsCommand(const Args& args, std::ostream& out);
int showCommand(const Args& args, std::ostream& out);
int exportCommand(const Args& args, std::ostream& out);
int deleteCommand(const Args& args, std::ostream& out, std::istream& in);
int tagCommand(const Args& args, std::ostream& out);
int noteCommand(const Args& args, std::ostream& out);

// The database of a verb: --db FILE, else the default location.
std::string databaseArg(const Args& args);

}  // namespace mgrpo::cli
