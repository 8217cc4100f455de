// One agent's update at its learning_rate_scale: the first AdamW step moves
// every parameter by -lr * (wd * p + m / (sqrt(v) + eps)) with m = g and
// v = g^2, which is linear in lr, so scaling the agent's rate by s scales the
// whole step by s exactly (up to float rounding) on identical models and data.
#include "core/train/agent_update.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;

namespace {

struct Step {
    std::vector<torch::Tensor> delta;  // parameters after minus before
    double lr = 0;                     // the rate the update reported
};

Step firstStep(double scale) {
    ExperimentConfig config;
    config.seed = 5;
    config.learningRate = 0.01;
    config.weightDecay = 0.1;
    AgentSpec agent;
    agent.id = "searcher";
    agent.learningRateScale = scale;
    auto model = makeTransformer(mgrpo::test::tinyConfig(), 3);
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(config.learningRate)
                                                     .weight_decay(config.weightDecay));
    std::vector<torch::Tensor> before;
    for (const auto& p : model->parameters()) before.push_back(p.detach().clone());
    const auto invocations = mgrpo::test::syntheticInvocations(9, 21);
    std::vector<Sample> samples;
    for (size_t i = 0; i < invocations.size(); ++i)
        samples.push_back({&invocations[i], static_cast<double>(i % 3) - 1.0});
    std::map<std::string, double> metrics;
    updateAgent(agent, "sub.searcher", model, opt, nullptr, samples, config, /*stepIndex=*/0, metrics);
    Step s;
    s.lr = metrics.at("sub.searcher/lr");
    const auto after = model->parameters();
    for (size_t i = 0; i < after.size(); ++i) s.delta.push_back(after[i].detach() - before[i]);
    return s;
}

}  // namespace

TEST(AgentUpdate, LearningRateScaleScalesTheWholeFirstStep) {
    const auto full = firstStep(1.0);
    const auto quarter = firstStep(0.25);
    EXPECT_DOUBLE_EQ(full.lr, 0.01);
    EXPECT_DOUBLE_EQ(quarter.lr, 0.0025);
    double largest = 0;
    ASSERT_EQ(full.delta.size(), quarter.delta.size());
    for (size_t i = 0; i < full.delta.size(); ++i) {
        largest = std::max(largest, full.delta[i].abs().max().item<double>());
        EXPECT_TRUE(torch::allclose(quarter.delta[i], 0.25 * full.delta[i], /*rtol=*/1e-3, /*atol=*/1e-6))
            << "parameter " << i << ": largest deviation "
            << (quarter.delta[i] - 0.25 * full.delta[i]).abs().max().item<double>();
    }
    EXPECT_GT(largest, 1e-3);  // the step really moved the model (lr 0.01, Adam's unit-size first step)
}
