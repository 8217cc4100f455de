// Core-internal: worker processes spawned on this machine (mgrpo run
// --decoupled): `<mgrpo> serve --role ... --store 127.0.0.1:PORT --world N
// --rank R`, each told to die with its parent (PR_SET_PDEATHSIG), reaped and
// reported by name when one exits early.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace mgrpo::core::dist {

struct LocalWorker {
    int rank = 0;
    std::string role;
    pid_t pid = -1;
    bool exited = false;
};

class LocalWorkers {
public:
    LocalWorkers() = default;
    LocalWorkers(const LocalWorkers&) = delete;
    LocalWorkers& operator=(const LocalWorkers&) = delete;
    ~LocalWorkers();  // SIGTERM, then SIGKILL after a grace period, to any still running

    void spawn(const std::string& executable, const std::vector<std::string>& args, int rank, const std::string& role,
               const std::string& logFile);
    // "... (rank R, pid P) exited with code C" for a worker that has exited; empty otherwise.
    std::string exitedEarly();
    // Waits up to `seconds` for all to exit; then terminates the rest.
    void join(double seconds);
    const std::vector<LocalWorker>& workers() const { return m_workers; }

private:
    std::vector<LocalWorker> m_workers;
};

}  // namespace mgrpo::core::dist
