#include "core/util/atomic_dir.h"

#include "core/util/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace mgrpo::core {

namespace fs = std::filesystem;

namespace {
void syncPath(const fs::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}
}  // namespace

void writeDirectoryAtomically(const fs::path& dir, const std::function<void(const fs::path&)>& fill) {
    const auto parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    createDirectories(parent);
    const auto suffix = std::string("-").append(std::to_string(::getpid()));
    const fs::path tmp = dir.string() + ".tmp" + suffix;
    const fs::path old = dir.string() + ".old" + suffix;
    removeTree(tmp);
    createDirectories(tmp);
    try {
        fill(tmp);
        for (const auto& name : listDirectory(tmp)) syncPath(tmp / name);
        syncPath(tmp);
    } catch (...) {
        removeTree(tmp);
        throw;
    }
    // rename() cannot replace a non-empty directory, so the old one steps aside first.
    const bool hadOld = pathExists(dir);
    if (hadOld) renamePath(dir, old);
    renamePath(tmp, dir);
    syncPath(parent);
    if (hadOld) removeTree(old);
}

}  // namespace mgrpo::core
