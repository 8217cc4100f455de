// The pure parts of the history: downsampling, config diff and trajectory
// sampling, each against values computed by hand (worked in the comments).
#include "core/store/config_diff.h"
#include "core/store/downsample.h"
#include "core/store/trajectory_sampling.h"

#include <gtest/gtest.h>

#include <set>

using namespace mgrpo::store;

TEST(StoreDownsample, BucketMeanByHand) {
    const std::vector<MetricPoint> points{{0, 1}, {1, 3}, {2, 5}, {3, 7}, {4, 9}};
    // n=5, N=2: bucket 0 = indices [0,2) -> (0.5, 2); bucket 1 = [2,5) -> (3, 7).
    EXPECT_EQ(downsampleBucketMean(points, 2), (std::vector<MetricPoint>{{0.5, 2}, {3, 7}}));
    // N=3: [0,1) [1,3) [3,5) -> (0,1) (1.5,4) (3.5,8).
    EXPECT_EQ(downsampleBucketMean(points, 3), (std::vector<MetricPoint>{{0, 1}, {1.5, 4}, {3.5, 8}}));
    EXPECT_EQ(downsampleBucketMean(points, 5), points);
    EXPECT_EQ(downsampleBucketMean(points, 0), points);
}

TEST(StoreDownsample, LttbByHand) {
    const std::vector<MetricPoint> points{{0, 0}, {1, 1}, {2, 10}, {3, 2}, {4, 3}, {5, -5}, {6, 4}};
    // every = (7-2)/(4-2) = 2.5.
    // Bucket 1: candidates 1..2, next-bucket mean over 3..5 = (4, 0); areas from
    //   (0,0): j=1 -> |(-4)(1) - (-1)(0)|/2 = 2, j=2 -> |(-4)(10)|/2 = 20 -> keep (2,10).
    // Bucket 2: candidates 3..5, next bucket = the last point (6,4); from (2,10):
    //   area = |(-4)(y-10) - (2-x)(-6)|/2: j=3 -> 13, j=4 -> 8, j=5 -> 21 -> keep (5,-5).
    EXPECT_EQ(downsampleLttb(points, 4), (std::vector<MetricPoint>{{0, 0}, {2, 10}, {5, -5}, {6, 4}}));
    EXPECT_EQ(downsampleLttb(points, 2), (std::vector<MetricPoint>{{0, 0}, {6, 4}}));
    EXPECT_EQ(downsampleLttb(points, 7), points);
}

TEST(StoreDownsample, LttbKeepsASpikeThatBucketMeanFlattens) {
    std::vector<MetricPoint> points;
    for (int i = 0; i < 1000; ++i) points.push_back({double(i), i == 503 ? 100.0 : 0.0});
    const auto lttb = downsampleLttb(points, 50);
    ASSERT_EQ(lttb.size(), 50u);
    bool spike = false;
    for (const auto& p : lttb) spike = spike || (p.step == 503 && p.value == 100.0);
    EXPECT_TRUE(spike);
    const auto mean = downsampleBucketMean(points, 50);
    double top = 0;
    for (const auto& p : mean) top = std::max(top, p.value);
    EXPECT_DOUBLE_EQ(top, 100.0 / 20.0);  // 1000/50 = 20 points per bucket
}

