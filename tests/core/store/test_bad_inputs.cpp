// Bad database files: a text file, binary junk, a truncated database, a
// directory, a read-only file and a read-only directory. Each is refused with
// its own message naming the file, and the file is left byte-identical.
#include "core/store/history_store.h"
#include "store_test_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace mgrpo::store;
using mgrpo::store::test::RawDb;
using mgrpo::store::test::readBytes;
using mgrpo::store::test::TempDir;
using mgrpo::store::test::writeBytes;

namespace {

// Opens `file` expecting a StoreError; returns it (kind, message).
std::pair<StoreError::Kind, std::string> openError(const std::filesystem::path& file) {
    try {
        HistoryStore store(file);
    } catch (const StoreError& e) {
        return {e.kind(), e.what()};
    }
    return {StoreError::Kind::Generic, "<opened without error>"};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A valid history with some data, closed (checkpointed into the main file).
void makeHistory(const std::filesystem::path& file) {
    HistoryStore store(file);
    RunSpec spec;
    spec.experiment = "e";
    const auto run = store.createRun(spec);
    for (int s = 0; s < 200; ++s) {
        StepRecord step;
        step.step = s;
        for (int m = 0; m < 20; ++m) step.metrics["main/m" + std::to_string(m)] = s + m;
        store.writeStep(run, step);
    }
}

}  // namespace

TEST(StoreBadInputs, TextFileIsNotSqlite) {
    TempDir dir;
    const auto file = dir.file("notes.txt");
    writeBytes(file, "step,reward\n1,0.5\n2,0.75\nthis is clearly a CSV file, not a database\n");
    const auto before = readBytes(file);
    const auto [kind, message] = openError(file);
    EXPECT_EQ(kind, StoreError::Kind::NotSqlite) << message;
    EXPECT_TRUE(contains(message, file.string())) << message;
    EXPECT_TRUE(contains(message, "not an SQLite database")) << message;
    EXPECT_TRUE(contains(message, "text file")) << message;
    EXPECT_EQ(readBytes(file), before);
    EXPECT_FALSE(mgrpo::core::pathExists(file.string() + "-wal"));
}

TEST(StoreBadInputs, BinaryJunkIsNotSqlite) {
    TempDir dir;
    const auto file = dir.file("junk.bin");
    std::string junk(4096, '\0');
    for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919) & 0xff);
    writeBytes(file, junk);
    const auto [kind, message] = openError(file);
    EXPECT_EQ(kind, StoreError::Kind::NotSqlite) << message;
    EXPECT_TRUE(contains(message, "first bytes are not the SQLite header")) << message;
    EXPECT_EQ(readBytes(file), junk);
}

TEST(StoreBadInputs, TruncatedDatabase) {
    TempDir dir;
    const auto file = dir.file("cut.sqlite");
    makeHistory(file);
    auto bytes = readBytes(file);
    ASSERT_GT(bytes.size(), 8192u);
    bytes.resize(bytes.size() / 2 - 100);  // not even a whole number of pages
    writeBytes(file, bytes);
    const auto [kind, message] = openError(file);
    EXPECT_EQ(kind, StoreError::Kind::Corrupt) << message;
    EXPECT_TRUE(contains(message, "truncated")) << message;
    EXPECT_TRUE(contains(message, file.string())) << message;
    EXPECT_EQ(readBytes(file), bytes);
}

TEST(StoreBadInputs, TruncatedAtPageBoundary) {
    TempDir dir;
    const auto file = dir.file("cut-page.sqlite");
    makeHistory(file);
    auto bytes = readBytes(file);
    bytes.resize(4096 * 2);  // page size 4096: two whole pages of many
    writeBytes(file, bytes);
    const auto [kind, message] = openError(file);
    EXPECT_EQ(kind, StoreError::Kind::Corrupt) << message;
    EXPECT_TRUE(contains(message, "truncated")) << message;
    EXPECT_TRUE(contains(message, "header says")) << message;
    EXPECT_EQ(readBytes(file), bytes);
}

