// Addresses and the saved layout of a decoupled run.
#include "core/dist/decoupled.h"

#include "core/util/json_fields.h"

#include <arpa/inet.h>

#include <filesystem>
#include <fstream>

namespace mgrpo::core::dist {

namespace fs = std::filesystem;

StoreAddress parseStoreAddress(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw ConfigError("store address '" + text + "' is not HOST:PORT");
    StoreAddress a;
    a.host = text.substr(0, colon);
    try {
        size_t used = 0;
        a.port = std::stoi(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) throw std::invalid_argument("trailing characters");
    } catch (const std::exception&) {
        throw ConfigError("store address '" + text + "': port '" + text.substr(colon + 1) + "' is not a number");
    }
    if (a.port < 0 || a.port > 65535) throw ConfigError("store address '" + text + "': port is out of range [0, 65535]");
    return a;
}

std::string toString(const StoreAddress& a) { return a.host + ":" + std::to_string(a.port); }

bool isLoopback(const std::string& host) {
    if (host == "localhost") return true;
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

nlohmann::json toJson(const DecoupledOptions& o) {
    return {{"store", toString(o.store)},
            {"ranks", o.ranks},
            {"max_staleness", o.maxStaleness},
            {"connect_timeout_s", o.liveness.connectTimeoutS},
            {"heartbeat_timeout_s", o.liveness.heartbeatTimeoutS}};
}

DecoupledOptions decoupledOptionsFromJson(const nlohmann::json& j) {
    DecoupledOptions o;
    o.store = parseStoreAddress(j.value("store", std::string("127.0.0.1:0")));
    o.ranks = j.value("ranks", std::map<std::string, int>{});
    o.maxStaleness = j.value("max_staleness", 0);
    o.liveness.connectTimeoutS = j.value("connect_timeout_s", o.liveness.connectTimeoutS);
    o.liveness.heartbeatTimeoutS = j.value("heartbeat_timeout_s", o.liveness.heartbeatTimeoutS);
    return o;
}

void saveDecoupledOptions(const std::string& outDir, const DecoupledOptions& options) {
    std::ofstream out(fs::path(outDir) / "decoupled.json");
    out << toJson(options).dump(2) << '\n';
    if (!out) throw ConfigError("cannot write '" + (fs::path(outDir) / "decoupled.json").string() + "'");
}

bool loadDecoupledOptions(const std::string& outDir, DecoupledOptions& options) {
    std::ifstream in(fs::path(outDir) / "decoupled.json");
    if (!in) return false;
    try {
        options = decoupledOptionsFromJson(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError("'" + (fs::path(outDir) / "decoupled.json").string() + "' is corrupt: " + e.what());
    }
    return true;
}

}  // namespace mgrpo::core::dist
