// One generated knowledge world: entities with names made of syllables, functional
// relations, numeric attributes, and one page per entity (page id = its name).
// Deterministic in (spec, seed). Reached by agents only through tools (tools.h);
// questions about it are made in question_generator.h.
#pragma once

#include "core/env/schema.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mgrpo::core::env {

class Rng;

struct WorldSpec {
    int persons = 4;      // base entities per type; questions only walk base entities
    int cities = 3;
    int companies = 3;
    int countries = 2;
    int distractors = 0;  // look-alikes per base entity: same type, shares a name piece
    int pageLength = 5;   // sentences per page; true but irrelevant facts pad short pages

    bool operator==(const WorldSpec&) const = default;
};

nlohmann::json toJson(const WorldSpec& spec);
WorldSpec worldSpecFromJson(const nlohmann::json& json, const std::string& context = "world");
// Throws ConfigError naming the first out-of-range field.
void validate(const WorldSpec& spec, const std::string& context = "world");

struct Entity {
    std::string name;                         // 1-2 name pieces, unique in its world
    EntityType type = EntityType::Person;
    std::map<std::string, int> links;         // relation word -> entity index
    std::map<std::string, int64_t> numbers;   // attribute word -> value
    int lookalikeOf = -1;                     // base entity whose name it imitates; -1 if base
};

class World {
public:
    static World generate(const WorldSpec& spec, uint64_t seed);

    uint64_t seed() const { return m_seed; }
    const WorldSpec& spec() const { return m_spec; }
    const std::vector<Entity>& entities() const { return m_entities; }
    const Entity& entity(int index) const { return m_entities.at(static_cast<size_t>(index)); }
    std::vector<int> baseEntities(EntityType type) const;

    // Entity index for a name (whitespace-normalised), or -1.
    int find(std::string_view name) const;
    // The object of `relation` for an entity: a name or spelled number; "" if it has none.
    std::string value(int entity, std::string_view relation) const;
    // "vel dor born_in kaltor ." ("" if the entity lacks the relation).
    std::string fact(int entity, std::string_view relation) const;
    // Sentences of the entity's page: its type sentence first, then its facts and padding.
    const std::vector<std::string>& page(int entity) const { return m_pages.at(static_cast<size_t>(entity)); }
    std::string pageText(int entity) const;

    // Seed, spec and every entity (pages are derived and left out).
    nlohmann::json toJson() const;

private:
    void buildPages(Rng& rng);

    uint64_t m_seed = 0;
    WorldSpec m_spec;
    std::vector<Entity> m_entities;
    std::vector<std::vector<std::string>> m_pages;
    std::unordered_map<std::string, int> m_byName;
};

}  // namespace mgrpo::core::env
