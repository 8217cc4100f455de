#include "core/env/question_generator.h"

#include "core/env/rng.h"
#include "core/env/words.h"
#include "core/util/json_fields.h"

#include <algorithm>

namespace mgrpo::core::env {

StageSpec StageSpec::stage(int stage) {
    StageSpec s;
    if (stage == 1) return s;  // the defaults
    if (stage != 2) throw ConfigError("stage = " + std::to_string(stage) + " is out of range [1, 2]");
    s.minHops = 3;
    s.maxHops = 4;
    s.comparisonRate = 0.5;
    s.comparisonHops = 2;
    // Ten sentences per page keep a sub-agent's whole context under ~150 tokens while
    // a single agent reading every page for 4 lookups fills several hundred.
    s.world = WorldSpec{6, 5, 4, 3, 1, 10};
    return s;
}

nlohmann::json toJson(const StageSpec& s) {
    return {{"min_hops", s.minHops},
            {"max_hops", s.maxHops},
            {"comparison_rate", s.comparisonRate},
            {"comparison_hops", s.comparisonHops},
            {"number_end_rate", s.numberEndRate},
            {"world", toJson(s.world)}};
}

StageSpec stageSpecFromJson(const nlohmann::json& j, const std::string& ctx) {
    StageSpec s;
    s.minHops = readRanged(j, ctx, "min_hops", s.minHops, 1, 8);
    s.maxHops = readRanged(j, ctx, "max_hops", s.maxHops, 1, 8);
    s.comparisonRate = readRanged(j, ctx, "comparison_rate", s.comparisonRate, 0.0, 1.0);
    s.comparisonHops = readRanged(j, ctx, "comparison_hops", s.comparisonHops, 1, 4);
    s.numberEndRate = readRanged(j, ctx, "number_end_rate", s.numberEndRate, 0.0, 1.0);
    if (j.contains("world")) s.world = worldSpecFromJson(j.at("world"), ctx + ".world");
    validate(s, ctx);
    return s;
}

void validate(const StageSpec& s, const std::string& ctx) {
    const nlohmann::json j = toJson(s);
    readRanged(j, ctx, "min_hops", 0, 1, 8);
    readRanged(j, ctx, "max_hops", 0, 1, 8);
    readRanged(j, ctx, "comparison_rate", 0.0, 0.0, 1.0);
    readRanged(j, ctx, "comparison_hops", 0, 1, 4);
    readRanged(j, ctx, "number_end_rate", 0.0, 0.0, 1.0);
    if (s.minHops > s.maxHops) throw ConfigError(ctx + ".min_hops must be <= " + ctx + ".max_hops");
    validate(s.world, ctx + ".world");
}

namespace {

// A walk along relations from a base entity; the last step may read an attribute.
struct Chain {
    int start = -1;
    std::vector<std::string> relations;
    std::vector<std::string> values;  // answer after each lookup
};

Chain walk(Rng& rng, const World& world, int lookups, bool endOnNumber) {
    std::vector<int> starts;
    for (int t = 0; t < kEntityTypeCount; ++t)
        for (int e : world.baseEntities(static_cast<EntityType>(t))) starts.push_back(e);
    Chain c;
    for (int attempt = 0; attempt < 50; ++attempt) {
        c = Chain{};
        c.start = rng.pick(starts);
        std::vector<int> visited{c.start};
        for (int i = 0; i < lookups; ++i) {
            const int current = visited.back();
            const Entity& e = world.entity(current);
            std::string rel;
            if (i + 1 == lookups && endOnNumber) {
                rel = attributeOf(e.type).word;
            } else {
                // capital then located_in always leads straight back, and a city has no other
                // relation, so capital is only taken when no relation hop follows.
                const bool relationFollows = i + 2 < lookups || (i + 2 == lookups && !endOnNumber);
                std::vector<std::string> options;
                for (const auto* r : relationsFrom(e.type))
                    if (!(r->word == "capital" && relationFollows)) options.push_back(r->word);
                rel = rng.pick(options);
                visited.push_back(e.links.at(rel));
            }
            c.relations.push_back(rel);
            c.values.push_back(world.value(current, rel));
        }
        // Revisiting an entity is legal but can put the answer in the question itself.
        const std::vector<int> sorted = [&] { auto v = visited; std::sort(v.begin(), v.end()); return v; }();
        if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) break;
    }
    return c;
}

// "population of born_in of vel dor": the last relation reads first.
std::string phrase(const World& world, const Chain& c) {
    std::string out;
    for (auto it = c.relations.rbegin(); it != c.relations.rend(); ++it) out += *it + " of ";
    return out + world.entity(c.start).name;
}

// Appends the chain's lookups to the plan; returns the index of its last subtask.
int appendChain(Question& q, const Chain& c) {
    const int first = static_cast<int>(q.subtasks.size());
    for (size_t i = 0; i < c.relations.size(); ++i) {
        Subtask s;
        s.toolHint = "open";
        s.relation = c.relations[i];
        if (i == 0) s.subject = q.world.entity(c.start).name;
        else s.inputs = {first + static_cast<int>(i) - 1};
        s.answer = c.values[i];
        s.instruction = instructionFor(s, {i == 0 ? "" : c.values[i - 1]});
        q.subtasks.push_back(std::move(s));
    }
    return static_cast<int>(q.subtasks.size()) - 1;
}

void makeChainQuestion(Question& q, const StageSpec& spec, Rng& rng) {
    const int lookups = static_cast<int>(rng.uniform(spec.minHops, spec.maxHops));
    const Chain c = walk(rng, q.world, lookups, rng.chance(spec.numberEndRate));
    q.text = "what is " + phrase(q.world, c) + " ?";
    q.answer = c.values.back();
    appendChain(q, c);
}

// Two chains ending on the same attribute of different entities with different values.
bool makeComparisonQuestion(Question& q, const StageSpec& spec, Rng& rng) {
    const Chain a = walk(rng, q.world, spec.comparisonHops, true);
    for (int attempt = 0; attempt < 50; ++attempt) {
        const Chain b = walk(rng, q.world, spec.comparisonHops, true);
        if (b.relations.back() != a.relations.back() || b.values.back() == a.values.back()) continue;
        if (phrase(q.world, a) == phrase(q.world, b)) continue;
        const std::string& op = rng.chance(0.5) ? "greater" : "less";
        const int64_t x = *parseNumber(splitWords(a.values.back()));
        const int64_t y = *parseNumber(splitWords(b.values.back()));
        q.text = "is " + phrase(q.world, a) + " " + op + " than " + phrase(q.world, b) + " ?";
        q.answer = (op == "greater" ? x > y : x < y) ? "yes" : "no";
        const int endA = appendChain(q, a);
        const int endB = appendChain(q, b);
        Subtask s;
        s.toolHint = "calc";
        s.relation = op;
        s.inputs = {endA, endB};
        s.answer = q.answer;
        s.instruction = instructionFor(s, {a.values.back(), b.values.back()});
        q.subtasks.push_back(std::move(s));
        return true;
    }
    return false;
}

}  // namespace

