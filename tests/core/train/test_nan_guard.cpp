// The trainer's NaN/Inf guard, by real injection and without test hooks: a
// non-finite value is written into one agent's parameters in the run's
// checkpoint on disk, the run is resumed and stepped. The step must fail with
// a TrainingError naming that agent (and only it) and the quantity, count no
// step and leave every file of the run byte-identical.
#include "core/model/checkpoint.h"
#include "core/train/trainer.h"
#include "core/train/warm_start.h"
#include "core/util/files.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

using namespace mgrpo::core;
namespace fs = std::filesystem;

namespace {

// Every file under `dir`, relative path -> bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& file : listRegularFiles(dir)) {
        std::ifstream in(dir / file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files[file] = bytes.str();
    }
    return files;
}

// Overwrites one element of the final LayerNorm's weight in the agent's
// model.pt: every hidden unit feeds every logit, so all logits turn non-finite.
void poison(const fs::path& agentCheckpoint, float value) {
    auto loaded = loadCheckpoint(agentCheckpoint);
    {
        torch::NoGradGuard noGrad;
        loaded.model->named_parameters()["ln_f.weight"][0] = value;
    }
    torch::save(loaded.model, (agentCheckpoint / "model.pt").string());
    // The poison really is on disk (guards against a no-op injection).
    const auto check = loadCheckpoint(agentCheckpoint).model->named_parameters()["ln_f.weight"][0].item<float>();
    ASSERT_FALSE(std::isfinite(check));
}

struct Case {
    std::string poisoned, other;
    float value;
};

class NanGuardTest : public ::testing::TestWithParam<Case> {
protected:
    // A short warm start (as in test_trainer) so the planner delegates and the
    // sub-agent has samples to train on; random models rarely delegate.
    static void SetUpTestSuite() {
        s_dir = new mgrpo::test::TempDir();
        s_warm = new Topology(mgrpo::test::tinyWarmStart(mgrpo::test::smallestPaperTopology(), s_dir->path() / "warm"));
    }
    static void TearDownTestSuite() {
        delete s_warm;
        delete s_dir;
    }
    // One completed, checkpointed step; the next step would checkpoint too.
    fs::path runAfterOneStep(const std::string& name) {
        ExperimentConfig c;
        c.stage = 1;
        c.steps = 3;
        c.queriesPerStep = 4;
        c.samplesPerQuery = 8;
        c.fixedD = 2;
        c.evalEvery = 0;
        c.checkpointEvery = 1;
        c.seed = 1;
        const auto dir = m_tmp.path() / name;
        Trainer(*s_warm, c, dir.string()).step();
        return dir;
    }

    static inline mgrpo::test::TempDir* s_dir = nullptr;
    static inline Topology* s_warm = nullptr;
    mgrpo::test::TempDir m_tmp;
};

TEST_P(NanGuardTest, PoisonedAgentStopsTheStepAndNothingIsWritten) {
    const auto& p = GetParam();
    const auto dir = runAfterOneStep("run");
    const auto control = m_tmp.path() / "control";
    copyTree(dir, control);

    // Control: unpoisoned, the same step succeeds and trains both agents, so
    // the failure below comes from the poison and the sub-agent had samples.
    {
        auto t = Trainer::resume(control.string());
        const auto m = t->step();
        EXPECT_EQ(m.step, 2);
        EXPECT_TRUE(m.checkpointed);
        EXPECT_TRUE(std::isfinite(m.values.at("main/loss")));
        EXPECT_TRUE(std::isfinite(m.values.at("sub.searcher/loss")));
    }

    poison(dir / "checkpoint" / p.poisoned, p.value);
    const auto before = snapshot(dir);
    auto t = Trainer::resume(dir.string());
    ASSERT_EQ(t->completedSteps(), 1);
    try {
        t->step();
        FAIL() << "a step with a non-finite " << p.poisoned << " parameter succeeded";
    } catch (const TrainingError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.agent(), p.poisoned);
        // NaN parameters make the forward pass, hence the loss, non-finite
        // before any gradient exists: the loss is what must be reported.
        EXPECT_EQ(e.quantity(), "loss");
        EXPECT_NE(what.find("'" + p.poisoned + "'"), std::string::npos) << what;
        EXPECT_NE(what.find("loss"), std::string::npos) << what;
        EXPECT_NE(what.find("step 2"), std::string::npos) << what;
        EXPECT_EQ(what.find(p.other), std::string::npos) << what;
    }
    EXPECT_EQ(t->completedSteps(), 1);
    const auto after = snapshot(dir);
    ASSERT_EQ(after.size(), before.size());
    for (const auto& [file, bytes] : before) {
        ASSERT_TRUE(after.count(file)) << file << " disappeared";
        EXPECT_TRUE(after.at(file) == bytes) << file << " changed";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Injection, NanGuardTest,
    ::testing::Values(Case{"main", "searcher", std::numeric_limits<float>::quiet_NaN()},
                      Case{"searcher", "main", std::numeric_limits<float>::quiet_NaN()},
                      Case{"searcher", "main", std::numeric_limits<float>::infinity()}),
    [](const auto& info) {
        return info.param.poisoned + (std::isnan(info.param.value) ? "_NaN" : "_Inf");
    });

}  // namespace
