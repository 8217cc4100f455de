// flattenJson / diffConfigs (see config_diff.h).
#include "core/store/config_diff.h"

namespace mgrpo::store {
namespace {

void flattenInto(const nlohmann::json& value, const std::string& path, std::map<std::string, nlohmann::json>& out) {
    if (value.is_object() && !value.empty()) {
        for (const auto& [key, child] : value.items()) flattenInto(child, path.empty() ? key : path + "." + key, out);
    } else if (value.is_array() && !value.empty()) {
        for (size_t i = 0; i < value.size(); ++i) flattenInto(value[i], path + "[" + std::to_string(i) + "]", out);
    } else {
        out[path] = value;
    }
}

}  // namespace

std::map<std::string, nlohmann::json> flattenJson(const nlohmann::json& value) {
    std::map<std::string, nlohmann::json> out;
    flattenInto(value, "", out);
    return out;
}

std::vector<ConfigChange> diffConfigs(const nlohmann::json& oldConfig, const nlohmann::json& newConfig) {
    const auto a = flattenJson(oldConfig);
    const auto b = flattenJson(newConfig);
    std::vector<ConfigChange> changes;
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
            changes.push_back({ia->first, ia->second, std::nullopt});
            ++ia;
        } else if (ia == a.end() || ib->first < ia->first) {
            changes.push_back({ib->first, std::nullopt, ib->second});
            ++ib;
        } else {
            if (ia->second != ib->second) changes.push_back({ia->first, ia->second, ib->second});
            ++ia;
            ++ib;
        }
    }
    return changes;
}

}  // namespace mgrpo::store
