// Batched KV-cache generation: equivalence with full recomputation, log-probs,
// determinism, stopping, and the sampled distribution itself.
#include "core/rollout/batching.h"
#include "core/rollout/generation.h"
#include "core/rollout/scoring.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace mgrpo::core;
using mgrpo::test::testDevice;
using mgrpo::test::tinyConfig;

namespace {

const std::vector<std::vector<int>> kRagged{{4, 5, 6, 7, 8, 9, 10}, {11}, {12, 13, 14}, {15, 16, 17, 18, 19}};

// Logits per (prompt row, step), as the generator saw them.
using LogitTable = std::map<std::pair<int, int64_t>, torch::Tensor>;

GenerationResult generateRecording(TransformerLM& model, const std::vector<std::vector<int>>& prompts,
                                   const SamplingParams& params, bool useCache, LogitTable& table) {
    GenerationOptions options;
    options.useCache = useCache;
    options.onLogits = [&](int64_t step, const std::vector<int>& rows, const torch::Tensor& logits) {
        auto cpu = logits.to(torch::kCPU).clone();
        for (size_t r = 0; r < rows.size(); ++r) table[{rows[r], step}] = cpu[static_cast<int64_t>(r)];
    };
    return generate(model, prompts, params, options);
}

}  // namespace

TEST(Generation, KvCacheMatchesFullRecomputeOnRaggedBatch) {
  for (const char* positional : {"learned", "rope"})
   for (bool smear : {false, true}) {
    SCOPED_TRACE(std::string(positional) + (smear ? " with smeared keys" : ""));
    auto config = tinyConfig();
    config.positional = positional;
    config.keySmear = smear;
    auto model = makeTransformer(config, 7, testDevice());
    for (double temperature : {0.0, 1.0}) {
        SamplingParams params;
        params.temperature = temperature;
        params.maxNewTokens = 20;
        params.stopTokens = {20, 21};  // some rows stop early, exercising row dropping
        params.seed = 3;
        LogitTable cached, full;
        auto a = generateRecording(model, kRagged, params, true, cached);
        auto b = generateRecording(model, kRagged, params, false, full);
        EXPECT_EQ(a.tokens, b.tokens) << "temperature " << temperature;
        ASSERT_EQ(cached.size(), full.size());
        for (const auto& [key, logits] : cached) {
            const auto diff = (logits - full.at(key)).abs().max().item<float>();
            EXPECT_LT(diff, 1e-5) << "row " << key.first << " step " << key.second;
        }
    }
  }
}

// Left-padded generation and right-padded scoring must agree, so neither may
// leak padding into a real token (smeared keys read the previous position).
TEST(Generation, SampledLogProbsEqualRescoredLogProbs) {
  for (bool smear : {false, true}) {
    SCOPED_TRACE(smear ? "smeared keys" : "plain keys");
    auto config = tinyConfig();
    config.keySmear = smear;
    auto model = makeTransformer(config, 11, testDevice());
    SamplingParams params;
    params.temperature = 0.7;
    params.maxNewTokens = 12;
    params.seed = 5;
    auto gen = generate(model, kRagged, params);
    std::vector<std::vector<int>> full;
    for (size_t i = 0; i < kRagged.size(); ++i) {
        full.push_back(kRagged[i]);
        full.back().insert(full.back().end(), gen.tokens[i].begin(), gen.tokens[i].end());
    }
    torch::NoGradGuard noGrad;
    auto scores = scoreSequences(model, full, params.temperature);
    auto lp = scores.logProbs.to(torch::kCPU);
    for (size_t i = 0; i < kRagged.size(); ++i)
        for (size_t t = 0; t < gen.tokens[i].size(); ++t) {
            const auto col = static_cast<int64_t>(kRagged[i].size() + t);
            EXPECT_NEAR(lp[static_cast<int64_t>(i)][col].item<float>(), gen.logProbs[i][t], 1e-5)
                << "row " << i << " token " << t;
        }
  }
}

TEST(Generation, SameSeedSameSamplesOtherSeedOtherSamples) {
    auto model = makeTransformer(tinyConfig(), 13, testDevice());
    SamplingParams params;
    params.maxNewTokens = 16;
    params.seed = 99;
    auto a = generate(model, kRagged, params);
    auto b = generate(model, kRagged, params);
    EXPECT_EQ(a.tokens, b.tokens);
    EXPECT_EQ(a.logProbs, b.logProbs);
    params.seed = 100;
    EXPECT_NE(generate(model, kRagged, params).tokens, a.tokens);
}

TEST(Generation, RowsStopOnStopTokenBudgetOrContext) {
    auto config = tinyConfig(/*vocab=*/32, /*context=*/16);
    auto model = makeTransformer(config, 17, testDevice());
    SamplingParams params;
    params.maxNewTokens = 6;
    // Every token is a stop token: each row ends after exactly one.
    for (int t = 0; t < 32; ++t) params.stopTokens.push_back(t);
    auto stopped = generate(model, kRagged, params);
    for (size_t i = 0; i < kRagged.size(); ++i) {
        EXPECT_EQ(stopped.tokens[i].size(), 1u);
        EXPECT_EQ(stopped.finish[i], FinishReason::Stop);
    }
    // No stop tokens: a 14-token prompt hits the 16-token context after 2 tokens,
    // a 1-token prompt uses the whole budget of 6.
    params.stopTokens.clear();
    std::vector<std::vector<int>> prompts{std::vector<int>(14, 5), {7}};
    auto limited = generate(model, prompts, params);
    EXPECT_EQ(limited.tokens[0].size(), 2u);
    EXPECT_EQ(limited.finish[0], FinishReason::Context);
    EXPECT_EQ(limited.tokens[1].size(), 6u);
    EXPECT_EQ(limited.finish[1], FinishReason::Length);
    EXPECT_THROW(generate(model, {std::vector<int>(16, 5)}, params), std::invalid_argument);
}

