// The action language agents generate and the context the runtime builds around
// it: <call>/<delegate>/<answer> actions, <obs>/<result> responses, <question>/<task>
// prompts, the action parser and answer checking. Pure text; running a sub-agent
// for a delegation is the rollout runtime's job, not this file's.
#pragma once

#include "core/env/tools.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mgrpo::core::env {

namespace token {
inline constexpr std::string_view kQuestion = "<question>", kQuestionEnd = "</question>";
inline constexpr std::string_view kTask = "<task>", kTaskEnd = "</task>";
inline constexpr std::string_view kCall = "<call>", kCallEnd = "</call>";
inline constexpr std::string_view kObs = "<obs>", kObsEnd = "</obs>";
inline constexpr std::string_view kDelegate = "<delegate>", kDelegateEnd = "</delegate>";
inline constexpr std::string_view kResult = "<result>", kResultEnd = "</result>";
inline constexpr std::string_view kAnswer = "<answer>", kAnswerEnd = "</answer>";
// An optional note an agent may write before its action in the same turn
// ("<think> words </think> <answer> ... </answer>"). The experts use it to
// restate the fact they read, so the answer that follows is a copy of the words
// just written: a small model learns that copy far sooner than a lookup keyed
// by the task at the top of a long context.
inline constexpr std::string_view kThink = "<think>", kThinkEnd = "</think>";
}  // namespace token

// Observation the runtime may append after an Invalid action (its words are in vocabulary()).
inline constexpr std::string_view kInvalidActionObservation = "error invalid action";
// Result the runtime may return for a sub-agent that never answered.
inline constexpr std::string_view kNoResult = "none";

enum class Role { Planner, SubAgent, Single };
std::string roleName(Role role);  // "planner", "sub_agent", "single"

// One agent invocation as the agent sees it.
struct AgentView {
    Role role = Role::Single;
    std::string task;  // question text (Planner, Single) or subtask instruction (SubAgent)
    // (action text as generated, response as appended: "<obs> ... </obs>" or
    // "<result> ... </result>"; bare response words are accepted too).
    std::vector<std::pair<std::string, std::string>> turns;
};

enum class ActionKind { Call, Delegate, Answer, Invalid };

struct Action {
    ActionKind kind = ActionKind::Invalid;
    std::string tool;    // Call: tool name
    std::string args;    // Call: argument words
    std::string target;  // Delegate: agent slot name
    std::string text;    // Delegate: subtask words; Answer: answer words
    std::string thought; // words of a leading <think> note ("" without one); any kind but Invalid
    std::string error;   // Invalid: why, for people (inspector, logs)
};

// Strict: exactly one action, opening token first (after an optional non-empty
// <think> note), closing token last, no protocol token inside, known tool / agent
// slot, non-empty content. Whitespace is free.
Action parseAction(std::string_view generated, const ToolRegistry& tools);
Action parseAction(std::string_view generated);  // built-in tools

// Closing tokens of actions: the stop tokens of one agent turn.
std::vector<std::string> stopWords();
// Every protocol token, opening and closing.
std::vector<std::string> protocolTokens();
// Names a planner may delegate to (one vocabulary word each).
const std::vector<std::string>& agentSlotNames();

std::string callAction(std::string_view tool, std::string_view args);
std::string delegateAction(std::string_view target, std::string_view subtask);
std::string answerAction(std::string_view answer);
// "<think> words </think> action": a note in front of an action.
std::string withThought(std::string_view thought, std::string_view action);
std::string renderAction(const Action& action);  // "" for Invalid
std::string thoughtText(std::string_view words);      // "<think> words </think>"
std::string observationText(std::string_view words);  // "<obs> words </obs>"
std::string resultText(std::string_view words);       // "<result> words </result>"
// "<question> task </question>" (Planner, Single) or "<task> task </task>" (SubAgent).
std::string promptText(Role role, std::string_view task);
// Prompt followed by every turn's action and response: what the policy conditions on.
std::string renderContext(const AgentView& view);
// Words inside one enclosing pair of protocol tokens ("<obs> a b </obs>" -> "a b");
// normalised input unchanged if it is not wrapped.
std::string unwrap(std::string_view text);

// Runs a Call action's tool and wraps its output: "<obs> ... </obs>". Unknown tools
// and non-Call actions give kInvalidActionObservation inside <obs>.
std::string respondToCall(const Action& action, const World& world, const ToolRegistry& tools);

// Whitespace-normalised exact match.
bool answerMatches(std::string_view given, std::string_view gold);

}  // namespace mgrpo::core::env
