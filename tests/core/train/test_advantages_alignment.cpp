// Advantages and alignment against hand-computed values and known properties.
#include "core/train/advantages.h"
#include "core/train/alignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace mgrpo::core;

TEST(Advantages, HandComputedGroup) {
    // rewards 0, 0.1, 1, 1: mean 0.525, population variance = (0.275625+0.180625+0.225625*2)/4 = 0.226875
    const std::vector<double> r{0.0, 0.1, 1.0, 1.0};
    const auto a = groupAdvantages(r);
    const double sd = std::sqrt(0.226875);
    EXPECT_NEAR(a[0], (0.0 - 0.525) / (sd + 1e-6), 1e-12);
    EXPECT_NEAR(a[1], (0.1 - 0.525) / (sd + 1e-6), 1e-12);
    EXPECT_NEAR(a[2], (1.0 - 0.525) / (sd + 1e-6), 1e-12);
    // Properties: zero mean, unit population std (up to eps).
    double sum = 0, sq = 0;
    for (double x : a) sum += x, sq += x * x;
    EXPECT_NEAR(sum, 0.0, 1e-12);
    EXPECT_NEAR(sq / 4, 1.0, 1e-5);
}

TEST(Advantages, EqualRewardsGiveZeroNotNaN) {
    for (double v : {0.0, 0.1, 1.0}) {
        const std::vector<double> r(8, v);
        for (double x : groupAdvantages(r)) EXPECT_EQ(x, 0.0);
    }
    EXPECT_TRUE(groupAdvantages(std::vector<double>{}).empty());
}

TEST(Advantages, MaskedSlotsAreExcludedAndZero) {
    const std::vector<double> r{1.0, 0.0, 123.0, 0.5};
    const std::vector<uint8_t> counted{1, 1, 0, 1};
    const auto a = groupAdvantages(r, counted);
    const auto ref = groupAdvantages(std::vector<double>{1.0, 0.0, 0.5});
    EXPECT_EQ(a[2], 0.0);
    EXPECT_NEAR(a[0], ref[0], 1e-12);
    EXPECT_NEAR(a[1], ref[1], 1e-12);
    EXPECT_NEAR(a[3], ref[2], 1e-12);
}

TEST(Alignment, EveryRolloutGetsExactlyDSlots) {
    std::mt19937_64 rng(1);
    const std::vector<int> dk{0, 1, 3, 5, 8};
    const int D = 3;
    const auto a = alignTrajectories(dk, D, rng);
    ASSERT_EQ(a.slots.size(), dk.size() * D);
    std::map<int, std::vector<AlignedSlot>> byRollout;
    for (const auto& s : a.slots) byRollout[s.rollout].push_back(s);
    for (int k = 0; k < 5; ++k) ASSERT_EQ(byRollout[k].size(), 3u) << k;
    // d=0: all masked.
    for (const auto& s : byRollout[0]) EXPECT_EQ(s.status, SlotStatus::Masked);
    // d=1: its one original plus two duplicates of it.
    EXPECT_EQ(byRollout[1][0].status, SlotStatus::Original);
    for (int j = 1; j < 3; ++j) {
        EXPECT_EQ(byRollout[1][j].status, SlotStatus::Duplicate);
        EXPECT_EQ(byRollout[1][j].source, 0);
    }
    // d=3: exactly its three originals.
    std::vector<int> sources;
    for (const auto& s : byRollout[2]) {
        sources.push_back(s.source);
        EXPECT_EQ(s.status, SlotStatus::Original);
    }
    EXPECT_EQ(sources, (std::vector<int>{0, 1, 2}));
    // d=5, d=8: three distinct originals kept, the rest dropped.
    EXPECT_EQ(a.dropped.size(), 2u + 5u);
    for (int k : {3, 4}) {
        std::set<int> kept;
        for (const auto& s : byRollout[k]) {
            kept.insert(s.source);
            EXPECT_EQ(s.status, SlotStatus::Original);
        }
        EXPECT_EQ(kept.size(), 3u);
        for (const auto& [r, src] : a.dropped)
            if (r == k) EXPECT_FALSE(kept.count(src));
    }
    EXPECT_EQ(a.originals, 1 + 3 + 3 + 3);
    EXPECT_EQ(a.duplicates, 2);
    EXPECT_EQ(a.masked, 3);
    EXPECT_EQ(a.maskedRollouts, 1);
}

TEST(Alignment, DuplicatesAreUniformOverTheRolloutsOwnSubTrajectories) {
    std::mt19937_64 rng(7);
    std::map<int, int> counts;
    for (int i = 0; i < 3000; ++i) {
        const auto a = alignTrajectories(std::vector<int>{3}, 8, rng);  // 5 duplicates of 3
        for (const auto& s : a.slots)
            if (s.status == SlotStatus::Duplicate) counts[s.source]++;
    }
    for (int s = 0; s < 3; ++s) EXPECT_NEAR(counts[s] / 15000.0, 1.0 / 3, 0.02) << s;
}

TEST(Alignment, SeededAndChooseDQuantile) {
    std::mt19937_64 a(5), b(5);
    const std::vector<int> dk{2, 9, 4, 0, 7};
    const auto x = alignTrajectories(dk, 4, a), y = alignTrajectories(dk, 4, b);
    for (size_t i = 0; i < x.slots.size(); ++i) EXPECT_EQ(x.slots[i].source, y.slots[i].source);
    // 100 samples: 98 ones, one 5, one 9 -> 99th percentile is 5.
    std::vector<int> d(98, 1);
    d.push_back(9);
    d.push_back(5);
    EXPECT_EQ(chooseD(d, 0.99), 5);
    EXPECT_EQ(chooseD(d, 1.0), 9);
    EXPECT_EQ(chooseD(std::vector<int>(10, 0)), 1);
    EXPECT_THROW(alignTrajectories(dk, 0, a), std::invalid_argument);
}
