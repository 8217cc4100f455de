#include "core/train/advantages.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mgrpo::core {

std::vector<double> groupAdvantages(std::span<const double> rewards, double eps) {
    const std::vector<uint8_t> all(rewards.size(), 1);
    return groupAdvantages(rewards, all, eps);
}

std::vector<double> groupAdvantages(std::span<const double> rewards, std::span<const uint8_t> counted, double eps) {
    if (rewards.size() != counted.size()) throw std::invalid_argument("groupAdvantages: rewards and mask differ in size");
    std::vector<double> out(rewards.size(), 0.0);
    double n = 0, sum = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < rewards.size(); ++i)
        if (counted[i]) {
            n += 1;
            sum += rewards[i];
            lo = std::min(lo, rewards[i]);
            hi = std::max(hi, rewards[i]);
        }
    if (n == 0 || hi - lo == 0.0) return out;  // no signal: zeros, never NaN
    const double mean = sum / n;
    double var = 0;
    for (size_t i = 0; i < rewards.size(); ++i)
        if (counted[i]) var += (rewards[i] - mean) * (rewards[i] - mean);
    const double stdev = std::sqrt(var / n);  // population std
    for (size_t i = 0; i < rewards.size(); ++i)
        if (counted[i]) out[i] = (rewards[i] - mean) / (stdev + eps);
    return out;
}

}  // namespace mgrpo::core
