// The paired comparison of two policies on the same questions: counts by
// hand, and sign-test p-values from the binomial(n, 1/2) sums written out.
#include "core/train/paired_comparison.h"

#include <gtest/gtest.h>

#include <stdexcept>

using mgrpo::core::comparePaired;

TEST(PairedComparison, CountsEachKindOfQuestion) {
    // q0 gained, q1 both right, q2 both wrong, q3 gained, q4 lost.
    const auto c = comparePaired({1, 1, 0, 1, 0}, {0, 1, 0, 0, 1});
    EXPECT_EQ(c.questions, 5);
    EXPECT_EQ(c.gained, 2);
    EXPECT_EQ(c.lost, 1);
    EXPECT_EQ(c.bothRight, 1);
    EXPECT_EQ(c.bothWrong, 1);
    EXPECT_DOUBLE_EQ(c.accuracy, 3.0 / 5);
    EXPECT_DOUBLE_EQ(c.baselineAccuracy, 2.0 / 5);
    // 3 discordant, min 1: 2 * (C(3,0) + C(3,1)) / 2^3 = 1.
    EXPECT_DOUBLE_EQ(c.pValue, 1.0);
}

TEST(PairedComparison, SignTestMatchesBinomialSums) {
    std::vector<uint8_t> a(10, 1), b(10, 0);
    // 10 gained, 0 lost: 2 * C(10,0) / 2^10.
    EXPECT_NEAR(comparePaired(a, b).pValue, 2.0 / 1024, 1e-12);
    // 8 gained, 2 lost: 2 * (1 + 10 + 45) / 1024.
    b[0] = b[1] = 1, a[0] = a[1] = 0;
    const auto c = comparePaired(a, b);
    EXPECT_EQ(c.gained, 8);
    EXPECT_EQ(c.lost, 2);
    EXPECT_NEAR(c.pValue, 112.0 / 1024, 1e-12);
    // Symmetric: swapping the two policies swaps gained and lost, not p.
    const auto swapped = comparePaired(b, a);
    EXPECT_EQ(swapped.gained, 2);
    EXPECT_NEAR(swapped.pValue, c.pValue, 1e-12);
    // 30 gained, 10 lost: a large n stays finite (log-space sum); 2 * sum_{i<=10} C(40,i) / 2^40.
    std::vector<uint8_t> x, y;
    for (int i = 0; i < 30; ++i) x.push_back(1), y.push_back(0);
    for (int i = 0; i < 10; ++i) x.push_back(0), y.push_back(1);
    double tail = 0, binom = 1;  // C(40, i) built up exactly in doubles
    for (int i = 0; i <= 10; ++i) {
        tail += binom;
        binom = binom * (40 - i) / (i + 1);
    }
    EXPECT_NEAR(comparePaired(x, y).pValue, 2 * tail / 1099511627776.0, 1e-9);
}

TEST(PairedComparison, NoDisagreementAndMismatchedLengths) {
    const auto same = comparePaired({1, 0, 1}, {1, 0, 1});
    EXPECT_EQ(same.gained + same.lost, 0);
    EXPECT_DOUBLE_EQ(same.pValue, 1.0);
    EXPECT_THROW(comparePaired({1, 0}, {1}), std::invalid_argument);
}