TEST(StoreBadInputs, CorruptPageIsReportedAfterQuickCheck) {
    TempDir dir;
    const auto file = dir.file("garbled.sqlite");
    makeHistory(file);
    auto bytes = readBytes(file);
    // Garble page 1 after the 100-byte header (the schema table's b-tree page).
    for (size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(0xA5);
    writeBytes(file, bytes);
    const auto [kind, message] = openError(file);
    EXPECT_EQ(kind, StoreError::Kind::Corrupt) << message;
    EXPECT_TRUE(contains(message, "corrupt")) << message;
    EXPECT_TRUE(contains(message, "quick_check")) << message;
    EXPECT_EQ(readBytes(file), bytes);
}

TEST(StoreBadInputs, DirectoryIsNotAFile) {
    TempDir dir;
    const auto [kind, message] = openError(dir.path());
    EXPECT_EQ(kind, StoreError::Kind::NotSqlite) << message;
    EXPECT_TRUE(contains(message, "not a regular file")) << message;
}

TEST(StoreBadInputs, EmptyFileBecomesAHistory) {
    TempDir dir;
    const auto file = dir.file("empty.sqlite");
    writeBytes(file, "");
    HistoryStore store(file);
    EXPECT_EQ(store.schemaVersion(), 2);
}

// Read-only locations. Root ignores permission bits, so the open runs in a
// child process that drops to "nobody" when the test runs as root.
namespace {

std::pair<int, std::string> openAsUnprivileged(const std::filesystem::path& file) {
    int fds[2];
    if (::pipe(fds) != 0) return {-1, "pipe failed"};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(3);
        std::string message = "<opened without error>";
        int kind = -1;
        try {
            HistoryStore store(file);
        } catch (const StoreError& e) {
            message = e.what();
            kind = static_cast<int>(e.kind());
        }
        const std::string out = std::to_string(kind) + "\n" + message;
        [[maybe_unused]] auto n = ::write(fds[1], out.data(), out.size());
        _exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buffer[512];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const auto newline = out.find('\n');
    if (newline == std::string::npos) return {-1, "child failed, status " + std::to_string(status)};
    return {std::stoi(out.substr(0, newline)), out.substr(newline + 1)};
}

}  // namespace

TEST(StoreBadInputs, ReadOnlyFile) {
    TempDir dir;
    const auto file = dir.file("locked.sqlite");
    makeHistory(file);
    const auto before = readBytes(file);
    mgrpo::core::setPermissions(dir.path(), 0777);
    mgrpo::core::setPermissions(file, 0444);
    const auto [kind, message] = openAsUnprivileged(file);
    EXPECT_EQ(kind, static_cast<int>(StoreError::Kind::ReadOnly)) << message;
    EXPECT_TRUE(contains(message, "is read-only")) << message;
    EXPECT_TRUE(contains(message, file.string())) << message;
    EXPECT_EQ(readBytes(file), before);
}

TEST(StoreBadInputs, ReadOnlyDirectory) {
    TempDir dir;
    const auto file = dir.file("in-locked-dir.sqlite");
    makeHistory(file);
    const auto before = readBytes(file);
    mgrpo::core::setPermissions(file, 0666);
    mgrpo::core::setPermissions(dir.path(), 0555);
    const auto [kind, message] = openAsUnprivileged(file);
    EXPECT_EQ(kind, static_cast<int>(StoreError::Kind::ReadOnly)) << message;
    EXPECT_TRUE(contains(message, "directory")) << message;
    EXPECT_TRUE(contains(message, "not writable")) << message;
    EXPECT_EQ(readBytes(file), before);
    // A new database in that directory cannot be created either, and is not.
    const auto missing = dir.file("new.sqlite");
    const auto [kind2, message2] = openAsUnprivileged(missing);
    EXPECT_EQ(kind2, static_cast<int>(StoreError::Kind::ReadOnly)) << message2;
    EXPECT_FALSE(mgrpo::core::pathExists(missing));
}

TEST(StoreBadInputs, ReadOnlyModeNeedsAnExistingFile) {
    TempDir dir;
    HistoryStore::Options options;
    options.readOnly = true;
    try {
        HistoryStore store(dir.file("absent.sqlite"), options);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::NotFound);
        EXPECT_TRUE(contains(e.what(), "does not exist")) << e.what();
    }
    EXPECT_FALSE(mgrpo::core::pathExists(dir.file("absent.sqlite")));
}
