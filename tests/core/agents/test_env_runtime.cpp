// The runtime over the built-in environment: perfect experts solve every
// stage through every template hierarchy, r_expert is exact, and a tiny warm
// start beats a random-init policy on held-out questions.
#include "core/agents/agent_models.h"
#include "core/agents/env_task.h"
#include "core/agents/runtime.h"
#include "core/env/question_generator.h"
#include "core/env/words.h"
#include "core/train/warm_start.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace mgrpo::core;

namespace {

std::vector<Rollout> runExperts(const Topology& t, int stage, int n, env::ExpertConfig config = {}) {
    std::vector<std::unique_ptr<EnvTask>> tasks;
    std::vector<const TaskInstance*> ptrs;
    for (int i = 0; i < n; ++i) {
        tasks.push_back(std::make_unique<EnvTask>(
            env::QuestionGenerator::training(stage, 7, static_cast<uint64_t>(i),
                                             env::QuestionGenerator::Stream::Demonstrations),
            expertRole(t.mainAgent())));
        ptrs.push_back(tasks.back().get());
    }
    std::map<std::string, std::shared_ptr<AgentPolicy>> policies;
    for (const auto& a : t.agents) policies[a.id] = makeExpertPolicy(builtinTokenizer(), a, config);
    AgentRuntime runtime(t, policies);
    return runtime.run(ptrs, 1, 0);
}

// Templates with contexts large enough for a perfect expert at stage 2.
Topology roomy(Topology t) {
    for (auto& a : t.agents) {
        a.model.contextLength = 2048;
        a.maxTurns = 24;
    }
    return t;
}

}  // namespace

TEST(EnvRuntime, PerfectExpertsSolveEveryStageInEveryTemplate) {
    for (const auto& t : {roomy(paperTopology()), roomy(singleAgentTopology())}) {
        for (int stage : {1, 2}) {
            const auto rollouts = runExperts(t, stage, 40);
            int correct = 0;
            for (const auto& r : rollouts) {
                correct += r.correct;
                for (const auto& inv : r.invocations) {
                    EXPECT_TRUE(inv.formatValid) << inv.formatError;
                    if (inv.parent >= 0) EXPECT_DOUBLE_EQ(inv.reward, 1.0) << inv.task << " -> " << inv.answer;
                }
            }
            EXPECT_EQ(correct, 40) << t.name << " stage " << stage;
        }
    }
}

TEST(EnvRuntime, HierarchyDelegatesAndKeepsSubContextsShort) {
    const auto rollouts = runExperts(roomy(paperTopology()), 2, 20);
    for (const auto& r : rollouts) {
        EXPECT_GE(r.invocationCount("searcher"), 2) << "stage 2 needs several delegations";
        for (const auto& inv : r.invocations)
            if (inv.parent >= 0) EXPECT_LT(inv.length(), 256u);
    }
}

TEST(EnvRuntime, ExpertScoreIsTheTrueAnswerOfTheGivenSubtask) {
    const auto q = env::QuestionGenerator::make(2, 12345);
    EnvTask task(q, env::Role::Planner);
    for (const auto& s : q.subtasks) {
        EXPECT_EQ(env::normaliseWords(task.trueAnswer(s.instruction)), env::normaliseWords(s.answer)) << s.instruction;
        EXPECT_DOUBLE_EQ(task.expertScore(s.instruction, s.answer), 1.0);
        EXPECT_DOUBLE_EQ(task.expertScore(s.instruction, "none"), 0.0);
    }
    // A subtask the plan does not contain is still scored against the world.
    const auto& e = q.world.entity(0);
    for (const auto& [relation, target] : e.links) {
        const auto instruction = "find " + relation + " of " + e.name;
        EXPECT_DOUBLE_EQ(task.expertScore(instruction, q.world.entity(target).name), 1.0) << instruction;
    }
    EXPECT_EQ(task.trueAnswer("find born_in of nobody"), "");
    EXPECT_EQ(task.trueAnswer("please help"), "");
}

