// Question generation: determinism, stage shapes, gold plans that chain to the
// answer with every fact on a page, disjoint evaluation seeds, JSON.
#include "core/env/question_generator.h"
#include "core/env/tools.h"
#include "core/env/words.h"
#include "core/util/json_fields.h"

#include <gtest/gtest.h>

#include <set>

using namespace mgrpo::core;
using namespace mgrpo::core::env;

TEST(QuestionGenerator, SameSeedSameQuestion) {
    for (int stage : {1, 2})
        for (uint64_t seed : {0ull, 42ull, 987654321ull}) {
            const Question a = QuestionGenerator::make(stage, seed), b = QuestionGenerator::make(stage, seed);
            EXPECT_EQ(toJson(a), toJson(b));
            EXPECT_EQ(a.subtasks, b.subtasks);
        }
    std::set<std::string> texts;
    for (uint64_t seed = 0; seed < 50; ++seed) texts.insert(QuestionGenerator::make(2, seed).text);
    EXPECT_GT(texts.size(), 45u);
}

TEST(QuestionGenerator, StageShapes) {
    int comparisons = 0, hops[5] = {};
    for (uint64_t seed = 0; seed < 200; ++seed) {
        const Question q1 = QuestionGenerator::make(1, seed);
        ASSERT_TRUE(q1.subtasks.size() == 1 || q1.subtasks.size() == 2) << q1.text;
        for (const auto& s : q1.subtasks) EXPECT_EQ(s.toolHint, "open");
        EXPECT_EQ(q1.world.spec().distractors, 0);

        const Question q2 = QuestionGenerator::make(2, seed);
        EXPECT_EQ(q2.world.spec().distractors, 1);
        if (q2.subtasks.back().toolHint == "calc") {
            ++comparisons;
            ASSERT_EQ(q2.subtasks.size(), 5u) << q2.text;
            EXPECT_EQ(q2.subtasks.back().inputs, (std::vector<int>{1, 3}));
            EXPECT_TRUE(q2.answer == "yes" || q2.answer == "no");
            EXPECT_EQ(q2.text.rfind("is ", 0), 0u);
        } else {
            ASSERT_TRUE(q2.subtasks.size() == 3 || q2.subtasks.size() == 4) << q2.text;
            ++hops[q2.subtasks.size()];
            EXPECT_EQ(q2.text.rfind("what is ", 0), 0u);
        }
    }
    EXPECT_GT(comparisons, 60);
    EXPECT_GT(hops[3], 30);
    EXPECT_GT(hops[4], 30);
}

TEST(QuestionGenerator, GoldPlansChainToTheAnswerAndEveryFactIsOnAPage) {
    const ToolRegistry& tools = ToolRegistry::builtin();
    for (int stage : {1, 2})
        for (uint64_t seed = 0; seed < 200; ++seed) {
            const Question q = QuestionGenerator::make(stage, seed);
            ASSERT_FALSE(q.subtasks.empty());
            EXPECT_EQ(q.subtasks.back().answer, q.answer) << q.text;
            for (size_t j = 0; j < q.subtasks.size(); ++j) {
                const Subtask& s = q.subtasks[j];
                std::vector<std::string> in;
                for (int k : s.inputs) {
                    ASSERT_LT(k, static_cast<int>(j));  // only earlier subtasks feed in
                    in.push_back(q.subtasks[static_cast<size_t>(k)].answer);
                }
                EXPECT_EQ(instructionFor(s, in), s.instruction);
                EXPECT_EQ(s.subject.empty(), !s.inputs.empty() || s.toolHint == "calc");
                if (s.toolHint == "calc") {
                    EXPECT_EQ(tools.find("calc")->call(joinWords(splitWords(s.instruction), 1), q.world), s.answer);
                } else {
                    const std::string subject = s.subject.empty() ? in.at(0) : s.subject;
                    const std::string page = tools.find("open")->call(subject, q.world);
                    EXPECT_NE((" " + page + " ").find(" " + subject + " " + s.relation + " " + s.answer + " . "),
                              std::string::npos)
                        << s.instruction << " -> " << s.answer << " not on: " << page;
                }
            }
            // A chain never walks back to the entity the question names.
            EXPECT_NE(q.answer, q.subtasks[0].subject) << q.text;
        }
}

