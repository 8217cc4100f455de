#include "core/env/world.h"

#include "core/env/rng.h"
#include "core/env/words.h"
#include "core/util/json_fields.h"

#include <set>

namespace mgrpo::core::env {

nlohmann::json toJson(const WorldSpec& s) {
    return {{"persons", s.persons},         {"cities", s.cities},
            {"companies", s.companies},     {"countries", s.countries},
            {"distractors", s.distractors}, {"page_length", s.pageLength}};
}

WorldSpec worldSpecFromJson(const nlohmann::json& j, const std::string& ctx) {
    WorldSpec s;
    s.persons = readField(j, ctx, "persons", s.persons);
    s.cities = readField(j, ctx, "cities", s.cities);
    s.companies = readField(j, ctx, "companies", s.companies);
    s.countries = readField(j, ctx, "countries", s.countries);
    s.distractors = readField(j, ctx, "distractors", s.distractors);
    s.pageLength = readField(j, ctx, "page_length", s.pageLength);
    validate(s, ctx);
    return s;
}

void validate(const WorldSpec& s, const std::string& ctx) {
    const nlohmann::json j = toJson(s);
    // Upper bounds keep names unique (42 + 42*41 possible) and pages readable.
    readRanged(j, ctx, "persons", 0, 1, 12);
    readRanged(j, ctx, "cities", 0, 1, 12);
    readRanged(j, ctx, "companies", 0, 1, 12);
    readRanged(j, ctx, "countries", 0, 1, 12);
    readRanged(j, ctx, "distractors", 0, 0, 3);
    readRanged(j, ctx, "page_length", 0, 1, 40);
    if (s.cities < s.countries) throw ConfigError(ctx + ".cities must be >= " + ctx + ".countries (every country needs a capital)");
}

namespace {

std::string freshName(Rng& rng, const std::unordered_map<std::string, int>& used) {
    const auto& pieces = namePieces();
    for (;;) {
        std::string name = rng.pick(pieces);
        if (!rng.chance(0.2)) {
            const std::string& second = rng.pick(pieces);
            if (second == name) continue;
            name += " " + second;
        }
        if (!used.contains(name)) return name;
    }
}

// Shares one piece with `original`, e.g. "vel dor" -> "vel mar" or "sil dor".
std::string lookalikeName(Rng& rng, const std::string& original, const std::unordered_map<std::string, int>& used) {
    const auto parts = splitWords(original);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const std::string& keep = rng.pick(parts);
        const std::string& other = rng.pick(namePieces());
        if (other == keep) continue;
        const bool keepFirst = parts.size() == 2 ? keep == parts[0] : rng.chance(0.5);
        std::string name = keepFirst ? keep + " " + other : other + " " + keep;
        if (name != original && !used.contains(name)) return name;
    }
    return freshName(rng, used);
}

}  // namespace

World World::generate(const WorldSpec& spec, uint64_t seed) {
    validate(spec);
    Rng rng(combine(seed, hashText("world")));
    World w;
    w.m_seed = seed;
    w.m_spec = spec;

    auto add = [&](EntityType type, std::string name, int lookalikeOf) {
        w.m_byName.emplace(name, static_cast<int>(w.m_entities.size()));
        w.m_entities.push_back(Entity{std::move(name), type, {}, {}, lookalikeOf});
    };
    const int counts[kEntityTypeCount] = {spec.persons, spec.cities, spec.companies, spec.countries};
    for (int t = 0; t < kEntityTypeCount; ++t)
        for (int i = 0; i < counts[t]; ++i) add(static_cast<EntityType>(t), freshName(rng, w.m_byName), -1);
    const size_t baseCount = w.m_entities.size();

    std::vector<int> byType[kEntityTypeCount];
    for (size_t i = 0; i < baseCount; ++i) byType[static_cast<int>(w.m_entities[i].type)].push_back(static_cast<int>(i));
    auto& cities = byType[static_cast<int>(EntityType::City)];
    auto& countries = byType[static_cast<int>(EntityType::Country)];

    // Links only ever point at base entities, so question chains never reach a look-alike.
    auto fill = [&](Entity& e) {
        for (const auto* r : relationsFrom(e.type)) e.links[r->word] = rng.pick(byType[static_cast<int>(*r->to)]);
        const Relation& a = attributeOf(e.type);
        e.numbers[a.word] = rng.uniform(a.lo, a.hi);
    };
    for (size_t i = 0; i < baseCount; ++i) fill(w.m_entities[i]);
    // The first cities cover every country, so each base country has a capital inside it.
    for (size_t k = 0; k < countries.size(); ++k)
        w.m_entities[static_cast<size_t>(cities[k])].links["located_in"] = countries[k];
    for (int c : countries) {
        std::vector<int> inside;
        for (int city : cities)
            if (w.m_entities[static_cast<size_t>(city)].links.at("located_in") == c) inside.push_back(city);
        w.m_entities[static_cast<size_t>(c)].links["capital"] = rng.pick(inside);
    }

    for (size_t i = 0; i < baseCount; ++i)
        for (int k = 0; k < spec.distractors; ++k) {
            add(w.m_entities[i].type, lookalikeName(rng, w.m_entities[i].name, w.m_byName), static_cast<int>(i));
            fill(w.m_entities.back());
        }

    w.buildPages(rng);
    return w;
}

