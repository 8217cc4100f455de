// Config diff of two runs: both JSON documents are flattened to leaf paths
// ("optimizer.lr", "agents[1].name") and compared leaf by leaf. Pure functions.
#pragma once

#include "core/store/records.h"

#include <map>
#include <string>
#include <vector>

namespace mgrpo::store {

// Leaf path -> value; an empty object or array is itself a leaf.
std::map<std::string, nlohmann::json> flattenJson(const nlohmann::json& value);
// Changed, added and removed leaves, sorted by path.
std::vector<ConfigChange> diffConfigs(const nlohmann::json& oldConfig, const nlohmann::json& newConfig);

}  // namespace mgrpo::store
