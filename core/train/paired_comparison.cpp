#include "core/train/paired_comparison.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mgrpo::core {

namespace {

// P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so n may be large.
double binomialHalfCdf(int n, int k) {
    const double logTotal = std::lgamma(n + 1.0) - n * std::log(2.0);
    double sum = 0;
    for (int i = 0; i <= k; ++i) sum += std::exp(logTotal - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0));
    return sum;
}

}  // namespace

PairedComparison comparePaired(const std::vector<uint8_t>& correct, const std::vector<uint8_t>& baseline) {
    if (correct.size() != baseline.size())
        throw std::invalid_argument("paired comparison of " + std::to_string(correct.size()) + " and " +
                                    std::to_string(baseline.size()) + " questions");
    PairedComparison c;
    c.questions = static_cast<int>(correct.size());
    for (size_t i = 0; i < correct.size(); ++i) {
        const bool a = correct[i] != 0, b = baseline[i] != 0;
        if (a && b) c.bothRight++;
        else if (a) c.gained++;
        else if (b) c.lost++;
        else c.bothWrong++;
    }
    const double n = std::max(1, c.questions);
    c.accuracy = (c.bothRight + c.gained) / n;
    c.baselineAccuracy = (c.bothRight + c.lost) / n;
    const int discordant = c.gained + c.lost;
    if (discordant > 0) c.pValue = std::min(1.0, 2 * binomialHalfCdf(discordant, std::min(c.gained, c.lost)));
    return c;
}

}  // namespace mgrpo::core