TEST(StoreConfigDiff, FlattenAndDiffByHand) {
    const auto oldConfig = nlohmann::json::parse(
        R"({"lr":0.001,"agents":[{"name":"main"},{"name":"searcher"}],"kl":{"beta":0.04},"group":8,"tags":[]})");
    const auto newConfig = nlohmann::json::parse(
        R"({"lr":0.002,"agents":[{"name":"main"},{"name":"browser"},{"name":"calc"}],"kl":{"beta":0.04,"type":"k3"},"tags":[]})");
    const auto flat = flattenJson(oldConfig);
    EXPECT_EQ(flat.size(), 6u);  // lr, agents[0].name, agents[1].name, kl.beta, group, tags
    EXPECT_EQ(flat.at("agents[1].name"), "searcher");
    EXPECT_EQ(flat.at("tags"), nlohmann::json::array());

    const auto changes = diffConfigs(oldConfig, newConfig);
    ASSERT_EQ(changes.size(), 5u);
    EXPECT_EQ(changes[0].path, "agents[1].name");
    EXPECT_EQ(*changes[0].oldValue, "searcher");
    EXPECT_EQ(*changes[0].newValue, "browser");
    EXPECT_EQ(changes[1].path, "agents[2].name");
    EXPECT_FALSE(changes[1].oldValue.has_value());
    EXPECT_EQ(*changes[1].newValue, "calc");
    EXPECT_EQ(changes[2].path, "group");
    EXPECT_EQ(*changes[2].oldValue, 8);
    EXPECT_FALSE(changes[2].newValue.has_value());
    EXPECT_EQ(changes[3].path, "kl.type");
    EXPECT_EQ(*changes[3].newValue, "k3");
    EXPECT_EQ(changes[4].path, "lr");
    EXPECT_EQ(*changes[4].oldValue, 0.001);
    EXPECT_EQ(*changes[4].newValue, 0.002);
    EXPECT_TRUE(diffConfigs(oldConfig, oldConfig).empty());
}

namespace {

std::vector<TrajectoryRecord> group() {
    std::vector<TrajectoryRecord> all;
    const std::vector<double> q0{0.2, 0.9, 0.1, 0.5, 0.7};
    const std::vector<double> q1{1.0, 1.0, 0.0, 0.0};
    for (int r = 0; r < 5; ++r) all.push_back({0, r, "train", "q0", q0[r], q0[r] > 0.5, "{}"});
    for (int r = 0; r < 4; ++r) all.push_back({1, r, "train", "q1", q1[r], q1[r] > 0.5, "{}"});
    return all;
}

std::set<std::pair<int, int>> ids(const std::vector<TrajectoryRecord>& kept) {
    std::set<std::pair<int, int>> out;
    for (const auto& t : kept) out.insert({t.query, t.rollout});
    return out;
}

}  // namespace

TEST(StoreSampling, BestWorstAndOneRandomPerQuery) {
    SamplingPolicy policy;
    policy.seed = 42;
    std::set<int> randomQ0;
    for (int step = 0; step < 200; ++step) {
        const auto kept = sampleTrajectories(group(), step, false, policy);
        ASSERT_EQ(kept.size(), 6u);  // 3 per query
        const auto set = ids(kept);
        ASSERT_EQ(set.size(), 6u);
        // Query 0: best is rollout 1 (0.9), worst rollout 2 (0.1).
        EXPECT_TRUE(set.count({0, 1}) && set.count({0, 2}));
        // Query 1: ties resolve to the first: best rollout 0, worst rollout 2.
        EXPECT_TRUE(set.count({1, 0}) && set.count({1, 2}));
        for (int r : {0, 3, 4})
            if (set.count({0, r})) randomQ0.insert(r);
        // Same step and seed: the same choice.
        EXPECT_EQ(ids(sampleTrajectories(group(), step, false, policy)), set);
    }
    EXPECT_EQ(randomQ0, (std::set<int>{0, 3, 4}));  // every candidate gets drawn sometimes
}

TEST(StoreSampling, EvaluationStepsAndEvalRolloutsAreKeptWhole) {
    SamplingPolicy policy;
    EXPECT_EQ(sampleTrajectories(group(), 3, true, policy).size(), 9u);
    auto all = group();
    all.push_back({0, 0, "eval", "e", 0.0, false, "{}"});
    all.push_back({0, 1, "eval", "e", 1.0, true, "{}"});
    policy.keepWorst = false;
    policy.randomPerQuery = 0;
    const auto kept = sampleTrajectories(all, 3, false, policy);
    // best of q0 (rollout 1), best of q1 (rollout 0), both eval rollouts.
    ASSERT_EQ(kept.size(), 4u);
    EXPECT_EQ(kept[0].rollout, 1);
    EXPECT_EQ(kept[1].query, 1);
    EXPECT_EQ(kept[2].split, "eval");
    policy.keepAll = true;
    EXPECT_EQ(sampleTrajectories(all, 3, false, policy).size(), 11u);
}
