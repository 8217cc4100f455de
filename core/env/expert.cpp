#include "core/env/expert.h"

#include "core/env/rng.h"
#include "core/env/words.h"
#include "core/util/json_fields.h"

#include <algorithm>
#include <optional>

namespace mgrpo::core::env {

nlohmann::json toJson(const ExpertConfig& c) {
    return {{"wrong_hop", c.wrongHop},
            {"skip_verification", c.skipVerification},
            {"premature_answer", c.prematureAnswer},
            {"seed", c.seed},
            {"delegate_to", c.delegateTo}};
}

ExpertConfig expertConfigFromJson(const nlohmann::json& j, const std::string& ctx) {
    ExpertConfig c;
    c.wrongHop = readRanged(j, ctx, "wrong_hop", c.wrongHop, 0.0, 1.0);
    c.skipVerification = readRanged(j, ctx, "skip_verification", c.skipVerification, 0.0, 1.0);
    c.prematureAnswer = readRanged(j, ctx, "premature_answer", c.prematureAnswer, 0.0, 1.0);
    c.seed = readField(j, ctx, "seed", c.seed);
    c.delegateTo = readField(j, ctx, "delegate_to", c.delegateTo);
    const auto& slots = agentSlotNames();
    if (std::find(slots.begin(), slots.end(), c.delegateTo) == slots.end())
        throw ConfigError(ctx + ".delegate_to = '" + c.delegateTo + "' is not an agent slot name");
    return c;
}

namespace {

// Replays the expert's script against the turns already taken: each scripted action
// receives its recorded response; the first action without one is the next action.
class Replay {
public:
    explicit Replay(const AgentView& view) : m_turns(view.turns) {}

    // The response to `action`, or nullopt after remembering `action` as the next one.
    std::optional<std::string> take(std::string action) {
        if (m_next < m_turns.size()) return unwrap(m_turns[m_next++].second);
        m_action = std::move(action);
        return std::nullopt;
    }
    const std::string& action() const { return m_action; }

private:
    const std::vector<std::pair<std::string, std::string>>& m_turns;
    size_t m_next = 0;
    std::string m_action;
};

enum class Mistake : uint64_t { WrongHop = 1, Skip = 2, Premature = 3, Choice = 4 };

// Seeded per (config, question, role, task, step, kind), so a replayed script makes
// the same choices on every call.
class Dice {
public:
    Dice(const ExpertConfig& c, const Question& q, const AgentView& v)
        : m_base(combine(combine(c.seed, q.seed), combine(static_cast<uint64_t>(v.role), hashText(v.task)))) {}

