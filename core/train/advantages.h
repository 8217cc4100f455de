// Group-relative advantages (MGRPO.md section 3), pure and torch-free.
//   A_i = (R_i - mean(R)) / (std_pop(R) + eps)   over one query's group
// Slots with weight 0 (masked, section 4) take no part in mean and std and get
// advantage 0; a group whose counted rewards are all equal gets 0 everywhere.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mgrpo::core {

inline constexpr double kAdvantageEps = 1e-6;  // MGRPO.md section 3 (ours)

std::vector<double> groupAdvantages(std::span<const double> rewards, double eps = kAdvantageEps);
std::vector<double> groupAdvantages(std::span<const double> rewards, std::span<const uint8_t> counted,
                                    double eps = kAdvantageEps);

}  // namespace mgrpo::core
