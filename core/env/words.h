// Word-level text helpers shared by the environment: splitting, joining and
// numbers written digit by digit ("1 9 8 4"). Everything the environment emits
// is whitespace-separated words; nothing here knows about tokens or ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mgrpo::core::env {

std::vector<std::string> splitWords(std::string_view text);
// Joins words[begin, end) with single spaces.
std::string joinWords(const std::vector<std::string>& words, size_t begin = 0, size_t end = std::string::npos);
// Collapses every whitespace run to one space and trims the ends.
std::string normaliseWords(std::string_view text);
int countWords(std::string_view text);

// "1 9 8 4"; negative numbers start with the word "negative".
std::string spellNumber(int64_t value);
// Inverse of spellNumber: one digit per word, optional leading "negative", at most
// 15 digits (no overflow in sums); anything else is nullopt.
std::optional<int64_t> parseNumber(const std::vector<std::string>& words);

inline constexpr std::string_view kNegativeWord = "negative";
std::vector<std::string> digitWords();

}  // namespace mgrpo::core::env
