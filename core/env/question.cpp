#include "core/env/question.h"

#include "core/env/words.h"

namespace mgrpo::core::env {

std::string instructionFor(const Subtask& s, const std::vector<std::string>& in) {
    auto input = [&](size_t k) { return k < in.size() && !in[k].empty() ? normaliseWords(in[k]) : std::string("none"); };
    if (s.toolHint == "calc") return "calc " + input(0) + " " + s.relation + " " + input(1);
    return "find " + s.relation + " of " + (s.subject.empty() ? input(0) : s.subject);
}

nlohmann::json toJson(const Subtask& s) {
    return {{"instruction", s.instruction}, {"answer", s.answer},   {"tool_hint", s.toolHint},
            {"relation", s.relation},       {"subject", s.subject}, {"inputs", s.inputs}};
}

nlohmann::json toJson(const Question& q) {
    nlohmann::json subtasks = nlohmann::json::array();
    for (const auto& s : q.subtasks) subtasks.push_back(toJson(s));
    return {{"seed", q.seed},         {"stage", q.stage},          {"text", q.text},
            {"answer", q.answer},     {"subtasks", subtasks},      {"world", q.world.toJson()}};
}

}  // namespace mgrpo::core::env
