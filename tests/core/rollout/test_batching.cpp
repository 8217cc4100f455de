// Packing and attention masks, checked against hand-written expectations.
#include "core/model/tokenizer.h"
#include "core/rollout/batching.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mgrpo::core;

TEST(Batching, LeftAndRightPadding) {
    const std::vector<std::vector<int>> seqs{{5, 6, 7}, {9}};
    auto left = packSequences(seqs, PadSide::Left, torch::kCPU);
    EXPECT_TRUE(left.tokens.equal(torch::tensor({{5, 6, 7}, {0, 0, 9}}, torch::kLong)));
    EXPECT_TRUE(left.positions.equal(torch::tensor({{0, 1, 2}, {0, 0, 0}}, torch::kLong)));
    EXPECT_TRUE(left.valid.equal(torch::tensor({{true, true, true}, {false, false, true}})));
    auto right = packSequences(seqs, PadSide::Right, torch::kCPU);
    EXPECT_TRUE(right.tokens.equal(torch::tensor({{5, 6, 7}, {9, 0, 0}}, torch::kLong)));
    EXPECT_TRUE(right.positions.equal(torch::tensor({{0, 1, 2}, {0, 1, 2}}, torch::kLong)));
    EXPECT_EQ(right.lengths, (std::vector<int64_t>{3, 1}));
    EXPECT_THROW(packSequences({}, PadSide::Left, torch::kCPU), std::invalid_argument);
    EXPECT_THROW(packSequences({{1}, {}}, PadSide::Left, torch::kCPU), std::invalid_argument);
}

TEST(Batching, AttentionMaskByHand) {
    // Row 0: all valid. Row 1: first key is padding.
    auto valid = torch::tensor({{true, true, true}, {false, true, true}});
    auto mask = attentionMask(valid, 0, 3);
    ASSERT_EQ(mask.sizes(), (std::vector<int64_t>{2, 1, 3, 3}));
    const float inf = std::numeric_limits<float>::infinity();
    auto expected = torch::tensor({{{0.f, -inf, -inf}, {0.f, 0.f, -inf}, {0.f, 0.f, 0.f}},
                                   {{0.f, -inf, -inf}, {-inf, 0.f, -inf}, {-inf, 0.f, 0.f}}})
                        .unsqueeze(1);
    EXPECT_TRUE(mask.equal(expected)) << mask;
    // One query at position 2 (a decoding step) sees keys 0..2.
    auto step = attentionMask(valid, 2, 1);
    EXPECT_TRUE(step.equal(expected.narrow(2, 2, 1)));
}
