#include "core/agents/topology.h"

#include "core/util/json_fields.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>

namespace mgrpo::core {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

AgentRole roleFromString(const std::string& s, const std::string& ctx) {
    if (s == "main") return AgentRole::Main;
    if (s == "sub") return AgentRole::Sub;
    throw ConfigError(ctx + ".role = '" + s + "' is not a role (main or sub)");
}

// Model sizes of the built-in templates: small enough to train on 2 CPU cores.
ModelConfig templateModel(int context) {
    ModelConfig m;
    m.dModel = 128;
    m.nLayers = 3;
    m.nHeads = 4;
    m.contextLength = context;
    // Reading exercises reach their floor in ~400 steps with smeared keys
    // instead of ~1,800 without (experiments/README.md).
    m.keySmear = true;
    return m;
}

AgentSpec templateAgent(std::string id, AgentRole role, std::vector<std::string> tools,
                        std::vector<std::string> delegates, int context, double x, double y) {
    AgentSpec a;
    a.id = std::move(id);
    a.role = role;
    a.model = templateModel(context);
    a.tools = std::move(tools);
    a.delegates = std::move(delegates);
    a.x = x;
    a.y = y;
    return a;
}

}  // namespace

std::string toString(AgentRole role) { return role == AgentRole::Main ? "main" : "sub"; }

const AgentSpec* Topology::find(const std::string& id) const {
    for (const auto& a : agents)
        if (a.id == id) return &a;
    return nullptr;
}

const AgentSpec& Topology::mainAgent() const {
    for (const auto& a : agents)
        if (a.role == AgentRole::Main) return a;
    throw ConfigError("topology '" + name + "' has no main agent");
}

std::vector<TopologyProblem> validateTopology(const Topology& t, const ValidationContext& ctx) {
    std::vector<TopologyProblem> problems;
    auto add = [&](const std::string& agent, const std::string& field, const std::string& message) {
        problems.push_back({agent, field, message});
    };
    const auto mains = std::count_if(t.agents.begin(), t.agents.end(),
                                     [](const AgentSpec& a) { return a.role == AgentRole::Main; });
    if (t.agents.empty()) add("", "", "the topology has no agents");
    else if (mains == 0) add("", "", "there is no main agent (exactly one is needed)");
    else if (mains > 1) {
        for (const auto& a : t.agents)
            if (a.role == AgentRole::Main)
                add(a.id, "role", "one of " + std::to_string(mains) + " main agents (exactly one is allowed)");
    }

    std::map<std::string, int> idCount;
    for (const auto& a : t.agents) idCount[a.id]++;
    for (const auto& a : t.agents) {
        if (a.id.empty()) add(a.id, "id", "agent id is empty");
        else if (idCount[a.id] > 1) add(a.id, "id", "agent id '" + a.id + "' is used more than once");
        if (a.role == AgentRole::Sub && !a.id.empty() && !ctx.delegateNames.empty() &&
            !contains(ctx.delegateNames, a.id))
            add(a.id, "id", "sub-agent id '" + a.id + "' is not a delegation name the tokenizer knows");
        for (const auto& tool : a.tools)
            if (!contains(ctx.knownTools, tool)) add(a.id, "tools", "unknown tool '" + tool + "'");
        std::set<std::string> seen;
        for (const auto& d : a.delegates) {
            if (!seen.insert(d).second) add(a.id, "delegates", "delegates to '" + d + "' twice");
            const auto* target = t.find(d);
            if (!target) add(a.id, "delegates", "delegates to unknown agent '" + d + "'");
            else if (target->role == AgentRole::Main) add(a.id, "delegates", "delegates to the main agent '" + d + "'");
            else if (d == a.id) add(a.id, "delegates", "delegates to itself");
        }
        if (a.tools.empty() && a.delegates.empty())
            add(a.id, "tools", "has no tools and no sub-agents, so it can only answer blindly");
        if (a.maxTurns < 1 || a.maxTurns > 64) add(a.id, "max_turns", "max_turns must be in [1, 64]");
        if (a.maxTokensPerTurn < 2 || a.maxTokensPerTurn > 1024)
            add(a.id, "max_tokens_per_turn", "max_tokens_per_turn must be in [2, 1024]");
        if (a.model.contextLength < ctx.minContext)
            add(a.id, "model.context_length",
                "context of " + std::to_string(a.model.contextLength) + " tokens is below the minimum of " +
                    std::to_string(ctx.minContext));
        else if (a.model.contextLength < 2 * a.maxTokensPerTurn)
            add(a.id, "model.context_length", "context is too small for two turns of max_tokens_per_turn");
        if (a.model.dModel % a.model.nHeads != 0) add(a.id, "model.n_heads", "n_heads does not divide d_model");
        if (a.device != "cpu" && a.device.rfind("cuda", 0) != 0)
            add(a.id, "device", "device '" + a.device + "' is not cpu or cuda:N");
        if (!(a.learningRateScale > 0 && a.learningRateScale <= 100))
            add(a.id, "learning_rate_scale", "learning_rate_scale must be in (0, 100]; untick trained to freeze");
        if (a.sampling.temperature < 0) add(a.id, "sampling.temperature", "temperature is negative");
        if (a.sampling.topP <= 0 || a.sampling.topP > 1) add(a.id, "sampling.top_p", "top_p must be in (0, 1]");
    }

    // Cycles along delegation edges (depth-first search with colours).
    std::map<std::string, int> colour;  // 0 new, 1 on the stack, 2 done
    std::function<void(const AgentSpec&)> visit = [&](const AgentSpec& a) {
        colour[a.id] = 1;
        for (const auto& d : a.delegates) {
            const auto* target = t.find(d);
            if (!target || d == a.id) continue;
            if (colour[d] == 1) add(a.id, "delegates", "delegation cycle through '" + a.id + "' and '" + d + "'");
            else if (colour[d] == 0) visit(*target);
        }
        colour[a.id] = 2;
    };
    for (const auto& a : t.agents)
        if (colour[a.id] == 0) visit(a);

    // Sub-agents nobody can reach are trained on nothing.
    if (mains == 1) {
        std::set<std::string> reached;
        std::function<void(const AgentSpec&)> reach = [&](const AgentSpec& a) {
            if (!reached.insert(a.id).second) return;
            for (const auto& d : a.delegates)
                if (const auto* target = t.find(d)) reach(*target);
        };
        reach(t.mainAgent());
        for (const auto& a : t.agents)
            if (!reached.count(a.id)) add(a.id, "", "no agent delegates to it, so it never runs");
    }
    return problems;
}

