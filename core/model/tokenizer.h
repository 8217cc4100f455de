// Tokenizer abstraction. Environments speak text; policies see token ids.
// The built-in environments use WordTokenizer (whitespace-separated words from a
// closed vocabulary plus protocol tokens); a byte-level or BPE tokenizer can
// implement the same interface and is stored in checkpoints by its "kind".
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mgrpo::core {

// Ids every tokenizer reserves, in this order.
namespace special {
inline constexpr int kPad = 0;
inline constexpr int kUnk = 1;
inline constexpr int kBos = 2;
inline constexpr int kEos = 3;
inline constexpr int kCount = 4;
}  // namespace special

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    virtual std::string kind() const = 0;
    virtual int vocabSize() const = 0;
    virtual std::vector<int> encode(std::string_view text) const = 0;
    virtual std::string decode(std::span<const int> ids) const = 0;
    // Id of one token's text, or special::kUnk.
    virtual int tokenId(std::string_view token) const = 0;
    virtual std::string tokenText(int id) const = 0;
    // {"kind": ..., ...}: enough to rebuild the tokenizer with tokenizerFromJson.
    virtual nlohmann::json toJson() const = 0;
};

// Whitespace-split words from a fixed vocabulary; unknown words map to <unk>.
class WordTokenizer final : public Tokenizer {
public:
    // `words` must not repeat or contain whitespace; the four specials are prepended.
    explicit WordTokenizer(const std::vector<std::string>& words);

    std::string kind() const override { return "word"; }
    int vocabSize() const override { return static_cast<int>(m_tokens.size()); }
    std::vector<int> encode(std::string_view text) const override;
    std::string decode(std::span<const int> ids) const override;
    int tokenId(std::string_view token) const override;
    std::string tokenText(int id) const override;
    nlohmann::json toJson() const override;

private:
    std::vector<std::string> m_tokens;
    std::unordered_map<std::string, int> m_ids;
};

// Rebuilds a tokenizer saved with toJson(); throws ConfigError for unknown kinds.
std::unique_ptr<Tokenizer> tokenizerFromJson(const nlohmann::json& json);

}  // namespace mgrpo::core
