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
    // A note restates the sentence without its full stop, as the expert's notes do.
    for (auto s : sentences) e.notes.push_back(thoughtText(s.ends_with(" .") ? s.substr(0, s.size() - 2) : s));
    return e;
}

}  // namespace mgrpo::core::env
