// The closed vocabulary: a valid WordTokenizer word list that covers every question,
// page, observation, subtask, answer and expert action the environment produces.
#include "episode_driver.h"

#include "core/env/question_generator.h"
#include "core/env/vocabulary.h"
#include "core/model/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace mgrpo::core;
using namespace mgrpo::core::env;

namespace {

// The words of `text` that the tokenizer does not know.
std::vector<std::string> unknownWords(const WordTokenizer& t, const std::string& text) {
    std::vector<std::string> out;
    for (const auto& w : splitWords(text))
        if (t.tokenId(w) == special::kUnk) out.push_back(w);
    return out;
}

}  // namespace

TEST(Vocabulary, IsAValidWordListWithTheProtocol) {
    const auto words = vocabulary();
    EXPECT_NO_THROW(WordTokenizer{words});  // rejects duplicates, whitespace and specials
    EXPECT_EQ(words, vocabulary());          // stable order
    for (const auto& w : protocolTokens()) EXPECT_NE(std::find(words.begin(), words.end(), w), words.end()) << w;
    for (const auto& w : agentSlotNames()) EXPECT_NE(std::find(words.begin(), words.end(), w), words.end()) << w;
    std::cout << "[vocabulary] " << words.size() << " words\n";
}

TEST(Vocabulary, CoversEverythingTheEnvironmentProduces) {
    const WordTokenizer t(vocabulary());
    const ToolRegistry& tools = ToolRegistry::builtin();
    const std::vector<ExpertConfig> experts = {
        {}, {.wrongHop = 0.4, .skipVerification = 0.3, .prematureAnswer = 0.2, .seed = 9}};
    std::vector<std::string> unknown;
    auto check = [&](const std::string& text) {
        for (auto& w : unknownWords(t, text)) unknown.push_back(w + "  (in: " + text.substr(0, 120) + ")");
    };
    for (int stage : {1, 2})
        for (uint64_t seed = 0; seed < 100; ++seed) {
            const Question q = QuestionGenerator::make(stage, seed);
            check(q.text);
            check(q.answer);
            for (const auto& s : q.subtasks) check(s.instruction + " " + s.answer);
            for (size_t i = 0; i < q.world.entities().size(); ++i) {
                const std::string& name = q.world.entity(static_cast<int>(i)).name;
                check(tools.find("open")->call(name, q.world));
                check(tools.find("search")->call(name, q.world));
            }
            for (const auto& cfg : experts)
                for (Role role : {Role::Planner, Role::Single}) {
                    mgrpo::test::EpisodeStats stats;
                    mgrpo::test::runEpisode(role, q, Expert(cfg), Expert(cfg), stats);
                    for (const auto& context : stats.contexts) check(context);
                }
        }
    for (const std::string& fixed : {tools.find("open")->call("none", QuestionGenerator::make(1, 0).world),
                                     tools.find("search")->call("what", QuestionGenerator::make(1, 0).world),
                                     std::string(kBadArguments), std::string(kInvalidActionObservation),
                                     std::string(kNoResult), std::string("negative 1 2 yes no")})
        check(fixed);
    EXPECT_TRUE(unknown.empty()) << unknown.size() << " unknown words, first: " << unknown.front();
}
