// The M-GRPO trainer end to end on the smallest models: reward rises, frozen
// agents stay bit-identical, resume is bit-identical, and the per-query batch
// records (the --dump-batches format) agree with advantages and alignment
// recomputed here from their definitions. Also a finite-difference check of
// the surrogate's gradient through a real model.
#include "core/agents/agent_models.h"
#include "core/env/question_generator.h"
#include "core/model/checkpoint.h"
#include "core/rollout/scoring.h"
#include "core/train/policy_loss.h"
#include "core/train/trainer.h"
#include "core/train/warm_start.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace mgrpo::core;
namespace fs = std::filesystem;

namespace {

// One short warm start shared by every test: imperfect on purpose, so the
// sampled format is often wrong and RL has something to improve.
class TrainerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new mgrpo::test::TempDir();
        s_warm = new Topology(mgrpo::test::tinyWarmStart(mgrpo::test::smallestPaperTopology(), s_dir->path() / "warm"));
    }
    static void TearDownTestSuite() {
        delete s_warm;
        delete s_dir;
    }
    static ExperimentConfig config(int steps) {
        ExperimentConfig c;
        c.stage = 1;
        c.steps = steps;
        c.queriesPerStep = 4;
        c.samplesPerQuery = 8;
        c.preliminaryQueries = 4;
        c.learningRate = 0.005;
        c.evalEvery = 0;
        c.checkpointEvery = 0;
        c.seed = 1;
        return c;
    }
    fs::path runDir(const std::string& name) const { return m_tmp.path() / name; }

    static inline mgrpo::test::TempDir* s_dir = nullptr;
    static inline Topology* s_warm = nullptr;
    mgrpo::test::TempDir m_tmp;
};

std::vector<torch::Tensor> parametersOf(const fs::path& checkpointDir) {
    return loadCheckpoint(checkpointDir).model->parameters();
}

bool identical(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!torch::equal(a[i], b[i])) return false;
    return true;
}

double mean(const std::vector<double>& v, size_t from, size_t to) {
    double s = 0;
    for (size_t i = from; i < to; ++i) s += v[i];
    return s / static_cast<double>(to - from);
}

// (R - mean) / (population std + 1e-6) over the given rewards, written out.
std::vector<double> standardise(const std::vector<double>& r) {
    double m = 0, var = 0;
    for (double x : r) m += x;
    m /= static_cast<double>(r.size());
    for (double x : r) var += (x - m) * (x - m);
    const double sd = std::sqrt(var / static_cast<double>(r.size()));
    std::vector<double> out;
    for (double x : r) out.push_back(sd == 0 ? 0.0 : (x - m) / (sd + 1e-6));
    return out;
}

}  // namespace

TEST_F(TrainerTest, ShortRunRaisesTheReward) {
    Trainer trainer(*s_warm, config(20), runDir("e2e").string());
    std::vector<double> reward;
    while (!trainer.finished()) reward.push_back(trainer.step().values.at("main/reward_mean"));
    const double first = mean(reward, 0, 3), last = mean(reward, reward.size() - 5, reward.size());
    EXPECT_GT(last, first + 0.03) << "first steps " << first << ", last steps " << last;
}

// RL draws its questions from the reinforcement stream: never the questions a
// warm start with the same seed demonstrated (the two streams are disjoint,
// test_question.cpp), so its first rewards are not inflated by fitted worlds.
TEST_F(TrainerTest, QuestionsComeFromTheReinforcementStreamNotTheDemonstrations) {
    using env::QuestionGenerator;
    const auto c = config(2);
    Trainer trainer(*s_warm, c, runDir("stream").string());
    const auto text = [&](uint64_t index, QuestionGenerator::Stream stream) {
        return QuestionGenerator::training(c.stage, c.seed, index, stream).text;
    };
    for (int step = 0; step < 2; ++step) {
        trainer.step();
        std::set<std::string> asked, expected, demonstrated;
        for (const auto& r : trainer.lastRollouts()) asked.insert(r.main().task);
        for (int b = 0; b < c.queriesPerStep; ++b) {
            const auto index = static_cast<uint64_t>(step * c.queriesPerStep + b);
            expected.insert(text(index, QuestionGenerator::Stream::Reinforcement));
            demonstrated.insert(text(index, QuestionGenerator::Stream::Demonstrations));
        }
        EXPECT_EQ(asked, expected) << "step " << step + 1;
        EXPECT_NE(asked, demonstrated) << "step " << step + 1;
    }
}