Question QuestionGenerator::make(int stage, uint64_t seed) { return make(StageSpec::stage(stage), stage, seed); }

Question QuestionGenerator::make(const StageSpec& spec, int stage, uint64_t seed) {
    validate(spec);
    Rng rng(combine(combine(seed, static_cast<uint64_t>(stage)), hashText("question")));
    Question q;
    q.seed = seed;
    q.stage = stage;
    q.world = World::generate(spec.world, combine(seed, static_cast<uint64_t>(stage)));
    // A tiny world may have no two distinct values to compare; fall back to a chain.
    if (!(rng.chance(spec.comparisonRate) && makeComparisonQuestion(q, spec, rng))) makeChainQuestion(q, spec, rng);
    return q;
}

std::vector<Question> QuestionGenerator::evaluationSet(int stage, int n) {
    return evaluationSet(StageSpec::stage(stage), stage, n);
}

std::vector<Question> QuestionGenerator::evaluationSet(const StageSpec& spec, int stage, int n) {
    std::vector<Question> out;
    for (int i = 0; i < n; ++i) out.push_back(make(spec, stage, evaluationSeed(i)));
    return out;
}

uint64_t QuestionGenerator::evaluationSeed(int index) {
    if (index < 0) throw ConfigError("evaluation index must be >= 0");
    return kEvaluationSeedBase + static_cast<uint64_t>(index);
}

uint64_t QuestionGenerator::trainingSeed(uint64_t runSeed, uint64_t index, Stream stream) {
    // Demonstrations keep the original sequence, so existing warm starts stay reproducible.
    const uint64_t base = stream == Stream::Demonstrations ? runSeed : combine(runSeed, hashText("reinforcement"));
    return combine(base, index) % kEvaluationSeedBase;
}

Question QuestionGenerator::training(int stage, uint64_t runSeed, uint64_t index, Stream stream) {
    return make(stage, trainingSeed(runSeed, index, stream));
}

}  // namespace mgrpo::core::env
