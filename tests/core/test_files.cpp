// core/util/files: each helper checked against what the kernel says (stat,
// lstat, readlink) or against bytes written here, never against the helpers
// themselves or <filesystem>.
#include "core/util/files.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

using namespace mgrpo::core;

namespace {

struct stat statOf(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st;
}

bool lstatSays(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    ASSERT_TRUE(out.good()) << path;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every byte value, and more than one read buffer of them.
std::string binaryBytes(size_t size) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + 7) % 256);
    return bytes;
}

// What the error thrown by `call` says; "" when it throws nothing.
template <typename Call>
std::string errorOf(Call call) {
    try {
        call();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// errorOf(call) in a child process that drops to "nobody" when the test runs
// as root, since root ignores permission bits.
template <typename Call>
std::string errorAsUnprivileged(Call call) {
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(3);
        const auto message = errorOf(call);
        [[maybe_unused]] const auto n = ::write(fds[1], message.data(), message.size());
        _exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buffer[512];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "child failed, status " + std::to_string(status);
}

// A fresh directory made with mkdtemp(3), removed with `rm -rf` (not by the helpers under test).
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = "/tmp/mgrpo-files-test-XXXXXX";
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~ScratchDir() {
        ::chmod(m_path.c_str(), 0700);
        [[maybe_unused]] const int rc = std::system(("rm -rf '" + m_path + "'").c_str());
    }
    std::string operator/(const std::string& name) const { return m_path + "/" + name; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

}  // namespace

TEST(Files, CreateDirectoriesMakesEveryMissingLevel) {
    ScratchDir tmp;
    createDirectories(tmp / "a/b/c");
    for (const auto* dir : {"a", "a/b", "a/b/c"}) EXPECT_TRUE(S_ISDIR(statOf(tmp / dir).st_mode)) << dir;
    createDirectories(tmp / "a/b/c");  // existing: fine
    createDirectories(tmp / "a/b/c/");  // trailing slash
}

TEST(Files, CreateDirectoriesRelativeToTheCurrentDirectory) {
    ScratchDir tmp;
    char cwd[4096];
    ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
    ASSERT_EQ(::chdir(tmp.path().c_str()), 0);
    createDirectories("rel/x");
    EXPECT_TRUE(S_ISDIR(statOf(tmp / "rel/x").st_mode));
    ASSERT_EQ(::chdir(cwd), 0);
}

TEST(Files, CreateDirectoriesUnderAFileNamesThePath) {
    ScratchDir tmp;
    writeFile(tmp / "file", "x");
    const auto message = errorOf([&] { createDirectories(tmp / "file/sub"); });
    EXPECT_NE(message.find(tmp / "file/sub"), std::string::npos) << message;
    EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
    const auto inTheWay = errorOf([&] { createDirectories(tmp / "file"); });
    EXPECT_NE(inTheWay.find(tmp / "file"), std::string::npos) << inTheWay;
}

TEST(Files, ExistsAndKinds) {
    ScratchDir tmp;
    writeFile(tmp / "f", "abc");
    ASSERT_EQ(::symlink((tmp / "f").c_str(), (tmp / "link").c_str()), 0);
    ASSERT_EQ(::symlink((tmp / "nowhere").c_str(), (tmp / "dangling").c_str()), 0);
    EXPECT_TRUE(pathExists(tmp.path()));
    EXPECT_TRUE(pathExists(tmp / "f"));
    EXPECT_TRUE(pathExists(tmp / "link"));
    EXPECT_FALSE(pathExists(tmp / "dangling"));  // links are followed
    EXPECT_FALSE(pathExists(tmp / "missing"));
    EXPECT_FALSE(pathExists(tmp / "f/below-a-file"));
    EXPECT_TRUE(isDirectory(tmp.path()));
    EXPECT_FALSE(isDirectory(tmp / "f"));
    EXPECT_FALSE(isDirectory(tmp / "missing"));
    EXPECT_TRUE(isRegularFile(tmp / "f"));
    EXPECT_TRUE(isRegularFile(tmp / "link"));
    EXPECT_FALSE(isRegularFile(tmp.path()));
    EXPECT_FALSE(isRegularFile(tmp / "missing"));
}

TEST(Files, RemoveTreeRemovesEverythingButWhatLinksPointTo) {
    ScratchDir tmp;
    ::mkdir((tmp / "outside").c_str(), 0755);
    writeFile(tmp / "outside/keep", "precious");
    ::mkdir((tmp / "tree").c_str(), 0755);
    ::mkdir((tmp / "tree/a").c_str(), 0755);
    ::mkdir((tmp / "tree/a/b").c_str(), 0755);
    ::mkdir((tmp / "tree/empty").c_str(), 0755);
    writeFile(tmp / "tree/top", "1");
    writeFile(tmp / "tree/a/b/deep", "2");
    ASSERT_EQ(::symlink((tmp / "outside").c_str(), (tmp / "tree/a/to-outside").c_str()), 0);
    ASSERT_EQ(::symlink((tmp / "outside/keep").c_str(), (tmp / "tree/to-keep").c_str()), 0);

    removeTree(tmp / "tree");
    EXPECT_FALSE(lstatSays(tmp / "tree"));
    EXPECT_EQ(readFile(tmp / "outside/keep"), "precious");
    EXPECT_TRUE(S_ISDIR(statOf(tmp / "outside").st_mode));

    removeTree(tmp / "outside/keep");  // a single file
    EXPECT_FALSE(lstatSays(tmp / "outside/keep"));
}

TEST(Files, RemoveTreeOfAMissingPathDoesNothing) {
    ScratchDir tmp;
    EXPECT_NO_THROW(removeTree(tmp / "missing"));
    EXPECT_NO_THROW(removeTree(tmp / "missing/deeper"));
    EXPECT_TRUE(S_ISDIR(statOf(tmp.path()).st_mode));
}

TEST(Files, RemoveTreeFailureNamesThePath) {
    ScratchDir tmp;
    ::chmod(tmp.path().c_str(), 0755);
    ::mkdir((tmp / "locked").c_str(), 0755);
    writeFile(tmp / "locked/f", "x");
    ::chmod((tmp / "locked").c_str(), 0555);
    const auto message = errorAsUnprivileged([&] { removeTree(tmp / "locked"); });
    ::chmod((tmp / "locked").c_str(), 0755);
    EXPECT_TRUE(lstatSays(tmp / "locked/f"));
    EXPECT_NE(message.find(tmp / "locked/f"), std::string::npos) << message;
    EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
}

TEST(Files, ListDirectoryGivesSortedNames) {
    ScratchDir tmp;
    for (const auto* name : {"b", "a", "C", ".hidden", "a0"}) writeFile(tmp / name, "");
    ::mkdir((tmp / "dir").c_str(), 0755);
    EXPECT_EQ(listDirectory(tmp.path()), (std::vector<std::string>{".hidden", "C", "a", "a0", "b", "dir"}));
    EXPECT_TRUE(listDirectory(tmp / "dir").empty());
    const auto message = errorOf([&] { listDirectory(tmp / "missing"); });
    EXPECT_NE(message.find(tmp / "missing"), std::string::npos) << message;
}

TEST(Files, ListRegularFilesIsRecursiveRelativeAndSkipsLinks) {
    ScratchDir tmp;
    ::mkdir((tmp / "x").c_str(), 0755);
    ::mkdir((tmp / "x/y").c_str(), 0755);
    writeFile(tmp / "z", "");
    writeFile(tmp / "x/y/f", "");
    writeFile(tmp / "x/a", "");
    ASSERT_EQ(::symlink((tmp / "x").c_str(), (tmp / "link-to-x").c_str()), 0);
    EXPECT_EQ(listRegularFiles(tmp.path()), (std::vector<std::string>{"x/a", "x/y/f", "z"}));
}

TEST(Files, CopyTreeCopiesBytesAndModes) {
    ScratchDir tmp;
    ::mkdir((tmp / "src").c_str(), 0755);
    ::mkdir((tmp / "src/sub").c_str(), 0750);
    const auto big = binaryBytes(200'000);
    writeFile(tmp / "src/big.bin", big);
    writeFile(tmp / "src/sub/empty", "");
    writeFile(tmp / "src/sub/script", "#!/bin/sh\n");
    ::chmod((tmp / "src/sub/script").c_str(), 0751);
    ASSERT_EQ(::symlink("../big.bin", (tmp / "src/sub/link").c_str()), 0);

    copyTree(tmp / "src", tmp / "dst");
    EXPECT_EQ(readFile(tmp / "dst/big.bin"), big);
    EXPECT_EQ(statOf(tmp / "dst/big.bin").st_size, 200'000);
    EXPECT_EQ(readFile(tmp / "dst/sub/empty"), "");
    EXPECT_EQ(readFile(tmp / "dst/sub/script"), "#!/bin/sh\n");
    EXPECT_EQ(statOf(tmp / "dst/sub/script").st_mode & 07777, 0751u);
    EXPECT_EQ(statOf(tmp / "dst/sub").st_mode & 07777, 0750u);
    char target[64] = {};
    ASSERT_GT(::readlink((tmp / "dst/sub/link").c_str(), target, sizeof target - 1), 0);
    EXPECT_STREQ(target, "../big.bin");  // recreated as a link, still relative
    EXPECT_EQ(readFile(tmp / "src/big.bin"), big);  // the source is untouched

    const auto message = errorOf([&] { copyTree(tmp / "src/big.bin", tmp / "dst/big.bin"); });
    EXPECT_NE(message.find(tmp / "dst/big.bin"), std::string::npos) << "never overwrites: " << message;
}

TEST(Files, RenamePathMovesAndReplaces) {
    ScratchDir tmp;
    writeFile(tmp / "a", "first");
    renamePath(tmp / "a", tmp / "b");
    EXPECT_FALSE(lstatSays(tmp / "a"));
    EXPECT_EQ(readFile(tmp / "b"), "first");
    writeFile(tmp / "c", "second");
    renamePath(tmp / "c", tmp / "b");  // replaces a file
    EXPECT_EQ(readFile(tmp / "b"), "second");
    ::mkdir((tmp / "d").c_str(), 0755);
    writeFile(tmp / "d/in", "x");
    renamePath(tmp / "d", tmp / "e");
    EXPECT_EQ(readFile(tmp / "e/in"), "x");
    const auto message = errorOf([&] { renamePath(tmp / "missing", tmp / "f"); });
    EXPECT_NE(message.find(tmp / "missing"), std::string::npos) << message;
    EXPECT_NE(message.find(tmp / "f"), std::string::npos) << message;
}

TEST(Files, FileSizeIsTheBytesWritten) {
    ScratchDir tmp;
    writeFile(tmp / "empty", "");
    writeFile(tmp / "some", binaryBytes(12'345));
    EXPECT_EQ(fileSize(tmp / "empty"), 0u);
    EXPECT_EQ(fileSize(tmp / "some"), 12'345u);
    EXPECT_NE(errorOf([&] { fileSize(tmp / "missing"); }).find(tmp / "missing"), std::string::npos);
    EXPECT_NE(errorOf([&] { fileSize(tmp.path()); }).find("not a regular file"), std::string::npos);
}

TEST(Files, SetPermissionsAndReadSymlink) {
    ScratchDir tmp;
    writeFile(tmp / "f", "");
    setPermissions(tmp / "f", 0640);
    EXPECT_EQ(statOf(tmp / "f").st_mode & 07777, 0640u);
    ASSERT_EQ(::symlink("some/where", (tmp / "link").c_str()), 0);
    EXPECT_EQ(readSymlink(tmp / "link"), "some/where");
    const std::string longTarget(1000, 'x');  // longer than the first buffer
    ASSERT_EQ(::symlink(longTarget.c_str(), (tmp / "long").c_str()), 0);
    EXPECT_EQ(readSymlink(tmp / "long"), longTarget);
    EXPECT_NE(errorOf([&] { readSymlink(tmp / "f"); }).find(tmp / "f"), std::string::npos);
    EXPECT_NE(errorOf([&] { setPermissions(tmp / "missing", 0600); }).find(tmp / "missing"), std::string::npos);
}

TEST(Files, AbsolutePathJoinsTheCurrentDirectory) {
    char cwd[4096];
    ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
    EXPECT_EQ(absolutePath("/already/absolute"), "/already/absolute");
    EXPECT_EQ(absolutePath("run/out"), std::string(cwd) + "/run/out");
    EXPECT_FALSE(errorOf([] { absolutePath(""); }).empty());
}

TEST(Files, TemporaryDirectoryFollowsTmpdir) {
    ScratchDir tmp;
    const char* saved = std::getenv("TMPDIR");
    const std::string before = saved ? saved : "";
    ::setenv("TMPDIR", tmp.path().c_str(), 1);
    EXPECT_EQ(temporaryDirectory(), tmp.path());
    ::setenv("TMPDIR", "", 1);
    EXPECT_EQ(temporaryDirectory(), "/tmp");
    ::setenv("TMPDIR", (tmp / "missing").c_str(), 1);
    EXPECT_NE(errorOf([] { temporaryDirectory(); }).find(tmp / "missing"), std::string::npos);
    if (saved)
        ::setenv("TMPDIR", before.c_str(), 1);
    else
        ::unsetenv("TMPDIR");
}