    bool roll(Mistake kind, int step, double rate) const { return rate > 0 && unitFromHash(key(kind, step)) < rate; }
    uint64_t number(Mistake kind, int step) const { return mix64(key(kind, step)); }

private:
    uint64_t key(Mistake kind, int step) const {
        return combine(m_base, static_cast<uint64_t>(kind) * 1000003ull + static_cast<uint64_t>(step));
    }
    uint64_t m_base;
};

std::string orNone(const std::string& words) { return words.empty() ? std::string(kNoResult) : words; }

struct Sentence {
    std::string subject, relation, object;
};

// "a b born_in c . a b birth_year 1 9 8 4 ." -> sentences split at their relation word.
std::vector<Sentence> parseSentences(const std::string& text) {
    std::vector<Sentence> out;
    std::vector<std::string> words;
    auto flush = [&] {
        for (size_t i = 0; i < words.size(); ++i)
            if (words[i] == kTypeRelation || findRelation(words[i])) {
                out.push_back({joinWords(words, 0, i), words[i], joinWords(words, i + 1)});
                break;
            }
        words.clear();
    };
    for (auto& w : splitWords(text)) {
        if (w == ".") flush();
        else words.push_back(std::move(w));
    }
    flush();
    return out;
}

struct Hit {
    std::string page;
    std::string snippet;
};

// "page vel dor : vel dor born_in kaltor . page ..." -> hits.
std::vector<Hit> parseHits(const std::string& observation) {
    std::vector<Hit> hits;
    bool inTitle = false;
    for (const auto& w : splitWords(observation)) {
        if (w == "page") {
            hits.push_back({});
            inTitle = true;
        } else if (hits.empty()) {
            continue;  // "no results" or an error
        } else if (inTitle && w == ":") {
            inTitle = false;
        } else {
            std::string& field = inTitle ? hits.back().page : hits.back().snippet;
            field += (field.empty() ? "" : " ") + w;
        }
    }
    return hits;
}

std::optional<Sentence> readFact(const std::vector<Sentence>& sentences, const std::string& subject,
                                 const std::string& relation) {
    for (const auto& s : sentences)
        if (s.subject == subject && s.relation == relation) return s;
    return std::nullopt;
}

// What a lookup read: the value, and the sentence it came from (none when nothing matched).
struct Reading {
    std::string value;
    std::optional<Sentence> sentence;
};

Reading reading(const std::optional<Sentence>& s) { return {orNone(s ? s->object : ""), s}; }

// Searches for `subject`, opens its page and reads `relation` from it. Returns what
// it read, or nullopt when `replay` now holds the next action.
std::optional<Reading> lookup(Replay& replay, const Dice& dice, int step, const ExpertConfig& cfg,
                              const std::string& relation, const std::string& subject) {
    const auto found = replay.take(callAction("search", orNone(subject)));
    if (!found) return std::nullopt;
    const auto hits = parseHits(*found);

    if (dice.roll(Mistake::Skip, step, cfg.skipVerification)) {
        // Guess from the snippets: any sentence with the relation, else the first snippet's object.
        for (const auto& hit : hits)
            for (const auto& s : parseSentences(hit.snippet))
                if (s.relation == relation) return reading(s);
        const auto first = hits.empty() ? std::vector<Sentence>{} : parseSentences(hits.front().snippet);
        return reading(first.empty() ? std::nullopt : std::optional<Sentence>(first.front()));
    }

    // Page ids are names: the matching hit confirms the page (opened even if not listed).
    std::string page = orNone(subject);
    const bool wrong = dice.roll(Mistake::WrongHop, step, cfg.wrongHop);
    if (wrong)
        for (const auto& hit : hits)
            if (hit.page != page) {
                page = hit.page;
                break;
            }
    const auto opened = replay.take(callAction("open", page));
    if (!opened) return std::nullopt;
    const auto sentences = parseSentences(*opened);
    if (wrong && page == subject)  // no look-alike listed: read another of its facts instead
        for (const auto& s : sentences)
            if (s.subject == page && s.relation != relation && s.relation != kTypeRelation) return reading(s);
    return reading(readFact(sentences, page, relation));
}

std::optional<std::string> valueOf(const std::optional<Reading>& r) {
    return r ? std::optional<std::string>(r->value) : std::nullopt;
}

std::vector<std::string> inputValues(const Subtask& s, const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (int k : s.inputs) out.push_back(k >= 0 && static_cast<size_t>(k) < values.size() ? values[k] : "");
    return out;
}

// A comparison step shared by planner and single agent: calc, or a guess when skipping.
std::optional<std::string> compare(Replay& replay, const Dice& dice, int step, const ExpertConfig& cfg,
                                   const Subtask& s, const std::vector<std::string>& values) {
    if (dice.roll(Mistake::Skip, step, cfg.skipVerification))
        return dice.number(Mistake::Choice, step) % 2 ? std::string("yes") : std::string("no");
    const auto words = splitWords(instructionFor(s, inputValues(s, values)));
    const auto result = replay.take(callAction("calc", joinWords(words, 1)));
    // An error observation is not an answer worth demonstrating.
    if (result && *result == kBadArguments) return std::string(kNoResult);
    return result;
}

std::string otherRelation(const Dice& dice, int step, const std::string& relation) {
    std::vector<std::string> others;
    for (const auto& r : relations())
        if (r.word != relation) others.push_back(r.word);
    return others[dice.number(Mistake::Choice, step) % others.size()];
}

std::string runPlanner(Replay& replay, const Dice& dice, const ExpertConfig& cfg, const Question& q) {
    std::vector<std::string> values(q.subtasks.size());
    for (size_t j = 0; j < q.subtasks.size(); ++j) {
        const int step = static_cast<int>(j);
        if (j > 0 && dice.roll(Mistake::Premature, step, cfg.prematureAnswer)) return answerAction(orNone(values[j - 1]));
        const Subtask& s = q.subtasks[j];
        std::optional<std::string> value;
        if (s.toolHint == "calc") {
            value = compare(replay, dice, step, cfg, s, values);
        } else {
            Subtask asked = s;
            if (dice.roll(Mistake::WrongHop, step, cfg.wrongHop)) asked.relation = otherRelation(dice, step, s.relation);
            value = replay.take(delegateAction(cfg.delegateTo, instructionFor(asked, inputValues(s, values))));
        }
        if (!value) return replay.action();
        values[j] = *value;
    }
    return answerAction(orNone(values.empty() ? "" : values.back()));
}

std::string runSingle(Replay& replay, const Dice& dice, const ExpertConfig& cfg, const Question& q) {
    std::vector<std::string> values(q.subtasks.size());
    for (size_t j = 0; j < q.subtasks.size(); ++j) {
        const int step = static_cast<int>(j);
        if (j > 0 && dice.roll(Mistake::Premature, step, cfg.prematureAnswer)) return answerAction(orNone(values[j - 1]));
        const Subtask& s = q.subtasks[j];
        const auto in = inputValues(s, values);
        const auto value = s.toolHint == "calc"
                               ? compare(replay, dice, step, cfg, s, values)
                               : valueOf(lookup(replay, dice, step, cfg, s.relation,
                                                s.subject.empty() ? orNone(in.at(0)) : s.subject));
        if (!value) return replay.action();
        values[j] = *value;
    }
    return answerAction(orNone(values.empty() ? "" : values.back()));
}

// Reads its instruction ("find R of X" or "calc A op B"), not the gold plan.
std::string runSubAgent(Replay& replay, const Dice& dice, const ExpertConfig& cfg, const std::string& task) {
    const auto words = splitWords(task);
    std::optional<std::string> value;
    if (words.size() >= 4 && words[0] == "find" && words[2] == "of") {
        const auto read = lookup(replay, dice, 0, cfg, words[1], joinWords(words, 3));
        if (!read) return replay.action();
        // Restate the sentence read, then answer with its object (see token::kThink).
        if (!read->sentence) return answerAction(read->value);
        const auto& f = *read->sentence;
        return withThought(f.subject + " " + f.relation + " " + f.object, answerAction(read->value));
    } else if (words.size() >= 2 && words[0] == "calc") {
        value = replay.take(callAction("calc", joinWords(words, 1)));
    } else {
        value = std::string(kNoResult);
    }
    return value ? answerAction(orNone(*value)) : replay.action();
}

}  // namespace

Expert::Expert(ExpertConfig config) : m_config(std::move(config)) {}

std::string Expert::act(const AgentView& view, const Question& question) const {
    Replay replay(view);
    const Dice dice(m_config, question, view);
    switch (view.role) {
        case Role::Planner: return runPlanner(replay, dice, m_config, question);
        case Role::Single: return runSingle(replay, dice, m_config, question);
        case Role::SubAgent: return runSubAgent(replay, dice, m_config, view.task);
    }
    return answerAction(kNoResult);
}

}  // namespace mgrpo::core::env
