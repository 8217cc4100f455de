// ProcessIdentity: who owns a running run (host, pid and the process start
// time, so a pid reused by another program is not mistaken for the owner).
// A run whose owner is gone from this host is marked interrupted at open.
#pragma once

#include <cstdint>
#include <string>

namespace mgrpo::store {

struct ProcessIdentity {
    std::string host;
    std::int64_t pid = 0;
    std::int64_t startTicks = 0;  // field 22 of /proc/<pid>/stat; 0 where unknown

    static ProcessIdentity current();
    // True if this process is still alive on this host. A process on another
    // host is assumed alive (it cannot be checked from here).
    bool isAlive() const;
};

// Start time of `pid` in clock ticks since boot, or 0 (not Linux / no such pid).
std::int64_t processStartTicks(std::int64_t pid);

}  // namespace mgrpo::store
