// WordTokenizer: specials first, round trips, unknown words, JSON persistence.
#include "core/model/tokenizer.h"
#include "core/util/json_fields.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;

TEST(WordTokenizer, SpecialsComeFirstAndWordsFollow) {
    WordTokenizer t({"<call>", "search", "paris"});
    EXPECT_EQ(t.vocabSize(), special::kCount + 3);
    EXPECT_EQ(t.tokenId("<pad>"), special::kPad);
    EXPECT_EQ(t.tokenId("<eos>"), special::kEos);
    EXPECT_EQ(t.tokenId("<call>"), 4);
    EXPECT_EQ(t.tokenId("paris"), 6);
}

TEST(WordTokenizer, EncodeDecodeRoundTripAndUnknownWords) {
    WordTokenizer t({"<call>", "search", "paris"});
    EXPECT_EQ(t.encode("  <call> search\n paris "), (std::vector<int>{4, 5, 6}));
    const std::vector<int> ids{4, 5, 6};
    EXPECT_EQ(t.decode(ids), "<call> search paris");
    EXPECT_EQ(t.encode("search london"), (std::vector<int>{5, special::kUnk}));
    EXPECT_EQ(t.tokenText(999), "<unk>");
}

TEST(WordTokenizer, RejectsDuplicatesAndWhitespace) {
    EXPECT_THROW(WordTokenizer({"a", "a"}), ConfigError);
    EXPECT_THROW(WordTokenizer({"a b"}), ConfigError);
    EXPECT_THROW(WordTokenizer({"<pad>"}), ConfigError);
}

TEST(WordTokenizer, JsonRoundTrip) {
    WordTokenizer t({"x", "y", "z"});
    auto back = tokenizerFromJson(t.toJson());
    EXPECT_EQ(back->kind(), "word");
    EXPECT_EQ(back->vocabSize(), t.vocabSize());
    EXPECT_EQ(back->encode("z y x q"), t.encode("z y x q"));
    EXPECT_THROW(tokenizerFromJson({{"kind", "bpe-unknown"}}), ConfigError);
}
