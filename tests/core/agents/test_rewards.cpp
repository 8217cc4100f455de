// Rewards of MGRPO.md section 2 against hand-computed values.
#include "core/agents/rewards.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;

TEST(Rewards, MainAgentFormatGateAndWeights) {
    EXPECT_DOUBLE_EQ(mainReward(false, true), 0.0);   // invalid format: 0 even if "correct"
    EXPECT_DOUBLE_EQ(mainReward(true, false), 0.1);   // valid but wrong: a1
    EXPECT_DOUBLE_EQ(mainReward(true, true), 1.0);    // a1 + a2
    RewardWeights w;
    w.a1 = 0.3;
    w.a2 = 0.5;
    EXPECT_DOUBLE_EQ(mainReward(true, true, w), 0.8);
}

TEST(Rewards, SubAgentCombinesFormatMainOutcomeAndExpert) {
    EXPECT_DOUBLE_EQ(subReward(false, true, 1.0), 0.0);
    EXPECT_DOUBLE_EQ(subReward(true, false, 0.0), 0.1);
    EXPECT_DOUBLE_EQ(subReward(true, true, 0.0), 0.5);   // 0.1 + 0.4
    EXPECT_DOUBLE_EQ(subReward(true, false, 1.0), 0.6);  // 0.1 + 0.5
    EXPECT_DOUBLE_EQ(subReward(true, true, 1.0), 1.0);
    EXPECT_DOUBLE_EQ(subReward(true, true, 0.5), 0.75);  // partial expert score
}

TEST(Rewards, WeightsJsonRoundTripAndRange) {
    RewardWeights w;
    w.b2 = 0.25;
    EXPECT_EQ(rewardWeightsFromJson(toJson(w)), w);
    EXPECT_THROW(rewardWeightsFromJson({{"b3", -1.0}}), std::exception);
}
