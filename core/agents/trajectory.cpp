#include "core/agents/trajectory.h"

#include <stdexcept>

namespace mgrpo::core {

std::vector<int> Invocation::tokens() const {
    std::vector<int> out;
    for (const auto& s : segments) out.insert(out.end(), s.tokens.begin(), s.tokens.end());
    return out;
}

std::vector<uint8_t> Invocation::lossMask() const {
    std::vector<uint8_t> out;
    for (const auto& s : segments) out.insert(out.end(), s.tokens.size(), s.kind == SegmentKind::Action ? 1 : 0);
    return out;
}

std::vector<float> Invocation::oldLogProbs() const {
    std::vector<float> out;
    for (const auto& s : segments) {
        if (s.kind == SegmentKind::Action && s.logProbs.size() == s.tokens.size())
            out.insert(out.end(), s.logProbs.begin(), s.logProbs.end());
        else
            out.insert(out.end(), s.tokens.size(), 0.0f);
    }
    return out;
}

size_t Invocation::length() const {
    size_t n = 0;
    for (const auto& s : segments) n += s.tokens.size();
    return n;
}

int Rollout::invocationCount(const std::string& agentId) const {
    int n = 0;
    for (const auto& inv : invocations) n += inv.agentId == agentId && inv.parent >= 0;
    return n;
}

std::string toString(SegmentKind kind) {
    switch (kind) {
        case SegmentKind::Prompt: return "prompt";
        case SegmentKind::Action: return "action";
        case SegmentKind::Observation: return "observation";
        case SegmentKind::Result: return "result";
    }
    return "?";
}

namespace {
SegmentKind segmentKindFromString(const std::string& s) {
    for (auto k : {SegmentKind::Prompt, SegmentKind::Action, SegmentKind::Observation, SegmentKind::Result})
        if (toString(k) == s) return k;
    throw std::invalid_argument("unknown segment kind '" + s + "'");
}
}  // namespace

nlohmann::json toJson(const Invocation& inv) {
    auto segments = nlohmann::json::array();
    for (const auto& s : inv.segments) {
        nlohmann::json js{{"kind", toString(s.kind)}, {"text", s.text}, {"tokens", s.tokens}};
        if (!s.logProbs.empty()) js["log_probs"] = s.logProbs;
        segments.push_back(std::move(js));
    }
    return {{"id", inv.id},
            {"parent", inv.parent},
            {"agent", inv.agentId},
            {"task", inv.task},
            {"segments", segments},
            {"children", inv.children},
            {"turns", inv.turns},
            {"finished", inv.finished},
            {"format_valid", inv.formatValid},
            {"format_error", inv.formatError},
            {"answer", inv.answer},
            {"reward", inv.reward},
            {"expert_score", inv.expertScore},
            {"advantage", inv.advantage},
            {"alignment", inv.alignment}};
}

nlohmann::json toJson(const Rollout& r) {
    auto invs = nlohmann::json::array();
    for (const auto& inv : r.invocations) invs.push_back(toJson(inv));
    return {{"query", r.query},
            {"sample", r.sample},
            {"correct", r.correct},
            {"reward_main", r.rewardMain},
            {"invocations", invs}};
}

Rollout rolloutFromJson(const nlohmann::json& j) {
    Rollout r;
    r.query = j.at("query").get<int>();
    r.sample = j.at("sample").get<int>();
    r.correct = j.at("correct").get<bool>();
    r.rewardMain = j.at("reward_main").get<double>();
    for (const auto& ji : j.at("invocations")) {
        Invocation inv;
        inv.id = ji.at("id").get<int>();
        inv.parent = ji.at("parent").get<int>();
        inv.agentId = ji.at("agent").get<std::string>();
        inv.task = ji.at("task").get<std::string>();
        for (const auto& js : ji.at("segments")) {
            Segment s;
            s.kind = segmentKindFromString(js.at("kind").get<std::string>());
            s.text = js.at("text").get<std::string>();
            s.tokens = js.at("tokens").get<std::vector<int>>();
            if (js.contains("log_probs")) s.logProbs = js.at("log_probs").get<std::vector<float>>();
            inv.segments.push_back(std::move(s));
        }
        inv.children = ji.at("children").get<std::vector<int>>();
        inv.turns = ji.at("turns").get<int>();
        inv.finished = ji.at("finished").get<bool>();
        inv.formatValid = ji.at("format_valid").get<bool>();
        inv.formatError = ji.at("format_error").get<std::string>();
        inv.answer = ji.at("answer").get<std::string>();
        inv.reward = ji.at("reward").get<double>();
        inv.expertScore = ji.at("expert_score").get<double>();
        inv.advantage = ji.at("advantage").get<double>();
        inv.alignment = ji.at("alignment").get<std::string>();
        r.invocations.push_back(std::move(inv));
    }
    return r;
}

}  // namespace mgrpo::core
