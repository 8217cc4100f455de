// The closed word list of the built-in environment: every word its questions,
// pages, tool observations, subtasks, answers and protocol can produce. Feed it to
// WordTokenizer (which adds <pad> <unk> <bos> <eos>). Order is fixed across calls.
#pragma once

#include "core/env/tools.h"

#include <string>
#include <vector>

namespace mgrpo::core::env {

// For the built-in tools; no duplicates, no whitespace, no special tokens.
std::vector<std::string> vocabulary();
// For a custom registry: adds each tool's name and words().
std::vector<std::string> vocabulary(const ToolRegistry& tools);

}  // namespace mgrpo::core::env
