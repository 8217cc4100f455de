// Reading exercises: a page as the `open` tool shows it, followed by <think>
// notes that restate its facts in random order. A pretrained LLM arrives able to
// find "X rel ?" in a text it was just shown; our models start from scratch, and
// a sub-agent demonstration holds a single such lookup among ~20 easy tokens, so
// the lookup is what warm start failed to teach (measured: 2.7% r_expert after
// 4,000 steps). An exercise holds one lookup per sentence of the page.
#pragma once

#include "core/env/world.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core::env {

struct ReadingExercise {
    std::string page;                // "<obs> ... </obs>", as the open tool returns it
    std::vector<std::string> notes;  // "<think> X rel value </think>", one per page sentence
};

// The exercise for `entity`'s page: every sentence restated once, shuffled by `seed`.
ReadingExercise readingExercise(const World& world, int entity, uint64_t seed);

}  // namespace mgrpo::core::env
