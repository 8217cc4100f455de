// The verbs of the `mgrpo` command line. Each takes its own arguments (after
// the verb) and returns the process exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace mgrpo::cli {

using Args = std::vector<std::string>;

int printHelp(std::ostream& out);
int printVersion(std::ostream& out);
int listDevices(const Args& args, std::ostream& out);

}  // namespace mgrpo::cli