TEST(EnvRuntime, MistakesLowerExpertAccuracy) {
    int perfect = 0, sloppy = 0;
    for (const auto& r : runExperts(roomy(paperTopology()), 2, 60)) perfect += r.correct;
    for (const auto& r : runExperts(roomy(paperTopology()), 2, 60, {0.3, 0.3, 0.1, 1, "searcher"})) sloppy += r.correct;
    EXPECT_EQ(perfect, 60);
    EXPECT_LT(sloppy, 50);
}

// On a test-sized budget the warm start teaches the protocol (the format a
// random model never produces); copying entity names and numbers out of tool
// observations needs the default model and budget (see experiments/README.md).
TEST(WarmStart, TinyWarmStartLearnsTheProtocol) {
    const auto t = mgrpo::test::paperTopologySized(64, 2);
    const auto random = evaluateTopology(t, 1, 30);
    mgrpo::test::TempDir dir;
    WarmStartOptions o;
    o.stage = 1;
    o.demonstrations = 150;
    o.steps = 120;
    o.batchSize = 16;
    o.evalQueries = 30;
    const auto report = warmStart(t, o, dir.path().string());
    ASSERT_EQ(report.evaluations.size(), 2u);
    const auto& stage1 = report.evaluations[0];
    EXPECT_EQ(random.formatRate, 0.0);
    EXPECT_GT(stage1.formatRate, random.formatRate + 0.5) << "random " << random.formatRate << " warm " << stage1.formatRate;
    EXPECT_GT(stage1.meanDelegations, 0.5);  // the planner delegates, as its teacher does
    for (const auto& a : report.agents) EXPECT_LT(a.finalLoss, 0.5 * a.initialLoss) << a.agent;
    // The written topology loads its checkpoints and reproduces the evaluation.
    const auto reloaded = loadTopologyFile(report.topologyPath);
    EXPECT_FALSE(reloaded.mainAgent().checkpoint.empty());
    const auto again = evaluateTopology(reloaded, 1, 30);
    EXPECT_DOUBLE_EQ(again.accuracy, stage1.accuracy);
    EXPECT_DOUBLE_EQ(again.formatRate, stage1.formatRate);
    EXPECT_DOUBLE_EQ(again.meanDelegations, stage1.meanDelegations);
    // Per-question verdicts (for paired comparisons): one per question, averaging to the accuracy.
    ASSERT_EQ(again.correctByQuestion.size(), 30u);
    EXPECT_EQ(again.correctByQuestion, stage1.correctByQuestion);
    double right = 0;
    for (auto c : again.correctByQuestion) right += c;
    EXPECT_DOUBLE_EQ(right / 30, again.accuracy);
    // Sampled evaluation (the policy RL trains) is seeded: the same seed repeats it, and it is not greedy.
    const auto sampled = evaluateTopology(reloaded, 1, 30, 0, 1.0);
    const auto sampledAgain = evaluateTopology(reloaded, 1, 30, 0, 1.0);
    EXPECT_DOUBLE_EQ(sampled.temperature, 1.0);
    EXPECT_EQ(sampled.correctByQuestion, sampledAgain.correctByQuestion);
    EXPECT_DOUBLE_EQ(sampled.meanMainTokens, sampledAgain.meanMainTokens);
    EXPECT_NE(sampled.meanMainTokens, again.meanMainTokens);
}

// Reading exercises run for the agents that open pages, and only for them; they
// train (a random model's loss is about ln(vocabulary) on any token).
TEST(WarmStart, ReadingExercisesTrainOnlyAgentsThatOpenPages) {
    const auto t = mgrpo::test::paperTopologySized(64, 2);
    mgrpo::test::TempDir dir;
    const WarmStartOptions o{.stage = 2,
                             .demonstrations = 20,
                             .steps = 2,
                             .learningRate = 0.01,
                             .readingSteps = 60,
                             .readingBatch = 8,
                             .evalQueries = 0};
    const auto report = warmStart(t, o, dir.path().string());
    const double uniform = std::log(static_cast<double>(builtinTokenizer()->vocabSize()));
    for (const auto& a : report.agents) {
        const auto& tools = t.find(a.agent)->tools;
        const bool opensPages = std::find(tools.begin(), tools.end(), "open") != tools.end();
        if (opensPages) EXPECT_LT(a.readingLoss, 0.7 * uniform) << a.agent;  // measured 0.61
        else EXPECT_EQ(a.readingLoss, 0.0) << a.agent;
    }
}
