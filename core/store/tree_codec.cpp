// encodeTree / decodeTree (see tree_codec.h). A zlib blob starts with the
// uncompressed size as 4 little-endian bytes, then the deflate stream.
#include "core/store/tree_codec.h"

#include "core/store/store_error.h"

#ifdef MGRPO_STORE_HAVE_ZLIB
#include <zlib.h>  // compress2(), uncompress()
#endif

#include <cstdint>

namespace mgrpo::store {

EncodedTree encodeTree(const std::string& json) {
#ifdef MGRPO_STORE_HAVE_ZLIB
    uLongf capacity = compressBound(static_cast<uLong>(json.size()));
    std::string out(4 + capacity, '\0');
    const auto size = static_cast<std::uint32_t>(json.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((size >> (8 * i)) & 0xff);
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data() + 4), &capacity,
                             reinterpret_cast<const Bytef*>(json.data()), static_cast<uLong>(json.size()), 6);
    if (rc == Z_OK) {
        out.resize(4 + capacity);
        return {"zlib", std::move(out)};
    }
#endif
    return {"json", json};
}

std::string decodeTree(const std::string& encoding, const std::string& bytes) {
    if (encoding == "json") return bytes;
    if (encoding != "zlib") throw StoreError("unknown trajectory encoding '" + encoding + "'");
#ifdef MGRPO_STORE_HAVE_ZLIB
    if (bytes.size() < 4) throw StoreError(StoreError::Kind::Corrupt, "corrupt compressed trajectory (too short)");
    std::uint32_t size = 0;
    for (int i = 3; i >= 0; --i) size = (size << 8) | static_cast<unsigned char>(bytes[i]);
    std::string out(size, '\0');
    uLongf outSize = size;
    const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &outSize,
                              reinterpret_cast<const Bytef*>(bytes.data() + 4), static_cast<uLong>(bytes.size() - 4));
    if (rc != Z_OK || outSize != size)
        throw StoreError(StoreError::Kind::Corrupt, "corrupt compressed trajectory (zlib error " + std::to_string(rc) + ")");
    return out;
#else
    throw StoreError("this build has no zlib, cannot read a compressed trajectory");
#endif
}

}  // namespace mgrpo::store
