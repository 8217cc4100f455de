#include "core/env/words.h"

namespace mgrpo::core::env {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
}  // namespace

std::vector<std::string> splitWords(std::string_view text) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i])) ++i;
        size_t j = i;
        while (j < text.size() && !isSpace(text[j])) ++j;
        if (j > i) words.emplace_back(text.substr(i, j - i));
        i = j;
    }
    return words;
}

std::string joinWords(const std::vector<std::string>& words, size_t begin, size_t end) {
    std::string out;
    for (size_t i = begin; i < words.size() && i < end; ++i) {
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    return out;
}

std::string normaliseWords(std::string_view text) { return joinWords(splitWords(text)); }

int countWords(std::string_view text) { return static_cast<int>(splitWords(text).size()); }

std::string spellNumber(int64_t value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out = value < 0 ? std::string(kNegativeWord) : "";
    for (char c : digits) {
        if (!out.empty()) out += ' ';
        out += c;
    }
    return out;
}

std::optional<int64_t> parseNumber(const std::vector<std::string>& words) {
    size_t i = 0;
    const bool negative = !words.empty() && words[0] == kNegativeWord;
    if (negative) i = 1;
    if (i == words.size() || words.size() - i > 15) return std::nullopt;
    int64_t value = 0;
    for (; i < words.size(); ++i) {
        const auto& w = words[i];
        if (w.size() != 1 || w[0] < '0' || w[0] > '9') return std::nullopt;
        value = value * 10 + (w[0] - '0');
    }
    return negative ? -value : value;
}

std::vector<std::string> digitWords() {
    std::vector<std::string> out;
    for (char c = '0'; c <= '9'; ++c) out.emplace_back(1, c);
    return out;
}

}  // namespace mgrpo::core::env
