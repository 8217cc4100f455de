// The fixed schema of every generated world: entity types, the relations between
// them, numeric attributes and the syllables names are made of. Data only; the
// random choices live in world.cpp and question_generator.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mgrpo::core::env {

enum class EntityType { Person, City, Company, Country };
inline constexpr int kEntityTypeCount = 4;

std::string typeWord(EntityType type);
std::optional<EntityType> typeFromWord(std::string_view word);

// A functional relation (each entity has exactly one value) or, when `to` is empty,
// a numeric attribute drawn uniformly from [lo, hi].
struct Relation {
    std::string word;                // as written in facts and questions, e.g. "born_in"
    EntityType from;                 // subject type
    std::optional<EntityType> to;    // object type; nullopt for a number
    int64_t lo = 0;                  // attribute range
    int64_t hi = 0;

    bool isAttribute() const { return !to.has_value(); }
};

// Every relation and attribute, in a fixed order (pages list facts in this order).
const std::vector<Relation>& relations();
const Relation* findRelation(std::string_view word);
std::vector<const Relation*> relationsFrom(EntityType type);  // entity-valued only
const Relation& attributeOf(EntityType type);                // each type has exactly one

// The relation word of "X type person ." sentences.
inline constexpr std::string_view kTypeRelation = "type";

// Syllables that names are made of (one or two per name); none is another vocabulary word.
const std::vector<std::string>& namePieces();

}  // namespace mgrpo::core::env