TEST_F(TrainerTest, FrozenSubAgentStaysBitIdenticalWhileMainMoves) {
    auto c = config(3);
    c.algorithm = Algorithm::MainOnly;
    Trainer trainer(*s_warm, c, runDir("main-only").string());
    while (!trainer.finished()) trainer.step();
    const auto ckpt = runDir("main-only") / "checkpoint";
    EXPECT_TRUE(identical(parametersOf(ckpt / "searcher"), parametersOf(s_warm->find("searcher")->checkpoint)));
    EXPECT_FALSE(identical(parametersOf(ckpt / "main"), parametersOf(s_warm->find("main")->checkpoint)));
    EXPECT_FALSE(trainer.topology().find("searcher")->trained);
}

TEST_F(TrainerTest, ResumeAfterAStopIsBitIdentical) {
    auto c = config(4);
    c.checkpointEvery = 2;
    c.fixedD = 2;
    std::map<int, std::map<std::string, double>> straight, resumed;
    {
        Trainer t(*s_warm, c, runDir("straight").string());
        while (!t.finished()) {
            auto m = t.step();
            straight[m.step] = m.values;
        }
    }
    {
        Trainer t(*s_warm, c, runDir("stopped").string());
        t.step();
        t.step();  // checkpoint after step 2; the process "dies" here
    }
    auto t = Trainer::resume(runDir("stopped").string());
    EXPECT_EQ(t->completedSteps(), 2);
    while (!t->finished()) {
        auto m = t->step();
        resumed[m.step] = m.values;
    }
    for (int step : {3, 4})
        for (const auto& [name, value] : straight[step]) {
            if (name.rfind("perf/", 0) == 0) continue;  // wall-clock times
            EXPECT_EQ(resumed[step].at(name), value) << "step " << step << " " << name;
        }
    for (const auto* agent : {"main", "searcher"})
        EXPECT_TRUE(identical(parametersOf(runDir("straight") / "checkpoint" / agent),
                              parametersOf(runDir("stopped") / "checkpoint" / agent)))
            << agent;
}

TEST_F(TrainerTest, BatchRecordsMatchAlignmentAndAdvantagesRecomputedHere) {
    auto c = config(2);
    c.fixedD = 2;
    Trainer trainer(*s_warm, c, runDir("records").string());
    int duplicates = 0, dropped = 0, masked = 0, originals = 0;
    while (!trainer.finished()) {
        trainer.step();
        const auto& records = trainer.lastBatchRecords();
        ASSERT_EQ(records.size(), 4u);
        for (const auto& q : records) {
            // Main: A_M standardises R_M over the query's K rollouts.
            std::vector<double> rm;
            for (const auto& r : q["rollouts"]) rm.push_back(r["R_M"].get<double>());
            ASSERT_EQ(rm.size(), 8u);
            const auto am = standardise(rm);
            for (size_t k = 0; k < rm.size(); ++k) EXPECT_NEAR(q["rollouts"][k]["A_M"].get<double>(), am[k], 1e-9);
            // Sub-agent: per rollout exactly D slots; originals + dropped = d_k.
            std::map<int, int> slots, kept, lost;
            std::vector<double> rs;
            for (const auto& s : q["sub_slots"]) {
                const int k = s["rollout"].get<int>();
                const auto status = s["status"].get<std::string>();
                const int dk = q["rollouts"][static_cast<size_t>(k)]["d_k"].get<int>();
                if (status == "dropped") {
                    lost[k]++, dropped++;
                    continue;
                }
                slots[k]++;
                if (status == "masked") {
                    EXPECT_EQ(dk, 0);
                    EXPECT_EQ(s["A_S"].get<double>(), 0.0);
                    masked++;
                    continue;
                }
                EXPECT_LT(s["source"].get<int>(), dk);
                rs.push_back(s["R_S"].get<double>());
                if (status == "original") {
                    kept[k]++, originals++;
                } else {
                    EXPECT_EQ(status, "duplicate");
                    EXPECT_LT(dk, 2);  // only rollouts short of D get duplicates
                    duplicates++;
                }
            }
            for (int k = 0; k < 8; ++k) {
                const int dk = q["rollouts"][static_cast<size_t>(k)]["d_k"].get<int>();
                EXPECT_EQ(slots[k], 2) << "rollout " << k;
                EXPECT_EQ(kept[k] + lost[k], dk) << "rollout " << k;
                EXPECT_EQ(lost[k], std::max(0, dk - 2));
            }
            // A_S standardises R_S over the non-masked slots, duplicates included.
            const auto as = standardise(rs);
            size_t i = 0;
            for (const auto& s : q["sub_slots"]) {
                const auto status = s["status"].get<std::string>();
                if (status == "dropped" || status == "masked") continue;
                EXPECT_NEAR(s["A_S"].get<double>(), as[i++], 1e-9);
            }
        }
    }
    // The warm-started planner delegates 0 to 3 times: every case occurs.
    EXPECT_GT(originals, 0);
    EXPECT_GT(duplicates + masked, 0);
    RecordProperty("duplicates", duplicates);
    RecordProperty("dropped", dropped);
}

