// Typed, range-checked reads of JSON object fields for every config struct, so
// each config error names its field, the value and the allowed range.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace mgrpo::core {

// Thrown for any invalid config value; what() names "<context>.<field>".
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads obj[field] as T if present (else `fallback`), rejecting wrong types.
template <typename T>
T readField(const nlohmann::json& obj, const std::string& context, const std::string& field, T fallback) {
    if (!obj.is_object()) throw ConfigError(context + ": expected a JSON object");
    const auto it = obj.find(field);
    if (it == obj.end()) return fallback;
    try {
        return it->template get<T>();
    } catch (const nlohmann::json::exception&) {
        throw ConfigError(context + "." + field + ": wrong type (" + std::string(it->type_name()) + ")");
    }
}

// As readField, then checks lo <= value <= hi.
template <typename T>
T readRanged(const nlohmann::json& obj, const std::string& context, const std::string& field, T fallback, T lo,
             T hi) {
    if (obj.is_object()) {
        const auto it = obj.find(field);
        if (it != obj.end() && !it->is_number())
            throw ConfigError(context + "." + field + ": expected a number, got " + std::string(it->type_name()));
    }
    const T value = readField<T>(obj, context, field, fallback);
    if (!(value >= lo && value <= hi))
        throw ConfigError(context + "." + field + " = " + nlohmann::json(value).dump() + " is out of range [" +
                          nlohmann::json(lo).dump() + ", " + nlohmann::json(hi).dump() + "]");
    return value;
}

}  // namespace mgrpo::core
