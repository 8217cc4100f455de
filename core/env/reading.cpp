#include "core/env/reading.h"

#include "core/env/protocol.h"
#include "core/env/rng.h"

namespace mgrpo::core::env {

ReadingExercise readingExercise(const World& world, int entity, uint64_t seed) {
    ReadingExercise e;
    e.page = observationText(world.pageText(entity));
    std::vector<std::string> sentences = world.page(entity);
    Rng rng(combine(seed, hashText("reading")));
    rng.shuffle(sentences);
    for (auto s : sentences) {
        if (s.ends_with(" .")) s.resize(s.size() - 2);  // a note restates the sentence without its full stop
        e.notes.push_back(std::string(token::kThink) + " " + s + " " + std::string(token::kThinkEnd));
    }
    return e;
}

}  // namespace mgrpo::core::env
