#include "core/env/schema.h"

#include <stdexcept>

namespace mgrpo::core::env {

namespace {
using T = EntityType;

const std::vector<Relation> kRelations = {
    {"born_in", T::Person, T::City},
    {"works_for", T::Person, T::Company},
    {"located_in", T::City, T::Country},
    {"founded_by", T::Company, T::Person},
    {"headquartered_in", T::Company, T::City},
    {"capital", T::Country, T::City},
    {"leader", T::Country, T::Person},
    {"birth_year", T::Person, std::nullopt, 1900, 1999},
    {"population", T::City, std::nullopt, 10, 9999},  // thousands
    {"founded_year", T::Company, std::nullopt, 1800, 2020},
    {"area", T::Country, std::nullopt, 100, 9999},  // thousand square km
};

const std::vector<std::string> kPieces = {
    "vel", "dor", "kal", "tor", "mar", "ren", "sil", "ban", "ost", "fen", "gar", "lin", "mor", "pel",
    "quin", "rav", "sut", "tam", "ul", "ven", "wex", "yor", "zan", "bri", "cor", "dun", "eth", "fal",
    "gim", "hal", "ith", "jor", "kes", "lum", "nar", "oth", "pry", "sel", "tup", "vor", "kaltor", "amber",
};
}  // namespace

std::string typeWord(EntityType type) {
    switch (type) {
        case T::Person: return "person";
        case T::City: return "city";
        case T::Company: return "company";
        case T::Country: return "country";
    }
    throw std::logic_error("typeWord: unknown entity type");
}

std::optional<EntityType> typeFromWord(std::string_view word) {
    for (int i = 0; i < kEntityTypeCount; ++i)
        if (typeWord(static_cast<T>(i)) == word) return static_cast<T>(i);
    return std::nullopt;
}

const std::vector<Relation>& relations() { return kRelations; }

const Relation* findRelation(std::string_view word) {
    for (const auto& r : kRelations)
        if (r.word == word) return &r;
    return nullptr;
}

std::vector<const Relation*> relationsFrom(EntityType type) {
    std::vector<const Relation*> out;
    for (const auto& r : kRelations)
        if (r.from == type && !r.isAttribute()) out.push_back(&r);
    return out;
}

const Relation& attributeOf(EntityType type) {
    for (const auto& r : kRelations)
        if (r.from == type && r.isAttribute()) return r;
    throw std::logic_error("attributeOf: type without attribute");
}

const std::vector<std::string>& namePieces() { return kPieces; }

}  // namespace mgrpo::core::env
