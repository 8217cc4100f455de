// A generated question with its own world, gold answer and gold plan (subtasks that,
// chained in order, produce the answer), plus JSON for the trajectory inspector and
// the run database. Generation: question_generator.h.
#pragma once

#include "core/env/world.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core::env {

// One step of the gold plan: a one-hop lookup ("find born_in of vel dor", tool hint
// "open") or a comparison of two earlier answers ("calc 1 9 8 4 greater 1 9 7 0",
// tool hint "calc").
struct Subtask {
    std::string instruction;  // with the gold answers of `inputs` filled in
    std::string answer;       // gold answer words
    std::string toolHint;     // "open" (search then open a page) or "calc"
    std::string relation;     // relation / attribute word, or the calc operator
    std::string subject;      // entity name starting a chain; "" when it comes from inputs[0]
    std::vector<int> inputs;  // earlier subtasks whose answers this one consumes

    bool operator==(const Subtask&) const = default;
};

// The instruction for `subtask` given the answers its inputs actually produced
// (a planner substitutes the results its sub-agents returned).
std::string instructionFor(const Subtask& subtask, const std::vector<std::string>& inputAnswers);

struct Question {
    uint64_t seed = 0;
    int stage = 1;
    std::string text;    // e.g. "what is population of born_in of vel dor ?"
    std::string answer;  // gold answer words
    std::vector<Subtask> subtasks;
    World world;
};

// Everything except the world's pages; the world is regenerable from its seed and spec.
nlohmann::json toJson(const Question& question);
nlohmann::json toJson(const Subtask& subtask);

}  // namespace mgrpo::core::env
