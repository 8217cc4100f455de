// Scripted experts driven through the real protocol loop: perfect without mistakes,
// worse with them, deterministic, reading facts from observations; context lengths.
#include "episode_driver.h"

#include "core/env/question_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <numeric>

using namespace mgrpo::core::env;
using mgrpo::test::EpisodeStats;
using mgrpo::test::runEpisode;

namespace {

// The i-th question a warm start with run seed `run` demonstrates.
Question trainingQuestion(int stage, uint64_t run, int i) {
    return QuestionGenerator::training(stage, run, static_cast<uint64_t>(i), QuestionGenerator::Stream::Demonstrations);
}

struct Accuracy {
    int correct = 0, total = 0;
    double rate() const { return total ? static_cast<double>(correct) / total : 0.0; }
};

Accuracy solve(int stage, Role role, const ExpertConfig& main, const ExpertConfig& sub, int n = 200) {
    Accuracy acc;
    const Expert mainExpert(main), subExpert(sub);
    for (int i = 0; i < n; ++i) {
        const Question q = trainingQuestion(stage, 1, i);
        EpisodeStats stats;
        const std::string answer = runEpisode(role, q, mainExpert, subExpert, stats);
        EXPECT_TRUE(stats.valid) << stats.error;
        acc.correct += answerMatches(answer, q.answer);
        ++acc.total;
    }
    return acc;
}

}  // namespace

TEST(Expert, ZeroMistakesSolveEveryQuestion) {
    for (int stage : {1, 2}) {
        EXPECT_EQ(solve(stage, Role::Planner, {}, {}).rate(), 1.0) << "planner + sub-agent, stage " << stage;
        EXPECT_EQ(solve(stage, Role::Single, {}, {}).rate(), 1.0) << "single agent, stage " << stage;
    }
}

TEST(Expert, PlannerDelegatesOncePerLookupAndCallsCalcItself) {
    for (uint64_t seed = 0; seed < 50; ++seed) {
        const Question q = QuestionGenerator::make(2, seed);
        EpisodeStats stats;
        runEpisode(Role::Planner, q, Expert(), Expert(), stats);
        const auto lookups = std::count_if(q.subtasks.begin(), q.subtasks.end(), [](auto& s) { return s.toolHint == "open"; });
        EXPECT_EQ(stats.delegations, lookups);
        const bool calls = stats.contexts.back().find("<call> calc") != std::string::npos;
        EXPECT_EQ(calls, q.subtasks.back().toolHint == "calc");
    }
}

TEST(Expert, EachMistakeKindLowersAccuracy) {
    for (int stage : {1, 2}) {
        const ExpertConfig wrongHop{.wrongHop = 0.3, .seed = 5};
        const ExpertConfig skip{.skipVerification = 0.5, .seed = 5};
        const ExpertConfig premature{.prematureAnswer = 0.3, .seed = 5};
        for (const auto& [main, sub] : {std::pair{wrongHop, ExpertConfig{}}, {ExpertConfig{}, wrongHop},
                                        {ExpertConfig{}, skip}, {premature, ExpertConfig{}}}) {
            const double planner = solve(stage, Role::Planner, main, sub, 100).rate();
            EXPECT_LT(planner, 0.97) << "stage " << stage;
            EXPECT_GT(planner, 0.2) << "stage " << stage;
        }
        for (const auto& cfg : {wrongHop, skip, premature}) {
            const double single = solve(stage, Role::Single, cfg, {}, 100).rate();
            EXPECT_LT(single, 0.97) << "stage " << stage;
            EXPECT_GT(single, 0.1) << "stage " << stage;
        }
    }
}

TEST(Expert, IsDeterministic) {
    const ExpertConfig noisy{.wrongHop = 0.2, .skipVerification = 0.2, .prematureAnswer = 0.1, .seed = 3};
    for (uint64_t seed = 0; seed < 20; ++seed) {
        const Question q = QuestionGenerator::make(2, seed);
        EpisodeStats a, b;
        runEpisode(Role::Planner, q, Expert(noisy), Expert(noisy), a);
        runEpisode(Role::Planner, q, Expert(noisy), Expert(noisy), b);
        EXPECT_EQ(a.contexts, b.contexts);
    }
}

TEST(Expert, ReadsFactsFromObservationsNotFromTheGoldPlan) {
    const Question q = QuestionGenerator::make(1, 8);
    const Expert expert;
    AgentView sub{Role::SubAgent, "find born_in of kal tor", {}};
    EXPECT_EQ(expert.act(sub, q), "<call> search kal tor </call>");
    sub.turns.emplace_back("<call> search kal tor </call>", "<obs> page kal tor : kal tor type person . </obs>");
    EXPECT_EQ(expert.act(sub, q), "<call> open kal tor </call>");
    sub.turns.emplace_back("<call> open kal tor </call>", "<obs> kal tor type person . kal tor born_in sil . </obs>");
    // It restates the sentence it read, then answers with its object.
    EXPECT_EQ(expert.act(sub, q), "<think> kal tor born_in sil </think> <answer> sil </answer>");

    // The planner substitutes whatever its sub-agent returned.
    AgentView planner{Role::Planner, q.text, {}};
    const std::string first = expert.act(planner, q);
    EXPECT_EQ(first, delegateAction("searcher", q.subtasks[0].instruction));
    if (q.subtasks.size() > 1) {
        planner.turns.emplace_back(first, resultText("zan vor"));
        EXPECT_EQ(expert.act(planner, q), delegateAction("searcher", "find " + q.subtasks[1].relation + " of zan vor"));
    }
    EXPECT_EQ(expert.act({Role::SubAgent, "calc 3 plus 4", {{"<call> calc 3 plus 4 </call>", "<obs> 7 </obs>"}}}, q),
              "<answer> 7 </answer>");
    EXPECT_EQ(expert.act({Role::SubAgent, "dance", {}}, q), "<answer> none </answer>");
}

TEST(Expert, ContextLengths) {
    for (int stage : {1, 2}) {
        std::vector<int> single, planner, sub;
        for (int i = 0; i < 200; ++i) {
            const Question q = trainingQuestion(stage, 2, i);
            EpisodeStats s, p;
            runEpisode(Role::Single, q, Expert(), Expert(), s);
            runEpisode(Role::Planner, q, Expert(), Expert(), p);
            single.push_back(s.contextTokens);
            planner.push_back(p.contextTokens);
            sub.insert(sub.end(), p.subContextTokens.begin(), p.subContextTokens.end());
        }
        auto report = [&](const char* what, const std::vector<int>& v) {
            const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
            const int max = *std::max_element(v.begin(), v.end());
            std::cout << "[lengths] stage " << stage << " " << what << ": mean " << mean << " max " << max
                      << " (n=" << v.size() << ")\n";
            return std::pair{mean, max};
        };
        const auto [singleMean, singleMax] = report("single agent", single);
        report("planner", planner);
        const auto [subMean, subMax] = report("sub-agent", sub);
        EXPECT_LT(subMax, 150);
        if (stage == 2) {
            EXPECT_GT(singleMean, 300.0);
        }
    }
}
