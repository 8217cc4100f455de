#include "core/train/alignment.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace mgrpo::core {

Alignment alignTrajectories(std::span<const int> dk, int D, std::mt19937_64& rng) {
    if (D < 1) throw std::invalid_argument("alignment: D must be at least 1");
    Alignment a;
    a.D = D;
    for (size_t k = 0; k < dk.size(); ++k) {
        const int d = dk[k], rollout = static_cast<int>(k);
        if (d < 0) throw std::invalid_argument("alignment: negative d_k");
        if (d == 0) {
            for (int j = 0; j < D; ++j) a.slots.push_back({rollout, -1, SlotStatus::Masked});
            a.masked += D;
            a.maskedRollouts++;
            continue;
        }
        std::vector<int> order(static_cast<size_t>(d));
        std::iota(order.begin(), order.end(), 0);
        if (d > D) {
            std::shuffle(order.begin(), order.end(), rng);
            for (int j = D; j < d; ++j) a.dropped.push_back({rollout, order[static_cast<size_t>(j)]});
            order.resize(static_cast<size_t>(D));
            std::sort(order.begin(), order.end());
        }
        for (int s : order) a.slots.push_back({rollout, s, SlotStatus::Original});
        a.originals += static_cast<int>(order.size());
        std::uniform_int_distribution<int> pick(0, d - 1);
        for (int j = d; j < D; ++j) {
            a.slots.push_back({rollout, pick(rng), SlotStatus::Duplicate});
            a.duplicates++;
        }
    }
    return a;
}

int chooseD(std::vector<int> dk, double quantile) {
    if (dk.empty()) return 1;
    std::sort(dk.begin(), dk.end());
    const auto need = static_cast<size_t>(std::ceil(quantile * static_cast<double>(dk.size())));
    const auto idx = std::min(dk.size() - 1, need == 0 ? 0 : need - 1);
    return std::max(1, dk[idx]);
}

const char* toString(SlotStatus s) {
    switch (s) {
        case SlotStatus::Original: return "original";
        case SlotStatus::Duplicate: return "duplicate";
        case SlotStatus::Masked: return "masked";
    }
    return "?";
}

}  // namespace mgrpo::core