// Draw one token from many copies of one prompt and compare the empirical
// frequencies with softmax(logits / T) computed independently by a forward pass.
TEST(Generation, SampledFrequenciesFollowTheTemperedDistribution) {
    auto model = makeTransformer(tinyConfig(/*vocab=*/8), 21, testDevice());
    {
        // Sharpen the output so the distribution is far from uniform.
        torch::NoGradGuard noGrad;
        for (auto& p : model->parameters()) p.mul_(8.0);
    }
    const std::vector<int> prompt{3, 4, 5};
    const int n = 20000;
    SamplingParams params;
    params.temperature = 0.8;
    params.maxNewTokens = 1;
    params.seed = 1;
    auto gen = generate(model, std::vector<std::vector<int>>(n, prompt), params);

    torch::NoGradGuard noGrad;
    auto batch = packSequences({prompt}, PadSide::Left, testDevice());
    auto logits = model->forward(batch.tokens, batch.positions, attentionMask(batch.valid, 0, 3)).select(1, 2)[0];
    auto probs = torch::softmax(logits / params.temperature, 0).to(torch::kCPU);

    std::vector<int> counts(8, 0);
    for (const auto& t : gen.tokens) counts[static_cast<size_t>(t[0])]++;
    for (int v = 0; v < 8; ++v) {
        const double p = probs[v].item<double>();
        const double sigma = std::sqrt(p * (1 - p) / n);
        EXPECT_NEAR(counts[static_cast<size_t>(v)] / double(n), p, 5 * sigma + 1e-4) << "token " << v;
    }

    // Top-p keeps the smallest set of most likely tokens reaching the mass.
    params.topP = 0.5;
    auto nucleus = generate(model, std::vector<std::vector<int>>(2000, prompt), params);
    auto sorted = std::get<0>(probs.sort(0, true));
    auto order = std::get<1>(probs.sort(0, true));
    std::set<int> allowed;
    double mass = 0;
    for (int r = 0; r < 8 && mass < 0.5; ++r) {
        allowed.insert(static_cast<int>(order[r].item<int64_t>()));
        mass += sorted[r].item<double>();
    }
    for (const auto& t : nucleus.tokens) EXPECT_TRUE(allowed.count(t[0])) << "token " << t[0] << " outside nucleus";

    // A vanishing top-p is greedy decoding.
    params.topP = 1e-6;
    auto greedy = generate(model, {prompt}, params);
    EXPECT_EQ(greedy.tokens[0][0], logits.argmax().item<int64_t>());
}

// A smear gate fully open (sigmoid(40) == 1 in float) keeps each key as it is:
// the model must then compute exactly what the same weights do without smearing.
TEST(Generation, OpenSmearGatesGiveThePlainModel) {
    auto smearConfig = tinyConfig();
    smearConfig.keySmear = true;
    auto smeared = makeTransformer(smearConfig, 21, testDevice());
    auto plain = makeTransformer(tinyConfig(), 22, testDevice());
    {
        torch::NoGradGuard noGrad;
        auto source = smeared->named_parameters();
        for (auto& item : source)
            if (item.key().ends_with(".smear")) item.value().fill_(40.0);
        for (auto& item : plain->named_parameters()) item.value().copy_(source[item.key()]);
    }
    auto packed = packSequences(kRagged, PadSide::Right, testDevice());
    torch::NoGradGuard noGrad;
    const auto a = scoreTokens(smeared, packed.tokens, packed.lengths).logProbs;
    const auto b = scoreTokens(plain, packed.tokens, packed.lengths).logProbs;
    EXPECT_LT((a - b).abs().max().item<float>(), 1e-6);
    // Half-open gates (the initial state) do change the model.
    auto fresh = makeTransformer(smearConfig, 21, testDevice());
    EXPECT_GT((scoreTokens(fresh, packed.tokens, packed.lengths).logProbs - b).abs().max().item<float>(), 1e-4);
}

// The gates learn: backward gives each layer's smear gates the gradient that
// central finite differences of the same loss give. In float64: with random
// weights attention is nearly uniform, so the gradient is ~1e-4 and float32
// differences would be rounding.
TEST(Generation, SmearGateGradientMatchesFiniteDifferences) {
    auto config = tinyConfig();
    config.keySmear = true;
    auto model = makeTransformer(config, 23, testDevice());
    model->to(torch::kFloat64);
    auto packed = packSequences(kRagged, PadSide::Right, testDevice());
    auto loss = [&] { return scoreTokens(model, packed.tokens, packed.lengths).logProbs.sum(); };
    loss().backward();
    int checked = 0;
    for (auto& item : model->named_parameters()) {
        if (!item.key().ends_with(".smear")) continue;
        auto gate = item.value();
        ASSERT_TRUE(gate.grad().defined()) << item.key();
        torch::NoGradGuard noGrad;
        for (int64_t head = 0; head < gate.size(0); ++head) {
            const double analytic = gate.grad()[head].item<double>(), eps = 1e-4;
            gate[head] += eps;
            const double up = loss().item<double>();
            gate[head] -= 2 * eps;
            const double down = loss().item<double>();
            gate[head] += eps;
            const double numeric = (up - down) / (2 * eps);
            EXPECT_GT(std::abs(numeric), 1e-7) << item.key() << "[" << head << "] does not change the loss";
            EXPECT_NEAR(analytic, numeric, 1e-4 * std::abs(numeric) + 1e-9) << item.key() << "[" << head << "]";
        }
        ++checked;
    }
    EXPECT_EQ(checked, config.nLayers);
}
