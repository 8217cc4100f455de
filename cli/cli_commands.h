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
int warmStart(const Args& args, std::ostream& out);
int evaluate(const Args& args, std::ostream& out);
int showRollout(const Args& args, std::ostream& out);

// Value of "--name value" in args, or `fallback`. Throws std::invalid_argument
// if the flag is last (no value).
std::string option(const Args& args, const std::string& name, const std::string& fallback);
bool hasFlag(const Args& args, const std::string& name);

}  // namespace mgrpo::cli
