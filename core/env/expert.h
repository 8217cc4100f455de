// Scripted expert policies that solve questions through the same protocol as the
// learned agents, for supervised warm-start demonstrations. They know the gold plan
// but read every fact from the observations / results in the view, and make
// seeded, tunable mistakes. Not a runtime: the caller executes the actions.
#pragma once

#include "core/env/protocol.h"
#include "core/env/question.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace mgrpo::core::env {

// Each rate is a per-step probability; all 0 gives a perfect expert.
struct ExpertConfig {
    double wrongHop = 0.0;          // planner: wrong relation in a delegation; sub-agent / single:
                                    // open a look-alike page (or read the wrong relation)
    double skipVerification = 0.0;  // sub-agent / single: answer from the search snippet without
                                    // opening the page; planner: guess a comparison without calc
    double prematureAnswer = 0.0;   // planner / single: answer with the latest value before the plan ends
    uint64_t seed = 0;              // mistakes are a deterministic function of this, the question and the step
    std::string delegateTo = "searcher";  // agent slot the planner delegates to

    bool operator==(const ExpertConfig&) const = default;
};

nlohmann::json toJson(const ExpertConfig& config);
ExpertConfig expertConfigFromJson(const nlohmann::json& json, const std::string& context = "expert");

class Expert {
public:
    explicit Expert(ExpertConfig config = {});

    // The next action (text ending with its closing token) for this invocation.
    // Planner: delegates each lookup in order (substituting returned results), calls
    // calc for a comparison, answers. SubAgent: search, open, read the fact, answer after a
    // <think> note restating the sentence read;
    // handles "find R of X" and "calc ..." tasks. Single: all of it with its own tools.
    // Stateless: it replays its own script against view.turns.
    std::string act(const AgentView& view, const Question& question) const;

    const ExpertConfig& config() const { return m_config; }

private:
    ExpertConfig m_config;
};

}  // namespace mgrpo::core::env
