// ProcessIdentity (see process_identity.h): /proc on Linux, kill(pid, 0) elsewhere.
#include "core/store/process_identity.h"

#include <signal.h>  // kill()
#include <unistd.h>  // getpid(), gethostname()

#include <cerrno>
#include <fstream>
#include <sstream>

namespace mgrpo::store {

std::int64_t processStartTicks(std::int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return 0;
    // The command name (field 2) is in parentheses and may contain spaces.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    // Fields after the name start at 3 (state); the start time is field 22.
    for (int i = 3; i <= 22; ++i)
        if (!(rest >> field)) return 0;
    try {
        return std::stoll(field);
    } catch (...) {
        return 0;
    }
}

ProcessIdentity ProcessIdentity::current() {
    ProcessIdentity id;
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0) id.host = name;
    id.pid = ::getpid();
    id.startTicks = processStartTicks(id.pid);
    return id;
}

bool ProcessIdentity::isAlive() const {
    if (pid <= 0) return false;
    if (host != current().host) return true;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
    if (startTicks != 0) {
        const auto now = processStartTicks(pid);
        if (now != 0 && now != startTicks) return false;  // the pid now belongs to another process
    }
    // A zombie (killed, not yet reaped) is not alive either.
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (std::getline(in, line)) {
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') return false;
    }
    return true;
}

}  // namespace mgrpo::store