std::string describe(const TopologyProblem& p) {
    std::string where = p.agentId.empty() ? "topology" : "agent '" + p.agentId + "'";
    if (!p.field.empty()) where += " (" + p.field + ")";
    return where + ": " + p.message;
}

nlohmann::json toJson(const AgentSpec& a) {
    return {{"id", a.id},
            {"role", toString(a.role)},
            {"model", toJson(a.model)},
            {"checkpoint", a.checkpoint},
            {"tools", a.tools},
            {"delegates", a.delegates},
            {"max_turns", a.maxTurns},
            {"max_tokens_per_turn", a.maxTokensPerTurn},
            {"sampling", toJson(a.sampling)},
            {"trained", a.trained},
            {"learning_rate_scale", a.learningRateScale},
            {"device", a.device},
            {"position", {a.x, a.y}}};
}

nlohmann::json toJson(const Topology& t) {
    auto agents = nlohmann::json::array();
    for (const auto& a : t.agents) agents.push_back(toJson(a));
    return {{"format", "mgrpo-topology-1"}, {"name", t.name}, {"agents", agents}};
}

Topology topologyFromJson(const nlohmann::json& j) {
    Topology t;
    t.name = readField<std::string>(j, "topology", "name", "");
    const auto agents = readField<nlohmann::json>(j, "topology", "agents", nlohmann::json::array());
    if (!agents.is_array()) throw ConfigError("topology.agents: expected a list of agents");
    for (size_t i = 0; i < agents.size(); ++i) {
        const auto& aj = agents[i];
        AgentSpec a;
        a.id = readField<std::string>(aj, "agents[" + std::to_string(i) + "]", "id", "");
        const std::string ctx = "agent '" + a.id + "'";
        a.role = roleFromString(readField<std::string>(aj, ctx, "role", "sub"), ctx);
        a.model = modelConfigFromJson(readField<nlohmann::json>(aj, ctx, "model", nlohmann::json::object()),
                                      ctx + ".model");
        a.checkpoint = readField<std::string>(aj, ctx, "checkpoint", "");
        a.tools = readField<std::vector<std::string>>(aj, ctx, "tools", {});
        a.delegates = readField<std::vector<std::string>>(aj, ctx, "delegates", {});
        a.maxTurns = readField<int>(aj, ctx, "max_turns", a.maxTurns);
        a.maxTokensPerTurn = readField<int>(aj, ctx, "max_tokens_per_turn", a.maxTokensPerTurn);
        a.sampling = samplingParamsFromJson(readField<nlohmann::json>(aj, ctx, "sampling", nlohmann::json::object()),
                                            ctx + ".sampling");
        a.trained = readField<bool>(aj, ctx, "trained", a.trained);
        a.learningRateScale = readField<double>(aj, ctx, "learning_rate_scale", a.learningRateScale);
        a.device = readField<std::string>(aj, ctx, "device", a.device);
        const auto pos = readField<std::vector<double>>(aj, ctx, "position", {0.0, 0.0});
        if (pos.size() == 2) {
            a.x = pos[0];
            a.y = pos[1];
        }
        t.agents.push_back(std::move(a));
    }
    return t;
}

Topology loadTopologyFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("cannot open topology file '" + path + "'");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError("topology file '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    try {
        return topologyFromJson(j);
    } catch (const ConfigError& e) {
        throw ConfigError("topology file '" + path + "': " + e.what());
    }
}

void saveTopologyFile(const Topology& t, const std::string& path) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out << toJson(t).dump(2) << '\n';
        if (!out) throw ConfigError("cannot write topology file '" + path + "'");
    }
    std::rename(tmp.c_str(), path.c_str());
}

Topology paperTopology() {
    Topology t;
    t.name = "main + search sub-agent";
    t.agents.push_back(templateAgent("main", AgentRole::Main, {"calc"}, {"searcher"}, 384, 0, 0));
    t.agents.push_back(templateAgent("searcher", AgentRole::Sub, {"search", "open"}, {}, 256, 0, 160));
    return t;
}

Topology singleAgentTopology() {
    Topology t;
    t.name = "single agent";
    t.agents.push_back(templateAgent("main", AgentRole::Main, {"search", "open", "calc"}, {}, 384, 0, 0));
    return t;
}

Topology twoSpecialistTopology() {
    Topology t;
    t.name = "main + two specialised sub-agents";
    t.agents.push_back(templateAgent("main", AgentRole::Main, {}, {"searcher", "analyst"}, 384, 0, 0));
    t.agents.push_back(templateAgent("searcher", AgentRole::Sub, {"search", "open"}, {}, 256, -140, 160));
    t.agents.push_back(templateAgent("analyst", AgentRole::Sub, {"calc"}, {}, 256, 140, 160));
    return t;
}

}  // namespace mgrpo::core
