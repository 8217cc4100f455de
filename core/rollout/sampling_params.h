// How an agent samples: plain struct, torch-free (stored in topologies and runs).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core {

struct SamplingParams {
    double temperature = 1.0;     // 0 = greedy; log-probs are then reported at temperature 1
    double topP = 1.0;            // nucleus sampling mass; 1 = the full distribution
    int maxNewTokens = 64;        // per call; a row also stops at the model's context length
    std::vector<int> stopTokens;  // a row finishes after emitting any of these (kept in its output)
    uint64_t seed = 0;            // makes a call reproducible: same seed, same samples

    bool operator==(const SamplingParams&) const = default;
};

nlohmann::json toJson(const SamplingParams& params);
SamplingParams samplingParamsFromJson(const nlohmann::json& json, const std::string& context = "sampling");

}  // namespace mgrpo::core
