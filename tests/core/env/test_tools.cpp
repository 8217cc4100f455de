// Tools: search ranking and format, open, calc arithmetic and errors, the registry.
#include "core/env/protocol.h"
#include "core/env/tools.h"
#include "core/env/words.h"

#include <gtest/gtest.h>

using namespace mgrpo::core::env;

namespace {
const WorldSpec kBig{6, 5, 4, 3, 1, 10};

std::string calc(const std::string& args) { return CalcTool().call(args, World::generate(WorldSpec{}, 0)); }

// Page ids listed by a search observation, in order.
std::vector<std::string> hitIds(const std::string& obs) {
    std::vector<std::string> ids;
    const auto words = splitWords(obs);
    for (size_t i = 0; i < words.size(); ++i)
        if (words[i] == "page") {
            std::string id;
            for (size_t j = i + 1; j < words.size() && words[j] != ":"; ++j) id += (id.empty() ? "" : " ") + words[j];
            ids.push_back(id);
        }
    return ids;
}
}  // namespace

TEST(SearchTool, ExactNameRanksFirstWithAtMostThreeHits) {
    SearchTool search;
    int lookalikeListed = 0;
    for (uint64_t seed = 0; seed < 20; ++seed) {
        const World w = World::generate(kBig, seed);
        for (const auto& e : w.entities()) {
            const std::string obs = search.call(e.name, w);
            const auto ids = hitIds(obs);
            ASSERT_FALSE(ids.empty()) << obs;
            EXPECT_LE(ids.size(), 3u);
            EXPECT_EQ(ids[0], e.name) << obs;
            // Extra query words (as a sloppy agent writes them) do not dislodge it.
            EXPECT_EQ(hitIds(search.call("find born_in of " + e.name, w))[0], e.name);
            for (size_t k = 1; k < ids.size(); ++k) {
                const int other = w.find(ids[k]);
                lookalikeListed += other >= 0 && (w.entity(other).lookalikeOf == w.find(e.name) ||
                                                  e.lookalikeOf == other);
            }
        }
    }
    EXPECT_GT(lookalikeListed, 100);  // distractors do show up next to the right page
}

TEST(SearchTool, SnippetIsTheFirstFactAndErrorsAreWords) {
    const World w = World::generate(WorldSpec{}, 4);
    const Entity& e = w.entity(0);
    const std::string obs = SearchTool().call(e.name, w);
    EXPECT_EQ(obs.rfind("page " + e.name + " : " + w.page(0)[1], 0), 0u) << obs;
    EXPECT_EQ(SearchTool().call("   ", w), kBadArguments);
    EXPECT_EQ(SearchTool().call("what", w), "no results");
}

TEST(OpenTool, ReturnsThePageOrNoSuchPage) {
    const World w = World::generate(kBig, 9);
    for (size_t i = 0; i < w.entities().size(); ++i) {
        const auto& e = w.entities()[i];
        EXPECT_EQ(OpenTool().call(" " + e.name + "  ", w), w.pageText(static_cast<int>(i)));
    }
    EXPECT_EQ(OpenTool().call("none", w), "no such page");
    EXPECT_EQ(OpenTool().call("", w), kBadArguments);
}

TEST(CalcTool, ArithmeticAndComparisons) {
    EXPECT_EQ(calc("1 9 8 4 plus 1 6"), "2 0 0 0");
    EXPECT_EQ(calc("1 9 8 4 minus 1 9 9 0"), "negative 6");
    EXPECT_EQ(calc("5 minus 5"), "0");
    EXPECT_EQ(calc("negative 3 plus 1 0"), "7");
    EXPECT_EQ(calc("1 9 8 4 greater 1 9 7 0"), "yes");
    EXPECT_EQ(calc("1 9 7 0 greater 1 9 8 4"), "no");
    EXPECT_EQ(calc("7 greater 7"), "no");
    EXPECT_EQ(calc("7 less 7"), "no");
    EXPECT_EQ(calc("0 0 7 less 1 2"), "yes");
}

TEST(CalcTool, BadArgumentsGiveAnErrorObservation) {
    for (const char* bad : {"", "1 2", "plus 3", "3 plus", "1 2 plus 3 plus 4", "12 plus 3", "a plus 3",
                            "1 plus negative", "1 divide 2", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 plus 1"})
        EXPECT_EQ(calc(bad), kBadArguments) << bad;
}

namespace {
// A complete extra tool: one class, one registration line.
class EchoTool final : public Tool {
public:
    std::string name() const override { return "echo"; }
    std::string describe() const override { return "echo <words>: the words back"; }
    std::string call(const std::string& args, const World&) const override { return normaliseWords(args); }
    std::vector<std::string> words() const override { return {}; }
};
}  // namespace

TEST(ToolRegistry, BuiltinAndCustomTools) {
    EXPECT_EQ(ToolRegistry::builtin().names(), (std::vector<std::string>{"search", "open", "calc"}));
    EXPECT_EQ(ToolRegistry::builtin().find("echo"), nullptr);
    ToolRegistry tools = ToolRegistry::builtin();
    tools.add(std::make_shared<EchoTool>());
    ASSERT_NE(tools.find("echo"), nullptr);
    EXPECT_EQ(tools.names().size(), 4u);
    tools.add(std::make_shared<EchoTool>());  // replaces, does not duplicate
    EXPECT_EQ(tools.names().size(), 4u);

    const World w = World::generate(WorldSpec{}, 0);
    EXPECT_EQ(parseAction("<call> echo a b </call>").kind, ActionKind::Invalid);
    const Action a = parseAction("<call> echo a  b </call>", tools);
    ASSERT_EQ(a.kind, ActionKind::Call);
    EXPECT_EQ(respondToCall(a, w, tools), "<obs> a b </obs>");
    EXPECT_EQ(respondToCall(a, w, ToolRegistry::builtin()), "<obs> error invalid action </obs>");
}
