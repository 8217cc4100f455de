// POSIX implementations of the file operations in files.h (why not
// <filesystem>: see there, pytorch/pytorch#133437).
#include "core/util/files.h"

#include <dirent.h>    // opendir, readdir
#include <fcntl.h>     // open
#include <sys/stat.h>  // stat, lstat, mkdir, chmod
#include <unistd.h>    // read, write, unlink, rmdir, readlink, symlink, getcwd

#include <algorithm>
#include <cerrno>
#include <cstdlib>  // getenv
#include <cstring>  // strerror
#include <memory>
#include <stdexcept>
#include <utility>  // exchange

namespace mgrpo::core {

namespace {

[[noreturn]] void fail(const std::string& action, const std::string& path, int error) {
    throw std::runtime_error("cannot " + action + " '" + path + "': " + std::strerror(error));
}

std::string join(const std::string& dir, const std::string& name) {
    return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

// The directory above `path` ("" when it has none, "/" for "/x").
std::string parentOf(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return "";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// stat() or lstat(); false when the path or a directory above it is missing
// (ENOENT, ENOTDIR), throws on any other failure.
bool statPath(const std::string& path, struct stat& st, bool followLinks) {
    if ((followLinks ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    fail("stat", path, errno);
}

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

void writeAll(int fd, const char* data, size_t size, const std::string& path) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", path, errno);
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void copyFile(const std::string& from, const std::string& to, mode_t mode) {
    FdCloser in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) fail("open", from, errno);
    // O_EXCL: never overwrite what is already at the destination.
    FdCloser out{::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (out.fd < 0) fail("create", to, errno);
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(in.fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("read", from, errno);
        }
        writeAll(out.fd, buffer, static_cast<size_t>(n), to);
    }
    if (::fchmod(out.fd, mode) != 0) fail("set the permissions of", to, errno);
    const int fd = std::exchange(out.fd, -1);
    if (::close(fd) != 0) fail("close", to, errno);  // NFS reports write errors here
}

void listRegularFilesInto(const std::string& dir, const std::string& prefix, std::vector<std::string>& out) {
    for (const auto& name : listDirectory(dir)) {
        const auto path = join(dir, name);
        struct stat st {};
        if (!statPath(path, st, /*followLinks=*/false)) continue;  // removed meanwhile
        if (S_ISDIR(st.st_mode))
            listRegularFilesInto(path, prefix + name + "/", out);
        else if (S_ISREG(st.st_mode))
            out.push_back(prefix + name);
    }
}

}  // namespace

bool pathExists(const std::string& path) {
    struct stat st {};
    return statPath(path, st, /*followLinks=*/true);
}

bool isDirectory(const std::string& path) {
    struct stat st {};
    return statPath(path, st, /*followLinks=*/true) && S_ISDIR(st.st_mode);
}

bool isRegularFile(const std::string& path) {
    struct stat st {};
    return statPath(path, st, /*followLinks=*/true) && S_ISREG(st.st_mode);
}

void createDirectories(const std::string& path) {
    if (path.empty()) throw std::runtime_error("cannot create a directory with an empty name");
    if (::mkdir(path.c_str(), 0777) == 0) return;
    int error = errno;
    if (error == ENOENT) {
        // A parent is missing: create it, then try again.
        const auto parent = parentOf(path);
        if (!parent.empty() && parent != path) {
            createDirectories(parent);
            if (::mkdir(path.c_str(), 0777) == 0) return;
            error = errno;
        }
    }
    // EEXIST is fine for a directory (also one another process just made).
    if (error == EEXIST) {
        if (isDirectory(path)) return;
        throw std::runtime_error("cannot create directory '" + path + "': a file (not a directory) is in the way");
    }
    fail("create directory", path, error);
}

void removeTree(const std::string& path) {
    struct stat st {};
    if (!statPath(path, st, /*followLinks=*/false)) return;
    if (S_ISDIR(st.st_mode)) {
        for (const auto& name : listDirectory(path)) removeTree(join(path, name));
        if (::rmdir(path.c_str()) != 0 && errno != ENOENT) fail("remove directory", path, errno);
    } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        fail("remove", path, errno);
    }
}

void renamePath(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        throw std::runtime_error("cannot rename '" + from + "' to '" + to + "': " + std::strerror(errno));
}

void copyTree(const std::string& from, const std::string& to) {
    struct stat st {};
    if (!statPath(from, st, /*followLinks=*/false)) fail("copy", from, ENOENT);
    if (S_ISDIR(st.st_mode)) {
        // Owner-writable while filling it; the source's bits are set at the end.
        if (::mkdir(to.c_str(), 0700) != 0) fail("create directory", to, errno);
        for (const auto& name : listDirectory(from)) copyTree(join(from, name), join(to, name));
        setPermissions(to, st.st_mode & 07777);
    } else if (S_ISREG(st.st_mode)) {
        copyFile(from, to, st.st_mode & 07777);
    } else if (S_ISLNK(st.st_mode)) {
        if (::symlink(readSymlink(from).c_str(), to.c_str()) != 0) fail("create symbolic link", to, errno);
    } else {
        throw std::runtime_error("cannot copy '" + from + "': not a regular file, directory or symbolic link");
    }
}

std::vector<std::string> listDirectory(const std::string& dir) {
    const std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d) fail("open directory", dir, errno);
    std::vector<std::string> names;
    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(d.get());
        if (!entry) {
            if (errno != 0) fail("read directory", dir, errno);
            break;
        }
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> listRegularFiles(const std::string& dir) {
    std::vector<std::string> files;
    listRegularFilesInto(dir, "", files);
    std::sort(files.begin(), files.end());
    return files;
}

std::uint64_t fileSize(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) fail("get the size of", path, errno);
    if (!S_ISREG(st.st_mode))
        throw std::runtime_error("cannot get the size of '" + path + "': not a regular file");
    return static_cast<std::uint64_t>(st.st_size);
}

void setPermissions(const std::string& path, unsigned mode) {
    if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) fail("set the permissions of", path, errno);
}

std::string readSymlink(const std::string& path) {
    std::string target(256, '\0');
    for (;;) {
        const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0) fail("read symbolic link", path, errno);
        if (static_cast<size_t>(n) < target.size()) {  // else it may be truncated: grow and retry
            target.resize(static_cast<size_t>(n));
            return target;
        }
        target.resize(target.size() * 2);
    }
}

std::string absolutePath(const std::string& path) {
    if (path.empty()) throw std::runtime_error("cannot make an empty path absolute");
    if (path.front() == '/') return path;
    std::string cwd(256, '\0');
    while (!::getcwd(cwd.data(), cwd.size())) {
        if (errno != ERANGE) fail("get the current directory for", path, errno);
        cwd.resize(cwd.size() * 2);
    }
    cwd.resize(std::char_traits<char>::length(cwd.c_str()));
    return join(cwd, path);
}

std::string temporaryDirectory() {
    const char* env = std::getenv("TMPDIR");
    const std::string dir = env && *env ? env : "/tmp";
    if (!isDirectory(dir)) throw std::runtime_error("temporary directory '" + dir + "' is not a directory");
    return dir;
}

}  // namespace mgrpo::core
