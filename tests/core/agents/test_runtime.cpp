// The hierarchy runtime driven by hand-built scripted policies over a tiny
// hand-written task: known trees, contexts, masks, batching and every way an
// invocation can end with a format error.
#include "core/agents/runtime.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace mgrpo::core;

namespace {

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string join(const std::vector<std::string>& w, size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to; ++i) s += (s.empty() ? "" : " ") + w[i];
    return s;
}

// A task whose answer is "blue", with a "look" tool that echoes its argument.
class FakeTask final : public TaskInstance {
public:
    std::string mainPrompt() const override { return "<question> what colour </question>"; }
    std::string subPrompt(const std::string& i) const override { return "<task> " + i + " </task>"; }
    std::string questionText() const override { return "what colour"; }
    ParsedAction parse(std::string_view action) const override {
        const auto w = words(std::string(action));
        ParsedAction a;
        if (w.size() < 3) return a.error = "too short", a;
        const std::string open = w.front(), close = w.back();
        if (open == "<call>" && close == "</call>") {
            a.kind = ParsedAction::Kind::Call;
            a.tool = w[1];
            a.text = join(w, 2, w.size() - 1);
        } else if (open == "<delegate>" && close == "</delegate>") {
            a.kind = ParsedAction::Kind::Delegate;
            a.target = w[1];
            a.text = join(w, 2, w.size() - 1);
        } else if (open == "<answer>" && close == "</answer>") {
            a.kind = ParsedAction::Kind::Answer;
            a.text = join(w, 1, w.size() - 1);
        } else {
            a.error = "unknown action";
        }
        return a;
    }
    std::string callTool(const std::string& tool, const std::string& args) const override {
        return "<obs> " + tool + " " + args + " </obs>";
    }
    std::string renderResult(const std::string& answer, bool ok) const override {
        return "<result> " + (ok ? answer : std::string("none")) + " </result>";
    }
    bool isCorrect(const std::string& answer) const override { return answer == "blue"; }
    double expertScore(const std::string& instruction, const std::string& answer) const override {
        return instruction == "find sky" && answer == "blue" ? 1.0 : 0.0;
    }
};

std::shared_ptr<const Tokenizer> fakeTokenizer() {
    return std::make_shared<WordTokenizer>(words(
        "<question> </question> <task> </task> <call> </call> <delegate> </delegate> <answer> </answer> <obs> </obs> "
        "<result> </result> what colour look find sky sea blue green searcher none"));
}

// The main agent delegates `delegations` times, then answers with the last result.
ScriptedPolicy::Script planner(int delegations, std::map<int, int>* batchSizes = nullptr) {
    return [=](const PolicyRequest& r) -> std::string {
        if (batchSizes) (*batchSizes)[r.invocation->turns]++;
        const int done = static_cast<int>(r.invocation->children.size());
        if (done < delegations) return done == 0 ? "<delegate> searcher find sky </delegate>"
                                                 : "<delegate> searcher find sea </delegate>";
        const auto& last = r.invocation->segments.back();  // "<result> X </result>"
        return "<answer> " + words(last.text)[1] + " </answer>";
    };
}

// The sub-agent looks once, then answers "blue" for the sky and "green" otherwise.
std::string searcher(const PolicyRequest& r) {
    if (r.invocation->turns == 0) return "<call> look " + r.invocation->task + " </call>";
    return r.invocation->task == "find sky" ? "<answer> blue </answer>" : "<answer> green </answer>";
}

Topology testTopology() {
    auto t = paperTopology();
    t.agents[0].tools = {};
    t.agents[1].tools = {"look"};
    return t;
}

AgentRuntime makeRuntime(const Topology& t, ScriptedPolicy::Script main, ScriptedPolicy::Script sub = searcher) {
    const auto tok = fakeTokenizer();
    return AgentRuntime(t, {{"main", std::make_shared<ScriptedPolicy>(tok, std::move(main))},
                            {"searcher", std::make_shared<ScriptedPolicy>(tok, std::move(sub))}});
}

}  // namespace

TEST(Runtime, OneDelegationBuildsTheExpectedTree) {
    FakeTask task;
    auto runtime = makeRuntime(testTopology(), planner(1));
    auto rollouts = runtime.run({&task}, 1, 0);
    ASSERT_EQ(rollouts.size(), 1u);
    const auto& r = rollouts[0];
    ASSERT_EQ(r.invocations.size(), 2u);
    const auto& main = r.invocations[0];
    const auto& sub = r.invocations[1];
    EXPECT_EQ(main.children, std::vector<int>{1});
    EXPECT_EQ(sub.parent, 0);
    EXPECT_EQ(sub.task, "find sky");
    EXPECT_EQ(main.answer, "blue");
    EXPECT_TRUE(r.correct);
    // main: prompt, delegate action, result, answer action.
    std::vector<SegmentKind> kinds;
    for (const auto& s : main.segments) kinds.push_back(s.kind);
    EXPECT_EQ(kinds, (std::vector<SegmentKind>{SegmentKind::Prompt, SegmentKind::Action, SegmentKind::Result,
                                               SegmentKind::Action}));
    EXPECT_EQ(main.segments[2].text, "<result> blue </result>");
    // sub: fresh context with only its task, one observation.
    EXPECT_EQ(sub.segments[0].text, "<task> find sky </task>");
    EXPECT_EQ(sub.segments[2].text, "<obs> look find sky </obs>");
    // Loss mask: 1 exactly on action tokens; the prompt starts with <bos>.
    const auto tokens = main.tokens();
    const auto mask = main.lossMask();
    ASSERT_EQ(tokens.size(), mask.size());
    EXPECT_EQ(tokens[0], special::kBos);
    const size_t promptLen = 1 + 4, delegateLen = 5, resultLen = 3, answerLen = 3;
    ASSERT_EQ(tokens.size(), promptLen + delegateLen + resultLen + answerLen);
    std::vector<uint8_t> expected;
    expected.insert(expected.end(), promptLen, 0);
    expected.insert(expected.end(), delegateLen, 1);
    expected.insert(expected.end(), resultLen, 0);
    expected.insert(expected.end(), answerLen, 1);
    EXPECT_EQ(mask, expected);
    // Rewards: main correct -> 1.0; sub did its own subtask -> 0.1 + 0.4 + 0.5.
    EXPECT_DOUBLE_EQ(r.rewardMain, 1.0);
    EXPECT_DOUBLE_EQ(sub.reward, 1.0);
    EXPECT_EQ(r.invocationCount("searcher"), 1);
}

