// Action parsing (valid forms and each malformed kind), rendering, answer matching.
#include "core/env/protocol.h"

#include <gtest/gtest.h>

using namespace mgrpo::core::env;

TEST(ParseAction, ValidActions) {
    const Action call = parseAction("  <call> search vel\n dor </call> ");
    ASSERT_EQ(call.kind, ActionKind::Call) << call.error;
    EXPECT_EQ(call.tool, "search");
    EXPECT_EQ(call.args, "vel dor");

    const Action del = parseAction("<delegate> searcher find born_in of vel dor </delegate>");
    ASSERT_EQ(del.kind, ActionKind::Delegate) << del.error;
    EXPECT_EQ(del.target, "searcher");
    EXPECT_EQ(del.text, "find born_in of vel dor");

    const Action ans = parseAction("<answer> 1 9 8 4 </answer>");
    ASSERT_EQ(ans.kind, ActionKind::Answer) << ans.error;
    EXPECT_EQ(ans.text, "1 9 8 4");

    for (const Action& a : {call, del, ans}) EXPECT_EQ(parseAction(renderAction(a)).text, a.text);
}

TEST(ParseAction, ANoteMayPrecedeAnyAction) {
    const Action ans = parseAction("<think> vel dor born_in kal </think>\n <answer> kal </answer>");
    ASSERT_EQ(ans.kind, ActionKind::Answer) << ans.error;
    EXPECT_EQ(ans.thought, "vel dor born_in kal");
    EXPECT_EQ(ans.text, "kal");
    EXPECT_EQ(renderAction(ans), "<think> vel dor born_in kal </think> <answer> kal </answer>");
    EXPECT_EQ(renderAction(ans), withThought("vel dor born_in kal", answerAction("kal")));

    const Action call = parseAction("<think> look it up </think> <call> search vel dor </call>");
    ASSERT_EQ(call.kind, ActionKind::Call) << call.error;
    EXPECT_EQ(call.args, "vel dor");
    EXPECT_EQ(call.thought, "look it up");
    EXPECT_EQ(parseAction("<answer> kal </answer>").thought, "");

    const std::pair<const char*, const char*> cases[] = {
        {"<think> vel dor", "missing closing token </think>"},
        {"<think> </think> <answer> kal </answer>", "empty note"},
        {"<think> vel dor </think>", "a note without an action"},
        {"<think> vel <obs> dor </think> <answer> kal </answer>", "protocol token '<obs>' inside the note"},
        {"<think> a </think> <think> b </think> <answer> kal </answer>", "expected"},
        {"<answer> kal </answer> <think> a </think>", "text after"},
    };
    for (const auto& [text, reason] : cases) {
        const Action a = parseAction(text);
        EXPECT_EQ(a.kind, ActionKind::Invalid) << text;
        EXPECT_NE(a.error.find(reason), std::string::npos) << text << " -> " << a.error;
        EXPECT_EQ(a.thought, "") << text;
    }
}

TEST(ParseAction, MalformedActionsAreInvalidWithAReason) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "empty"},
        {"search vel dor", "expected"},
        {"<obs> a </obs>", "expected"},
        {"<call> search vel dor", "missing closing"},
        {"<call> search vel dor </answer>", "missing closing"},
        {"<call> </call>", "missing tool"},
        {"<call> fly to the moon </call>", "unknown tool"},
        {"<call> search </call>", "empty arguments"},
        {"<call> search vel </call> dor", "text after"},
        {"<call> search vel </call> <answer> dor </answer>", "two actions"},
        {"<call> search vel <answer> dor </answer>", "two actions"},
        {"<call> search <obs> vel </call>", "protocol token"},
        {"<delegate> </delegate>", "missing agent"},
        {"<delegate> planner find born_in of x </delegate>", "unknown agent"},
        {"<delegate> searcher </delegate>", "empty subtask"},
        {"<answer> </answer>", "empty answer"},
        {"<answer> yes </answer> </answer>", "text after"},
    };
    for (const auto& [text, reason] : cases) {
        const Action a = parseAction(text);
        EXPECT_EQ(a.kind, ActionKind::Invalid) << text;
        EXPECT_NE(a.error.find(reason), std::string::npos) << text << " -> " << a.error;
        EXPECT_EQ(renderAction(a), "");
    }
}

TEST(Protocol, StopWordsAndTokens) {
    EXPECT_EQ(stopWords(), (std::vector<std::string>{"</call>", "</delegate>", "</answer>"}));
    EXPECT_EQ(protocolTokens().size(), 16u);  // 8 pairs, <think> </think> included
    EXPECT_EQ(agentSlotNames().front(), "searcher");
}

TEST(Protocol, PromptsContextAndUnwrap) {
    EXPECT_EQ(promptText(Role::Planner, "what is x ?"), "<question> what is x ? </question>");
    EXPECT_EQ(promptText(Role::SubAgent, " find  a of b "), "<task> find a of b </task>");
    AgentView v{Role::SubAgent, "find a of b", {{"<call> search b </call>", "<obs> page b : b a c . </obs>"}}};
    EXPECT_EQ(renderContext(v), "<task> find a of b </task> <call> search b </call> <obs> page b : b a c . </obs>");
    EXPECT_EQ(observationText(""), "<obs> </obs>");
    EXPECT_EQ(unwrap("<result>  kal tor </result>"), "kal tor");
    EXPECT_EQ(unwrap("kal tor"), "kal tor");
    EXPECT_EQ(unwrap("<obs> a </result>"), "<obs> a </result>");
    EXPECT_EQ(roleName(Role::SubAgent), "sub_agent");
}

TEST(Protocol, AnswerMatchingIsWhitespaceNormalisedExact) {
    EXPECT_TRUE(answerMatches(" 1 9\t8 4 ", "1 9 8 4"));
    EXPECT_TRUE(answerMatches("vel dor", "vel  dor"));
    EXPECT_FALSE(answerMatches("vel", "vel dor"));
    EXPECT_FALSE(answerMatches("dor vel", "vel dor"));
    EXPECT_FALSE(answerMatches("Yes", "yes"));
}

TEST(Protocol, RespondToCallRunsTheTool) {
    const World w = World::generate(WorldSpec{}, 2);
    const std::string name = w.entity(0).name;
    EXPECT_EQ(respondToCall(parseAction(callAction("open", name)), w, ToolRegistry::builtin()),
              "<obs> " + w.pageText(0) + " </obs>");
    EXPECT_EQ(respondToCall(parseAction("<call> calc 2 plus 2 </call>"), w, ToolRegistry::builtin()), "<obs> 4 </obs>");
    EXPECT_EQ(respondToCall(parseAction("<answer> x </answer>"), w, ToolRegistry::builtin()),
              "<obs> error invalid action </obs>");
}
