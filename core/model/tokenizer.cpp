#include "core/model/tokenizer.h"

#include "core/util/json_fields.h"

#include <algorithm>

namespace mgrpo::core {

namespace {
const std::vector<std::string> kSpecialTexts = {"<pad>", "<unk>", "<bos>", "<eos>"};

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
}  // namespace

WordTokenizer::WordTokenizer(const std::vector<std::string>& words) : m_tokens(kSpecialTexts) {
    m_tokens.insert(m_tokens.end(), words.begin(), words.end());
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        const auto& t = m_tokens[i];
        if (t.empty() || std::any_of(t.begin(), t.end(), isSpace))
            throw ConfigError("tokenizer: word " + std::to_string(i) + " is empty or contains whitespace");
        if (!m_ids.emplace(t, static_cast<int>(i)).second)
            throw ConfigError("tokenizer: word '" + t + "' appears twice");
    }
}

std::vector<int> WordTokenizer::encode(std::string_view text) const {
    std::vector<int> ids;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i])) ++i;
        size_t j = i;
        while (j < text.size() && !isSpace(text[j])) ++j;
        if (j > i) ids.push_back(tokenId(text.substr(i, j - i)));
        i = j;
    }
    return ids;
}

std::string WordTokenizer::decode(std::span<const int> ids) const {
    std::string out;
    for (int id : ids) {
        if (!out.empty()) out += ' ';
        out += tokenText(id);
    }
    return out;
}

int WordTokenizer::tokenId(std::string_view token) const {
    const auto it = m_ids.find(std::string(token));
    return it == m_ids.end() ? special::kUnk : it->second;
}

std::string WordTokenizer::tokenText(int id) const {
    return id >= 0 && id < vocabSize() ? m_tokens[static_cast<size_t>(id)] : "<unk>";
}

nlohmann::json WordTokenizer::toJson() const {
    return {{"kind", kind()},
            {"words", std::vector<std::string>(m_tokens.begin() + special::kCount, m_tokens.end())}};
}

std::unique_ptr<Tokenizer> tokenizerFromJson(const nlohmann::json& json) {
    const auto kind = readField<std::string>(json, "tokenizer", "kind", "");
    if (kind == "word")
        return std::make_unique<WordTokenizer>(readField<std::vector<std::string>>(json, "tokenizer", "words", {}));
    throw ConfigError("tokenizer.kind = '" + kind + "' is not a known tokenizer (known: word)");
}

}  // namespace mgrpo::core
