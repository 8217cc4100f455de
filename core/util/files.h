// File system operations on plain POSIX calls (stat, opendir, mkdir, rename,
// unlink...). Not libstdc++'s <filesystem>: a PyTorch 2.x wheel's libtorch
// exports its own statically linked copy of those functions, our calls bind to
// it and crash (pytorch/pytorch#133437). std::filesystem::path is still fine
// for joining and splitting names; every operation on the disk goes here.
// Torch-free and Qt-free. Failures throw std::runtime_error naming the path
// and the system's reason (strerror).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core {

// Whether the path names something (symbolic links followed). False when it or
// a directory above it is missing; other failures (no permission) throw.
bool pathExists(const std::string& path);
// Whether the path is a directory / a regular file (links followed); false when missing.
bool isDirectory(const std::string& path);
bool isRegularFile(const std::string& path);

// Creates the directory and every missing parent (mkdir -p). An existing
// directory is fine; an existing file in the way throws.
void createDirectories(const std::string& path);
// Removes a file, a symbolic link or a whole directory tree (rm -rf): nothing
// to do when missing; symbolic links are removed, never followed.
void removeTree(const std::string& path);
// rename(2): atomic within one file system; replaces a file or an empty directory at `to`.
void renamePath(const std::string& from, const std::string& to);
// Copies a file or a directory tree to `to`, which must not exist yet (nor any
// file under it). File bytes and permission bits are copied; symbolic links are
// recreated as links, not followed.
void copyTree(const std::string& from, const std::string& to);

// The entries' names in `dir` (without "." and ".."), sorted.
std::vector<std::string> listDirectory(const std::string& dir);
// Every regular file under `dir`, as paths relative to it ("a/b.txt"), sorted;
// symbolic links are not followed.
std::vector<std::string> listRegularFiles(const std::string& dir);

// Size in bytes of a regular file (links followed).
std::uint64_t fileSize(const std::string& path);
// chmod(2): sets the permission bits (e.g. 0755).
void setPermissions(const std::string& path, unsigned mode);
// Where a symbolic link points, as stored in the link.
std::string readSymlink(const std::string& path);

// `path` if absolute, else the current directory joined with it (not normalised).
std::string absolutePath(const std::string& path);
// $TMPDIR when set and not empty, else /tmp; throws if it is not a directory.
std::string temporaryDirectory();

}  // namespace mgrpo::core
