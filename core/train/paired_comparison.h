// Two policies on the same held-out questions: which questions one answers and
// the other does not. A paired comparison separates a real gain from the noise
// of the question sample far better than two accuracies side by side.
#pragma once

#include <cstdint>
#include <vector>

namespace mgrpo::core {

struct PairedComparison {
    int questions = 0;
    int gained = 0;     // right here, wrong for the baseline
    int lost = 0;       // wrong here, right for the baseline
    int bothRight = 0;
    int bothWrong = 0;
    double accuracy = 0, baselineAccuracy = 0;
    double pValue = 1;  // exact two-sided sign test (McNemar) on the gained/lost questions
};

// correct[i], baseline[i]: 1 where question i was answered correctly. Throws
// std::invalid_argument when the two lists differ in length.
PairedComparison comparePaired(const std::vector<uint8_t>& correct, const std::vector<uint8_t>& baseline);

}  // namespace mgrpo::core
