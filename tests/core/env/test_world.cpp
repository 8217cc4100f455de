// World generation: determinism, unique syllable names, look-alikes, true pages.
#include "core/env/world.h"
#include "core/env/words.h"
#include "core/util/json_fields.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace mgrpo::core;
using namespace mgrpo::core::env;

namespace {
const WorldSpec kBig{6, 5, 4, 3, 1, 10};

std::vector<std::string> allPages(const World& w) {
    std::vector<std::string> out;
    for (size_t i = 0; i < w.entities().size(); ++i) out.push_back(w.pageText(static_cast<int>(i)));
    return out;
}
}  // namespace

TEST(World, SameSeedAndSpecGiveTheSameWorld) {
    for (uint64_t seed : {0ull, 7ull, 123456789ull}) {
        const World a = World::generate(kBig, seed), b = World::generate(kBig, seed);
        EXPECT_EQ(a.toJson(), b.toJson());
        EXPECT_EQ(allPages(a), allPages(b));
    }
    EXPECT_NE(World::generate(kBig, 1).toJson(), World::generate(kBig, 2).toJson());
}

TEST(World, NamesAreUniqueOneOrTwoPieces) {
    const auto& pieces = namePieces();
    for (uint64_t seed = 0; seed < 50; ++seed) {
        const World w = World::generate(kBig, seed);
        std::set<std::string> names;
        for (const auto& e : w.entities()) {
            EXPECT_TRUE(names.insert(e.name).second) << e.name;
            const auto parts = splitWords(e.name);
            ASSERT_TRUE(parts.size() == 1 || parts.size() == 2) << e.name;
            for (const auto& p : parts) EXPECT_NE(std::find(pieces.begin(), pieces.end(), p), pieces.end()) << p;
            EXPECT_EQ(w.find("  " + e.name + " "), &e - w.entities().data());
        }
        EXPECT_EQ(w.find("no such name"), -1);
    }
}

TEST(World, LookalikesShareANamePieceAndType) {
    const World w = World::generate(kBig, 3);
    const int base = kBig.persons + kBig.cities + kBig.companies + kBig.countries;
    ASSERT_EQ(static_cast<int>(w.entities().size()), base * (1 + kBig.distractors));
    for (const auto& e : w.entities()) {
        if (e.lookalikeOf < 0) continue;
        const Entity& original = w.entity(e.lookalikeOf);
        EXPECT_EQ(e.type, original.type);
        const auto a = splitWords(e.name), b = splitWords(original.name);
        EXPECT_TRUE(std::any_of(a.begin(), a.end(), [&](auto& p) { return std::find(b.begin(), b.end(), p) != b.end(); }))
            << e.name << " vs " << original.name;
        // Links of every entity point at base entities only.
        for (const auto& [rel, target] : e.links) EXPECT_LT(w.entity(target).lookalikeOf, 0);
    }
}

TEST(World, EveryPageSentenceIsATrueFactAndPagesHaveTheirLength) {
    for (const WorldSpec& spec : {WorldSpec{}, kBig}) {
        const World w = World::generate(spec, 11);
        for (size_t i = 0; i < w.entities().size(); ++i) {
            const int self = static_cast<int>(i);
            const auto& page = w.page(self);
            EXPECT_EQ(static_cast<int>(page.size()), spec.pageLength);
            EXPECT_EQ(page[0], w.entity(self).name + " type " + typeWord(w.entity(self).type) + " .");
            // Its own facts are all there.
            for (const auto& r : relations()) {
                if (r.from != w.entity(self).type) continue;
                EXPECT_NE(std::find(page.begin(), page.end(), w.fact(self, r.word)), page.end()) << r.word;
            }
            // Padding facts are true facts about some entity.
            for (size_t s = 1; s < page.size(); ++s) {
                bool found = false;
                for (size_t k = 0; k < w.entities().size() && !found; ++k)
                    for (const auto& r : relations()) found = found || w.fact(static_cast<int>(k), r.word) == page[s];
                EXPECT_TRUE(found) << page[s];
            }
        }
    }
}

TEST(World, BaseCountriesHaveACapitalInsideThem) {
    const World w = World::generate(kBig, 5);
    for (int c : w.baseEntities(EntityType::Country)) {
        const int capital = w.entity(c).links.at("capital");
        EXPECT_EQ(w.entity(capital).links.at("located_in"), c);
    }
}

TEST(World, SpecJsonRoundTripAndValidation) {
    EXPECT_EQ(worldSpecFromJson(toJson(kBig)), kBig);
    EXPECT_EQ(worldSpecFromJson(nlohmann::json::object()), WorldSpec{});
    EXPECT_THROW(worldSpecFromJson({{"persons", 0}}), ConfigError);
    EXPECT_THROW(worldSpecFromJson({{"distractors", 9}}), ConfigError);
    EXPECT_THROW(worldSpecFromJson({{"cities", 1}, {"countries", 2}}), ConfigError);
    EXPECT_THROW(worldSpecFromJson({{"page_length", "long"}}), ConfigError);
    EXPECT_THROW(World::generate(WorldSpec{0, 1, 1, 1, 0, 5}, 1), ConfigError);
}