void World::buildPages(Rng& rng) {
    struct Fact {
        int subject;
        int object;  // -1 for numbers
        std::string text;
    };
    std::vector<Fact> facts;
    for (size_t i = 0; i < m_entities.size(); ++i) {
        const auto& e = m_entities[i];
        for (const auto& r : relations()) {
            if (r.from != e.type) continue;
            const auto link = e.links.find(r.word);
            facts.push_back({static_cast<int>(i), link == e.links.end() ? -1 : link->second, fact(static_cast<int>(i), r.word)});
        }
    }

    m_pages.assign(m_entities.size(), {});
    for (size_t i = 0; i < m_entities.size(); ++i) {
        const int self = static_cast<int>(i);
        const auto& e = m_entities[i];
        std::set<int> neighbours;
        for (const auto& [rel, target] : e.links) neighbours.insert(target);

        // Padding preference: facts naming this entity, then facts about its neighbours, then any.
        std::vector<std::string> own, inverse, near, other;
        for (const auto& f : facts) {
            if (f.subject == self) own.push_back(f.text);
            else if (f.object == self) inverse.push_back(f.text);
            else if (neighbours.contains(f.subject)) near.push_back(f.text);
            else other.push_back(f.text);
        }
        rng.shuffle(inverse);
        rng.shuffle(near);
        rng.shuffle(other);
        std::vector<std::string> body = own;
        for (auto* group : {&inverse, &near, &other})
            for (const auto& text : *group)
                if (static_cast<int>(body.size()) + 1 < m_spec.pageLength) body.push_back(text);
        rng.shuffle(body);

        auto& page = m_pages[i];
        page.push_back(e.name + " " + std::string(kTypeRelation) + " " + typeWord(e.type) + " .");
        page.insert(page.end(), body.begin(), body.end());
    }
}

std::vector<int> World::baseEntities(EntityType type) const {
    std::vector<int> out;
    for (size_t i = 0; i < m_entities.size(); ++i)
        if (m_entities[i].type == type && m_entities[i].lookalikeOf < 0) out.push_back(static_cast<int>(i));
    return out;
}

int World::find(std::string_view name) const {
    const auto it = m_byName.find(normaliseWords(name));
    return it == m_byName.end() ? -1 : it->second;
}

std::string World::value(int index, std::string_view relation) const {
    const Entity& e = entity(index);
    const std::string key(relation);
    if (const auto link = e.links.find(key); link != e.links.end()) return entity(link->second).name;
    if (const auto num = e.numbers.find(key); num != e.numbers.end()) return spellNumber(num->second);
    return "";
}

std::string World::fact(int index, std::string_view relation) const {
    const std::string v = value(index, relation);
    return v.empty() ? "" : entity(index).name + " " + std::string(relation) + " " + v + " .";
}

std::string World::pageText(int index) const { return joinWords(page(index)); }

nlohmann::json World::toJson() const {
    nlohmann::json entities = nlohmann::json::array();
    for (const auto& e : m_entities) {
        nlohmann::json links = nlohmann::json::object();
        for (const auto& [rel, target] : e.links) links[rel] = entity(target).name;
        entities.push_back({{"name", e.name},
                            {"type", typeWord(e.type)},
                            {"links", links},
                            {"numbers", e.numbers},
                            {"lookalike_of", e.lookalikeOf}});
    }
    return {{"seed", m_seed}, {"spec", env::toJson(m_spec)}, {"entities", entities}};
}

}  // namespace mgrpo::core::env
