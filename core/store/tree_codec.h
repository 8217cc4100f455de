// Encoding of trajectory trees in the trajectories.tree column: zlib-deflated
// JSON ("zlib") when the build has zlib, else plain JSON text ("json").
// Readers decode both, so a file moves freely between builds with and without zlib.
#pragma once

#include <string>

namespace mgrpo::store {

struct EncodedTree {
    std::string encoding;  // "zlib" or "json"
    std::string bytes;
};

EncodedTree encodeTree(const std::string& json);
// Throws StoreError on an unknown encoding or a corrupt zlib stream.
std::string decodeTree(const std::string& encoding, const std::string& bytes);

}  // namespace mgrpo::store
