// Test-only loop driver: feeds an expert's actions through parseAction and the
// tools, runs the sub-agent expert for every delegation and returns its answer as
// the <result>. Records context lengths and every context for vocabulary checks.
// The real rollout runtime lives elsewhere; this is just enough to verify the env.
#pragma once

#include "core/env/expert.h"
#include "core/env/protocol.h"
#include "core/env/words.h"

#include <string>
#include <vector>

namespace mgrpo::test {

struct EpisodeStats {
    bool valid = true;
    std::string error;
    int contextTokens = 0;               // the top-level agent's full context at its answer
    std::vector<int> subContextTokens;   // each sub-agent's full context at its answer
    int delegations = 0;
    std::vector<std::string> contexts;   // every invocation's final context
};

// Runs one agent invocation to its answer; returns the answer words ("none" on failure).
inline std::string runInvocation(core::env::Role role, const std::string& task, const core::env::Question& q,
                                 const core::env::Expert& expert, const core::env::Expert& subExpert,
                                 EpisodeStats& stats, int maxTurns = 24) {
    using namespace core::env;
    AgentView view{role, task, {}};
    for (int turn = 0; turn < maxTurns; ++turn) {
        const std::string text = expert.act(view, q);
        const Action a = parseAction(text);
        if (a.kind == ActionKind::Invalid || (a.kind == ActionKind::Delegate && role != Role::Planner)) {
            stats.valid = false;
            stats.error = roleName(role) + " produced '" + text + "': " + a.error;
            return std::string(kNoResult);
        }
        if (a.kind == ActionKind::Call) {
            view.turns.emplace_back(text, respondToCall(a, q.world, ToolRegistry::builtin()));
        } else if (a.kind == ActionKind::Delegate) {
            ++stats.delegations;
            const std::string result = runInvocation(Role::SubAgent, a.text, q, subExpert, subExpert, stats, maxTurns);
            view.turns.emplace_back(text, resultText(result));
        } else {
            const std::string context = renderContext(view) + " " + text;
            (role == Role::SubAgent ? stats.subContextTokens.emplace_back() : stats.contextTokens) = countWords(context);
            stats.contexts.push_back(context);
            return a.text;
        }
    }
    stats.valid = false;
    stats.error = roleName(role) + " hit the turn limit";
    return std::string(kNoResult);
}

// A whole episode from the question: Planner (with sub-agents) or Single.
inline std::string runEpisode(core::env::Role role, const core::env::Question& q, const core::env::Expert& expert,
                              const core::env::Expert& subExpert, EpisodeStats& stats) {
    return runInvocation(role, q.text, q, expert, subExpert, stats);
}

}  // namespace mgrpo::test
