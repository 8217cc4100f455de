// Entry point of the `mgrpo` CLI: dispatches the first argument to a verb.
#include "cli/cli_commands.h"
#include "cli/run_commands.h"
#include "cli/store_commands.h"

#include "core/system/system_info.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    using namespace mgrpo::cli;
    const Args all(argv + 1, argv + argc);
    if (all.empty() || all[0] == "-h" || all[0] == "--help" || all[0] == "help") return printHelp(std::cout);
    if (all[0] == "--version") return printVersion(std::cout);
    const Args rest(all.begin() + 1, all.end());
    // `mgrpo run X.json --help` must print the help, not start the (possibly hour-long) run.
    for (const auto& a : rest)
        if (a == "-h" || a == "--help") return printHelp(std::cout);
    try {
        mgrpo::core::configureThreads();
        if (all[0] == "devices") return listDevices(rest, std::cout);
        if (all[0] == "warmstart") return warmStart(rest, std::cout);
        if (all[0] == "evaluate" || all[0] == "eval") return evaluate(rest, std::cout);
        if (all[0] == "rollout") return showRollout(rest, std::cout);
        if (all[0] == "run") return runExperiment(rest, std::cout);
        if (all[0] == "resume") return resumeExperiment(rest, std::cout);
        if (all[0] == "serve") return serve(rest, std::cout);
        if (all[0] == "runs") return runsCommand(rest, std::cout);
        if (all[0] == "show") return showCommand(rest, std::cout);
        if (all[0] == "export") return exportCommand(rest, std::cout);
        if (all[0] == "delete") return deleteCommand(rest, std::cout, std::cin);
        if (all[0] == "tag") return tagCommand(rest, std::cout);
        if (all[0] == "note") return noteCommand(rest, std::cout);
    } catch (const std::exception& e) {
        std::cerr << "mgrpo " << all[0] << ": " << e.what() << '\n';
        return 1;
    }
    std::cerr << "mgrpo: unknown command '" << all[0] << "' (see mgrpo --help)\n";
    return 2;
}