TEST(Runtime, TwoDelegationsWrongFinalAnswerSharesTheOutcome) {
    FakeTask task;
    auto runtime = makeRuntime(testTopology(), planner(2));
    auto r = runtime.run({&task}, 1, 0)[0];
    ASSERT_EQ(r.invocations.size(), 3u);
    EXPECT_EQ(r.main().answer, "green");
    EXPECT_FALSE(r.correct);
    EXPECT_DOUBLE_EQ(r.rewardMain, 0.1);
    EXPECT_DOUBLE_EQ(r.invocations[1].reward, 0.1 + 0.5);  // own subtask right, main wrong
    EXPECT_DOUBLE_EQ(r.invocations[2].reward, 0.1);        // "find sea" has no expert credit here
}

TEST(Runtime, EachAgentActsOnceperRoundForAllRollouts) {
    FakeTask a, b;
    std::map<int, int> calls;
    auto runtime = makeRuntime(testTopology(), planner(1, &calls));
    auto rollouts = runtime.run({&a, &b}, 3, 0);
    ASSERT_EQ(rollouts.size(), 6u);
    for (size_t i = 0; i < rollouts.size(); ++i) {
        EXPECT_EQ(rollouts[i].query, static_cast<int>(i / 3));
        EXPECT_EQ(rollouts[i].sample, static_cast<int>(i % 3));
    }
    // 6 main invocations act twice, 6 searchers twice: 2 batched calls per agent.
    EXPECT_EQ(runtime.lastStats().policyCalls.at("main"), 2);
    EXPECT_EQ(runtime.lastStats().policyCalls.at("searcher"), 2);
    EXPECT_EQ(runtime.lastStats().actionsTaken.at("searcher"), 12);
    EXPECT_EQ(runtime.lastStats().rounds, 4);
}

TEST(Runtime, LimitsAndMalformedActionsAreFormatErrors) {
    FakeTask task;
    auto expectError = [&](const Topology& t, ScriptedPolicy::Script main, const std::string& text,
                           ScriptedPolicy::Script sub = searcher) {
        auto runtime = makeRuntime(t, std::move(main), std::move(sub));
        auto r = runtime.run({&task}, 1, 0)[0];
        bool found = false;
        for (const auto& inv : r.invocations) found |= !inv.formatValid && inv.formatError.find(text) != std::string::npos;
        EXPECT_TRUE(found) << "expected a format error containing '" << text << "'";
        return r;
    };
    auto r = expectError(testTopology(), [](const PolicyRequest&) { return std::string("blue blue"); }, "malformed");
    EXPECT_DOUBLE_EQ(r.rewardMain, 0.0);

    auto t = testTopology();
    t.agents[1].maxTurns = 1;  // the searcher's look uses its only turn
    r = expectError(t, planner(1), "turn limit of 1");
    EXPECT_EQ(r.invocations[1].reward, 0.0);
    EXPECT_EQ(r.main().segments[2].text, "<result> none </result>");

    expectError(testTopology(), [](const PolicyRequest&) { return std::string("<call> look sky </call>"); },
                "tool 'look' is not available to agent 'main'");
    expectError(testTopology(), [](const PolicyRequest&) { return std::string("<delegate> main find sky </delegate>"); },
                "may not delegate to 'main'");

    // The searcher's prompt (P tokens) and its look (A tokens), measured with room to spare.
    auto measured = makeRuntime(testTopology(), planner(1), searcher).run({&task}, 1, 0)[0].invocations[1];
    const int P = static_cast<int>(measured.segments[0].tokens.size());
    const int A = static_cast<int>(measured.segments[1].tokens.size());
    ASSERT_EQ(measured.segments[1].kind, SegmentKind::Action);
    ASSERT_GT(measured.segments[2].tokens.size(), 1u);  // the observation
    // Room for the look and one observation token: the observation is cut to fit,
    // and the next turn finds the context full.
    t = testTopology();
    t.agents[1].model.contextLength = P + A + 1;
    r = expectError(t, planner(1), "context of " + std::to_string(P + A + 1) + " tokens is full");
    EXPECT_EQ(r.invocations[1].tokens().size(), static_cast<size_t>(P + A + 1));
    EXPECT_EQ(r.invocations[1].segments[2].tokens.size(), 1u);
    // Less room than the look needs (a scripted policy ignores limits): the action
    // is cut at the context and is a format error.
    t.agents[1].model.contextLength = P + A - 1;
    r = expectError(t, planner(1), "action longer than the " + std::to_string(A - 1) + " tokens left");
    EXPECT_EQ(r.invocations[1].tokens().size(), static_cast<size_t>(P + A - 1));
    // The same for the per-turn budget.
    t = testTopology();
    t.agents[1].maxTokensPerTurn = A - 1;
    expectError(t, planner(1), "action longer than the " + std::to_string(A - 1) + " tokens left");
}