TEST(QuestionGenerator, EvaluationSeedsAreDisjointFromTrainingSeeds) {
    const auto eval = QuestionGenerator::evaluationSet(2, 50);
    ASSERT_EQ(eval.size(), 50u);
    for (size_t i = 0; i < eval.size(); ++i) {
        EXPECT_TRUE(QuestionGenerator::isEvaluationSeed(eval[i].seed));
        EXPECT_EQ(eval[i].seed, QuestionGenerator::evaluationSeed(static_cast<int>(i)));
        EXPECT_EQ(toJson(eval[i]), toJson(QuestionGenerator::evaluationSet(2, 50)[i]));
    }
    using Stream = QuestionGenerator::Stream;
    for (uint64_t run : {0ull, 1ull, ~0ull})
        for (uint64_t i = 0; i < 10000; ++i)
            for (auto stream : {Stream::Demonstrations, Stream::Reinforcement})
                ASSERT_FALSE(QuestionGenerator::isEvaluationSeed(QuestionGenerator::trainingSeed(run, i, stream)));
    EXPECT_NE(QuestionGenerator::trainingSeed(0, 0, Stream::Demonstrations),
              QuestionGenerator::trainingSeed(0, 1, Stream::Demonstrations));
    EXPECT_THROW(QuestionGenerator::evaluationSeed(-1), ConfigError);
}

// RL must not replay a warm start's questions: with the same run seed the two
// streams share no seed (they did, index for index, when there was one stream).
TEST(QuestionGenerator, ReinforcementSeedsAreDisjointFromDemonstrationSeeds) {
    using Stream = QuestionGenerator::Stream;
    for (uint64_t run : {0ull, 1ull, 7ull}) {
        std::set<uint64_t> demonstrations, reinforcement;
        for (uint64_t i = 0; i < 20000; ++i) {
            demonstrations.insert(QuestionGenerator::trainingSeed(run, i, Stream::Demonstrations));
            reinforcement.insert(QuestionGenerator::trainingSeed(run, i, Stream::Reinforcement));
        }
        EXPECT_EQ(demonstrations.size(), 20000u);
        EXPECT_EQ(reinforcement.size(), 20000u);
        for (uint64_t seed : reinforcement) ASSERT_EQ(demonstrations.count(seed), 0u) << "run seed " << run;
    }
}

TEST(QuestionGenerator, JsonAndStageSpecs) {
    const Question q = QuestionGenerator::make(2, 5);
    const auto j = toJson(q);
    EXPECT_EQ(j.at("text"), q.text);
    EXPECT_EQ(j.at("answer"), q.answer);
    EXPECT_EQ(j.at("subtasks").size(), q.subtasks.size());
    EXPECT_EQ(j.at("subtasks")[0].at("tool_hint"), "open");
    EXPECT_EQ(j.at("world").at("entities").size(), q.world.entities().size());
    EXPECT_EQ(World::generate(worldSpecFromJson(j.at("world").at("spec")), j.at("world").at("seed")).toJson(),
              q.world.toJson());

    for (int stage : {1, 2}) EXPECT_EQ(stageSpecFromJson(toJson(StageSpec::stage(stage))), StageSpec::stage(stage));
    EXPECT_THROW(StageSpec::stage(3), ConfigError);
    EXPECT_THROW(stageSpecFromJson({{"min_hops", 3}, {"max_hops", 2}}), ConfigError);
    EXPECT_THROW(stageSpecFromJson({{"comparison_rate", 1.5}}), ConfigError);
    EXPECT_THROW(stageSpecFromJson({{"world", {{"page_length", 0}}}}), ConfigError);

    // Custom knobs: always a comparison of two 1-lookup chains.
    StageSpec custom = StageSpec::stage(1);
    custom.comparisonRate = 1.0;
    custom.comparisonHops = 1;
    const Question c = QuestionGenerator::make(custom, 1, 3);
    ASSERT_EQ(c.subtasks.size(), 3u);
    EXPECT_EQ(c.subtasks[2].toolHint, "calc");
}
