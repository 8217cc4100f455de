// Writing a whole directory so readers see either the old one or the new one:
// fill "<dir>.tmp-<pid>", fsync, move an existing <dir> aside, rename, delete it.
#pragma once

#include <filesystem>
#include <functional>

namespace mgrpo::core {

// `fill` writes the files into the temporary directory it is given. If it
// throws, the temporary is removed and `dir` is left untouched.
void writeDirectoryAtomically(const std::filesystem::path& dir,
                              const std::function<void(const std::filesystem::path& tmp)>& fill);

}  // namespace mgrpo::core
