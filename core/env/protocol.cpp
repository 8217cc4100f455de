#include "core/env/protocol.h"

#include "core/env/words.h"

#include <algorithm>

namespace mgrpo::core::env {

namespace {

struct Pair {
    std::string_view open, close;
};
const Pair kPairs[] = {{token::kQuestion, token::kQuestionEnd}, {token::kTask, token::kTaskEnd},
                       {token::kCall, token::kCallEnd},         {token::kObs, token::kObsEnd},
                       {token::kDelegate, token::kDelegateEnd}, {token::kResult, token::kResultEnd},
                       {token::kAnswer, token::kAnswerEnd},     {token::kThink, token::kThinkEnd}};

bool isProtocolToken(std::string_view w) {
    return std::any_of(std::begin(kPairs), std::end(kPairs), [&](const Pair& p) { return w == p.open || w == p.close; });
}

bool isActionOpening(std::string_view w) {
    return w == token::kCall || w == token::kDelegate || w == token::kAnswer;
}

std::string_view closingOf(std::string_view opening) {
    for (const auto& p : kPairs)
        if (p.open == opening) return p.close;
    return {};
}

Action invalid(std::string why) {
    Action a;
    a.error = std::move(why);
    return a;
}

std::string wrap(std::string_view open, std::string_view words, std::string_view close) {
    const std::string inner = normaliseWords(words);
    return std::string(open) + " " + (inner.empty() ? "" : inner + " ") + std::string(close);
}

// One action without a note: the words from its opening token to its closing one.
Action parseBareAction(const std::vector<std::string>& words, const ToolRegistry& tools) {
    if (!isActionOpening(words[0])) return invalid("expected <call>, <delegate> or <answer> first, got '" + words[0] + "'");
    const std::string_view close = closingOf(words[0]);
    const auto closeIt = std::find(words.begin() + 1, words.end(), close);
    const bool secondOpening = std::any_of(words.begin() + 1, words.end(), [](const std::string& w) { return isActionOpening(w); });
    if (closeIt == words.end())
        return invalid(secondOpening ? "two actions" : "missing closing token " + std::string(close));
    if (closeIt + 1 != words.end())
        return invalid(secondOpening ? "two actions" : "text after the closing token " + std::string(close));
    const std::vector<std::string> inner(words.begin() + 1, closeIt);
    for (const auto& w : inner)
        if (isProtocolToken(w)) return invalid(secondOpening ? "two actions" : "protocol token '" + w + "' inside the action");

    Action a;
    if (words[0] == token::kCall) {
        if (inner.empty()) return invalid("missing tool name");
        if (!tools.find(inner[0])) return invalid("unknown tool '" + inner[0] + "'");
        if (inner.size() == 1) return invalid("empty arguments for " + inner[0]);
        a.kind = ActionKind::Call;
        a.tool = inner[0];
        a.args = joinWords(inner, 1);
    } else if (words[0] == token::kDelegate) {
        if (inner.empty()) return invalid("missing agent name");
        const auto& slots = agentSlotNames();
        if (std::find(slots.begin(), slots.end(), inner[0]) == slots.end())
            return invalid("unknown agent '" + inner[0] + "'");
        if (inner.size() == 1) return invalid("empty subtask for " + inner[0]);
        a.kind = ActionKind::Delegate;
        a.target = inner[0];
        a.text = joinWords(inner, 1);
    } else {
        if (inner.empty()) return invalid("empty answer");
        a.kind = ActionKind::Answer;
        a.text = joinWords(inner);
    }
    return a;
}

}  // namespace

std::string roleName(Role role) {
    switch (role) {
        case Role::Planner: return "planner";
        case Role::SubAgent: return "sub_agent";
        case Role::Single: return "single";
    }
    return "unknown";
}

Action parseAction(std::string_view generated, const ToolRegistry& tools) {
    auto words = splitWords(generated);
    if (words.empty()) return invalid("empty action");
    std::string thought;
    if (words[0] == token::kThink) {
        const auto end = std::find(words.begin() + 1, words.end(), token::kThinkEnd);
        if (end == words.end()) return invalid("missing closing token " + std::string(token::kThinkEnd));
        const std::vector<std::string> note(words.begin() + 1, end);
        if (note.empty()) return invalid("empty note");
        for (const auto& w : note)
            if (isProtocolToken(w)) return invalid("protocol token '" + w + "' inside the note");
        thought = joinWords(note);
        words.erase(words.begin(), end + 1);
        if (words.empty()) return invalid("a note without an action");
    }
    auto a = parseBareAction(words, tools);
    if (a.kind != ActionKind::Invalid) a.thought = std::move(thought);
    return a;
}

Action parseAction(std::string_view generated) { return parseAction(generated, ToolRegistry::builtin()); }

std::vector<std::string> stopWords() {
    return {std::string(token::kCallEnd), std::string(token::kDelegateEnd), std::string(token::kAnswerEnd)};
}

std::vector<std::string> protocolTokens() {
    std::vector<std::string> out;
    for (const auto& p : kPairs) {
        out.emplace_back(p.open);
        out.emplace_back(p.close);
    }
    return out;
}

const std::vector<std::string>& agentSlotNames() {
    static const std::vector<std::string> names = {"searcher", "analyst", "agent1", "agent2", "agent3", "agent4"};
    return names;
}

std::string callAction(std::string_view tool, std::string_view args) {
    return wrap(token::kCall, std::string(tool) + " " + std::string(args), token::kCallEnd);
}
std::string delegateAction(std::string_view target, std::string_view subtask) {
    return wrap(token::kDelegate, std::string(target) + " " + std::string(subtask), token::kDelegateEnd);
}
std::string answerAction(std::string_view answer) { return wrap(token::kAnswer, answer, token::kAnswerEnd); }
std::string withThought(std::string_view thought, std::string_view action) {
    return thoughtText(thought) + " " + std::string(action);
}
std::string thoughtText(std::string_view words) { return wrap(token::kThink, words, token::kThinkEnd); }
std::string observationText(std::string_view words) { return wrap(token::kObs, words, token::kObsEnd); }
std::string resultText(std::string_view words) { return wrap(token::kResult, words, token::kResultEnd); }

std::string renderAction(const Action& a) {
    std::string bare;
    switch (a.kind) {
        case ActionKind::Call: bare = callAction(a.tool, a.args); break;
        case ActionKind::Delegate: bare = delegateAction(a.target, a.text); break;
        case ActionKind::Answer: bare = answerAction(a.text); break;
        case ActionKind::Invalid: return "";
    }
    return a.thought.empty() ? bare : withThought(a.thought, bare);
}

std::string promptText(Role role, std::string_view task) {
    return role == Role::SubAgent ? wrap(token::kTask, task, token::kTaskEnd)
                                  : wrap(token::kQuestion, task, token::kQuestionEnd);
}

std::string renderContext(const AgentView& view) {
    std::string out = promptText(view.role, view.task);
    for (const auto& [action, response] : view.turns) {
        out += ' ';
        out += normaliseWords(action);
        const std::string r = normaliseWords(response);
        if (!r.empty()) {
            out += ' ';
            out += r;
        }
    }
    return out;
}

std::string unwrap(std::string_view text) {
    const auto words = splitWords(text);
    if (words.size() >= 2 && closingOf(words.front()) == words.back())
        return joinWords(words, 1, words.size() - 1);
    return joinWords(words);
}

std::string respondToCall(const Action& action, const World& world, const ToolRegistry& tools) {
    const Tool* tool = action.kind == ActionKind::Call ? tools.find(action.tool) : nullptr;
    return observationText(tool ? tool->call(action.args, world) : std::string(kInvalidActionObservation));
}

bool answerMatches(std::string_view given, std::string_view gold) { return normaliseWords(given) == normaliseWords(gold); }

}  // namespace mgrpo::core::env
