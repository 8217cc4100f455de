#include "cli/cli_commands.h"

#include "core/system/system_info.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace mgrpo::cli {

int printHelp(std::ostream& out) {
    out << "mgrpo - headless M-GRPO Workbench\n"
           "\n"
           "Usage: mgrpo <command> [options]\n"
           "\n"
           "Commands:\n"
           "  devices [--json]   list the devices LibTorch can run on (cpu, cuda:N)\n"
           "\n"
           "Options:\n"
           "  -h, --help         show this help\n"
           "  --version          print the workbench and LibTorch versions\n";
    return 0;
}

int printVersion(std::ostream& out) {
    out << "mgrpo " << core::workbenchVersion() << " (LibTorch " << core::libtorchVersion() << ")\n";
    return 0;
}

int listDevices(const Args& args, std::ostream& out) {
    const bool json = !args.empty() && args[0] == "--json";
    const auto devices = core::availableDevices();
    if (json) {
        auto list = nlohmann::json::array();
        for (const auto& d : devices) list.push_back({{"id", d.id}, {"description", d.description}});
        out << list.dump(2) << '\n';
    } else {
        for (const auto& d : devices) out << d.id << '\t' << d.description << '\n';
    }
    return 0;
}

}  // namespace mgrpo::cli
