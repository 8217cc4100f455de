// Data parallel: one agent's update on 2 ranks (threads here, each with its own
// model and optimizer, summing gradients through a c10d Gloo process group over
// a loopback TCPStore) equals the update of 1 rank on the whole batch, for both
// loss aggregations, several minibatches and epochs, and an odd batch size.
#include "core/train/agent_update.h"
#include "test_support.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <gtest/gtest.h>

#include <thread>

using namespace mgrpo::core;

namespace {

ExperimentConfig updateConfig(const std::string& aggregation) {
    ExperimentConfig c;
    c.seed = 7;
    c.epochs = 2;
    c.miniBatches = 2;
    c.learningRate = 0.01;
    c.lossAggregation = aggregation;
    return c;
}

struct Result {
    std::vector<torch::Tensor> parameters;
    std::map<std::string, double> metrics;
};

Result train(const std::vector<Invocation>& invocations, const ExperimentConfig& config, const DataParallel* dp) {
    auto model = makeTransformer(mgrpo::test::tinyConfig(), 3);
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(config.learningRate));
    std::vector<Sample> samples;
    for (size_t i = 0; i < invocations.size(); ++i)
        samples.push_back({&invocations[i], (static_cast<double>(i % 5) - 2.0) / 1.5});
    Result r;
    AgentSpec searcher;
    searcher.id = "searcher";
    updateAgent(searcher, "sub.searcher", model, opt, nullptr, samples, config, /*stepIndex=*/0, r.metrics, dp);
    for (const auto& p : model->parameters()) r.parameters.push_back(p.detach().clone());
    return r;
}

class DataParallelTest : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(DataParallelTest, TwoRanksWithAllReduceEqualOneRankOnTheWholeBatch) {
    const auto config = updateConfig(GetParam());
    const auto invocations = mgrpo::test::syntheticInvocations(13, 11);  // minibatches of 7 and 6 rows: uneven shards
    const auto single = train(invocations, config, nullptr);

    c10d::TCPStoreOptions o;
    o.port = 0;  // the OS picks a free port: tests may run in parallel
    o.isServer = true;
    o.waitWorkers = false;
    auto store = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", o);
    std::vector<Result> ranks(2);
    std::vector<std::string> errors(2);
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank)
        threads.emplace_back([&, rank] {
            try {
                auto options = c10d::ProcessGroupGloo::Options::create();
                options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
                // One store connection per rank, as separate processes have (a
                // TCPStore client serialises its calls, and the group setup blocks in one).
                c10d::TCPStoreOptions client;
                client.port = store->getPort();
                client.waitWorkers = false;
                auto own = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", client);
                auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(
                    c10::make_intrusive<c10d::PrefixStore>("pg/searcher/", own), rank, 2, options);
                DataParallel dp{rank, 2, [&](torch::Tensor& t) {
                                    std::vector<at::Tensor> v{t};
                                    group->allreduce(v)->wait();
                                }};
                ranks[static_cast<size_t>(rank)] = train(invocations, config, &dp);
            } catch (const std::exception& e) {
                errors[static_cast<size_t>(rank)] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    ASSERT_EQ(errors[0], "");
    ASSERT_EQ(errors[1], "");

    ASSERT_EQ(single.parameters.size(), ranks[0].parameters.size());
    double moved = 0;
    for (size_t i = 0; i < single.parameters.size(); ++i) {
        // The ranks stay identical to each other (same summed gradient, same step) ...
        EXPECT_TRUE(torch::equal(ranks[0].parameters[i], ranks[1].parameters[i])) << "parameter " << i;
        // ... and equal to one rank on the whole batch up to summation order.
        // AdamW divides by sqrt(v), which turns float noise in near-zero
        // gradients into up to ~1% of a step (lr 0.01): hence atol 1e-4.
        EXPECT_TRUE(torch::allclose(ranks[0].parameters[i], single.parameters[i], /*rtol=*/1e-4, /*atol=*/1e-4))
            << "parameter " << i << " max diff "
            << (ranks[0].parameters[i] - single.parameters[i]).abs().max().item<double>();
    }
    const auto start = makeTransformer(mgrpo::test::tinyConfig(), 3)->parameters();
    for (size_t i = 0; i < start.size(); ++i) moved += (single.parameters[i] - start[i]).abs().max().item<double>();
    EXPECT_GT(moved, 1e-3) << "the update must move the parameters for the comparison to mean anything";
    for (const auto* m : {"sub.searcher/loss", "sub.searcher/entropy", "sub.searcher/tokens", "sub.searcher/grad_norm"})
        EXPECT_NEAR(ranks[0].metrics.at(m), single.metrics.at(m), 1e-4 * (1 + std::abs(single.metrics.at(m)))) << m;
}

INSTANTIATE_TEST_SUITE_P(Aggregations, DataParallelTest, ::testing::Values("token-mean", "seq-mean-token-mean"));
