// Pre-open file checks (see file_check.h). The SQLite file format: a 100-byte
// header starting "SQLite format 3\0", page size at offset 16 (big-endian,
// 1 meaning 65536), change counter at 24, page count at 28, valid when the
// "version-valid-for" number at 92 equals the change counter.
#include "core/store/file_check.h"

#include "core/store/store_error.h"
#include "core/util/files.h"

#include <unistd.h>  // access()

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace mgrpo::store {
namespace {

std::uint32_t bigEndian(const unsigned char* p, int bytes) {
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    return v;
}

bool looksLikeText(const unsigned char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        const unsigned char c = data[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) return false;
    }
    return true;
}

void requireWritable(const std::filesystem::path& path, bool exists) {
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (exists && ::access(path.c_str(), W_OK) != 0)
        throw StoreError(StoreError::Kind::ReadOnly,
                         "database " + path.string() + " is read-only: " + std::strerror(errno) +
                             " (the history needs write access; use --db to choose another file)");
    if (::access(dir.c_str(), W_OK) != 0)
        throw StoreError(StoreError::Kind::ReadOnly,
                         "database " + path.string() + ": its directory " + dir.string() + " is not writable (" +
                             std::strerror(errno) +
                             "); SQLite needs to create the -wal and -shm files there; use --db to choose "
                             "another location");
}

// Runs a files.h call on the database's path; its failure (e.g. no permission
// to look into the directory) becomes a StoreError, the history's one error type.
template <typename Call>
auto fileCall(const std::filesystem::path& path, Call call) {
    try {
        return call();
    } catch (const std::runtime_error& e) {
        throw StoreError("database " + path.string() + ": " + e.what());
    }
}

}  // namespace

FileState checkDatabaseFile(const std::filesystem::path& path, bool forWriting) {
    if (!fileCall(path, [&] { return core::pathExists(path); })) {
        if (forWriting) requireWritable(path, false);
        return FileState::Missing;
    }
    if (!fileCall(path, [&] { return core::isRegularFile(path); }))
        throw StoreError(StoreError::Kind::NotSqlite, "database " + path.string() + " is not a regular file");
    const auto size = fileCall(path, [&] { return core::fileSize(path); });

    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StoreError(StoreError::Kind::ReadOnly,
                         "database " + path.string() + " cannot be read: " + std::strerror(errno));
    if (size == 0) {
        if (forWriting) requireWritable(path, true);
        return FileState::Empty;
    }
    std::array<unsigned char, 100> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    const auto got = static_cast<size_t>(in.gcount());
    static const char kMagic[] = "SQLite format 3";  // 15 characters and the '\0'
    if (got < 16 || std::memcmp(header.data(), kMagic, 16) != 0) {
        const bool text = looksLikeText(header.data(), got);
        throw StoreError(StoreError::Kind::NotSqlite,
                         "database " + path.string() + " is not an SQLite database" +
                             (text ? " (it looks like a text file)" : " (its first bytes are not the SQLite header)") +
                             "; it was left unchanged");
    }
    if (got < header.size())
        throw StoreError(StoreError::Kind::Corrupt, "database " + path.string() + " is truncated: only " +
                                                        std::to_string(size) + " bytes, less than the 100-byte header");
    std::uint32_t pageSize = bigEndian(&header[16], 2);
    if (pageSize == 1) pageSize = 65536;
    const bool powerOfTwo = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) == 0;
    if (!powerOfTwo)
        throw StoreError(StoreError::Kind::Corrupt,
                         "database " + path.string() + " is corrupt: invalid page size " + std::to_string(pageSize));
    const std::uint32_t changeCounter = bigEndian(&header[24], 4);
    const std::uint32_t pageCount = bigEndian(&header[28], 4);
    const std::uint32_t validFor = bigEndian(&header[92], 4);
    const std::uint64_t expected = static_cast<std::uint64_t>(pageCount) * pageSize;
    if (size % pageSize != 0 || (validFor == changeCounter && pageCount > 0 && size < expected))
        throw StoreError(StoreError::Kind::Corrupt,
                         "database " + path.string() + " is truncated: its header says " + std::to_string(pageCount) +
                             " pages of " + std::to_string(pageSize) + " bytes (" + std::to_string(expected) +
                             " bytes) but the file has " + std::to_string(size) + " bytes; it was left unchanged");
    if (forWriting) requireWritable(path, true);
    return FileState::SqliteHeader;
}

}  // namespace mgrpo::store
