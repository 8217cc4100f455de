// Entry point of the `mgrpo` CLI: dispatches the first argument to a verb.
#include "cli/cli_commands.h"

#include "core/system/system_info.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    using namespace mgrpo::cli;
    const Args all(argv + 1, argv + argc);
    if (all.empty() || all[0] == "-h" || all[0] == "--help" || all[0] == "help") return printHelp(std::cout);
    if (all[0] == "--version") return printVersion(std::cout);
    const Args rest(all.begin() + 1, all.end());
    try {
        mgrpo::core::configureThreads();
        if (all[0] == "devices") return listDevices(rest, std::cout);
    } catch (const std::exception& e) {
        std::cerr << "mgrpo " << all[0] << ": " << e.what() << '\n';
        return 1;
    }
    std::cerr << "mgrpo: unknown command '" << all[0] << "' (see mgrpo --help)\n";
    return 2;
}