TEST_F(TrainerTest, UnalignedAblationGroupsWhateverArrived) {
    auto c = config(1);
    c.algorithm = Algorithm::MgrpoUnaligned;
    Trainer trainer(*s_warm, c, runDir("unaligned").string());
    trainer.step();
    for (const auto& q : trainer.lastBatchRecords()) {
        int arrived = 0;
        for (const auto& r : q["rollouts"]) arrived += r["d_k"].get<int>();
        EXPECT_EQ(static_cast<int>(q["sub_slots"].size()), arrived);
        for (const auto& s : q["sub_slots"]) EXPECT_EQ(s["status"], "original");
    }
}

// d(-surrogate)/d(theta) by autograd equals central finite differences, through
// a real (double-precision) transformer and the token-level clipped objective.
TEST(PolicyLossGradient, MatchesFiniteDifferencesThroughAModel) {
    torch::manual_seed(0);
    auto model = makeTransformer(mgrpo::test::tinyConfig(16, 16), 3);
    model->to(torch::kDouble);
    const auto tokens = torch::tensor({{1, 5, 7, 2, 9, 4}, {3, 8, 6, 1, 0, 0}}, torch::kLong);
    const std::vector<int64_t> lengths{6, 4};
    const auto mask = torch::tensor({{0., 0., 1., 1., 1., 1.}, {0., 1., 1., 1., 0., 0.}}, torch::kDouble);
    const auto adv = torch::tensor({0.7, -1.3}, torch::kDouble);
    torch::Tensor old;
    {
        torch::NoGradGuard g;
        // Old log-probs near the current ones, so some ratios clip and some do not.
        old = scoreTokens(model, tokens, lengths).logProbs + 0.25 * torch::randn({2, 6}, torch::kDouble);
    }
    for (auto ratio : {RatioLevel::Token, RatioLevel::Sequence}) {
        PolicyLossConfig cfg;
        cfg.ratio = ratio;
        auto lossAt = [&] { return policyLoss(scoreTokens(model, tokens, lengths).logProbs, old, adv, mask, cfg).loss; };
        model->zero_grad();
        lossAt().backward();
        int checked = 0;
        for (auto& p : model->parameters()) {
            auto flat = p.data().view(-1);
            auto grad = p.grad().view(-1);
            for (int64_t i = 0; i < flat.numel(); i += std::max<int64_t>(1, flat.numel() / 3)) {
                const double h = 1e-6, saved = flat[i].item<double>();
                torch::NoGradGuard g;
                flat[i] = saved + h;
                const double up = lossAt().item<double>();
                flat[i] = saved - h;
                const double down = lossAt().item<double>();
                flat[i] = saved;
                EXPECT_NEAR(grad[i].item<double>(), (up - down) / (2 * h), 1e-6 + 1e-4 * std::abs(grad[i].item<double>()));
                checked++;
            }
        }
        EXPECT_GT(checked, 20);
    }
}
