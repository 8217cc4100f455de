// The main process: holds the store, starts or awaits the workers, sends one
// command per phase/step/checkpoint and collects each remote update. Every
// wait polls the workers' liveness (exit status of local workers, error keys,
// heartbeats), so a dead worker fails the run within heartbeatTimeoutS.
#include "core/dist/session.h"

#include "core/dist/codec.h"
#include "core/util/json_fields.h"

#include <chrono>
#include <filesystem>
#include <thread>

namespace mgrpo::core::dist {

namespace fs = std::filesystem;

Session::Session(const DecoupledOptions& options, const Topology& topology, Log log)
    : m_options(options), m_log(std::move(log)) {
    std::map<std::string, int> ranks = options.ranks;
    if (options.spawnLocal && ranks.empty())
        for (const auto& a : topology.agents)
            if (a.role == AgentRole::Sub && a.trained) ranks[a.id] = 1;
    for (const auto& [agent, n] : ranks) {
        const auto* spec = topology.find(agent);
        if (!spec || spec->role != AgentRole::Sub)
            throw ConfigError("decoupled: '" + agent + "' is not a sub-agent of topology '" + topology.name + "'");
        if (n < 1 || n > 64) throw ConfigError("decoupled: agent '" + agent + "' needs 1..64 ranks, got " + std::to_string(n));
    }
    if (options.maxStaleness < 0 || options.maxStaleness > 100)
        throw ConfigError("decoupled: max_staleness = " + std::to_string(options.maxStaleness) + " is out of range [0, 100]");
    m_link = std::make_unique<StoreLink>(options.store, /*master=*/true, /*rank=*/0, options.liveness.connectTimeoutS);
    m_heartbeats = std::make_unique<HeartbeatWatch>(*m_link, options.liveness.heartbeatTimeoutS);
    int world = 1;
    if (options.spawnLocal) {
        const auto store = "127.0.0.1:" + std::to_string(m_link->port());
        for (const auto& [agent, n] : ranks)
            for (int i = 0; i < n; ++i, ++world) m_roles[world] = "sub:" + agent;
        const int total = world;
        for (const auto& [rank, role] : m_roles) {
            const auto logFile = options.logDir.empty() ? std::string()
                                                        : (fs::path(options.logDir) / ("worker-" + std::to_string(rank) + ".log")).string();
            m_local.spawn(options.workerExecutable,
                          {"serve", "--role", role, "--store", store, "--world", std::to_string(total), "--rank",
                           std::to_string(rank), "--connect-timeout", std::to_string(options.liveness.connectTimeoutS),
                           "--heartbeat-timeout", std::to_string(options.liveness.heartbeatTimeoutS)},
                          rank, role, logFile);
            if (m_log) m_log("started " + role + " worker, rank " + std::to_string(rank) + ", pid " +
                             std::to_string(m_local.workers().back().pid));
        }
    } else {
        for (int r = 1; r <= options.externalWorkers; ++r) m_roles[r] = "";
    }
    waitForWorkers();
    for (const auto& [rank, role] : m_roles) m_ranks[role.substr(4)]++;
    nlohmann::json layout = nlohmann::json::object();
    for (const auto& [rank, role] : m_roles) layout[std::to_string(rank)] = role;
    m_link->setText("layout", layout.dump());
    if (m_log) m_log("decoupled: store " + toString(m_link->address()) + ", " + std::to_string(m_roles.size()) + " worker(s)");
}

Session::~Session() {
    if (!m_closed) {
        // Failing: tell the workers why, then stop the local ones.
        try {
            m_link->setText("abort", "the main process stopped");
        } catch (const std::exception&) {
        }
        m_local.join(2.0);
    }
}

std::string Session::describe(int rank) const {
    const auto it = m_roles.find(rank);
    const auto role = it == m_roles.end() ? std::string() : it->second;
    if (role.rfind("sub:", 0) == 0)
        return "the worker of agent '" + role.substr(4) + "' (rank " + std::to_string(rank) + ")";
    return "worker rank " + std::to_string(rank);
}

void Session::waitForWorkers() {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration<double>(m_options.liveness.connectTimeoutS);
    for (;;) {
        if (const auto early = m_local.exitedEarly(); !early.empty())
            throw PeerFailure(early + " before it connected to the store");
        std::vector<int> missing;
        for (auto& [rank, role] : m_roles) {
            if (!m_link->has(rankKey(rank))) {
                missing.push_back(rank);
                continue;
            }
            const auto registered = m_link->getText(rankKey(rank));
            if (role.empty()) role = registered;
            else if (registered != role)
                throw PeerFailure("rank " + std::to_string(rank) + " registered as '" + registered + "', expected '" + role + "'");
        }
        if (missing.empty()) break;
        if (std::chrono::steady_clock::now() > deadline) {
            std::string names;
            for (int r : missing) names += (names.empty() ? "" : ", ") + describe(r);
            throw PeerFailure(std::to_string(missing.size()) + " worker(s) did not connect to the store at " +
                              toString(m_link->address()) + " within " +
                              std::to_string(static_cast<int>(m_options.liveness.connectTimeoutS)) + " s: " + names);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (const auto& [rank, role] : m_roles)
        if (role.rfind("sub:", 0) != 0 || role.size() <= 4)
            throw PeerFailure("rank " + std::to_string(rank) + " registered with role '" + role +
                              "'; workers serve 'sub:<agent-id>' (the main agent trains in the main process)");
}

void Session::checkPeers() {
    if (const auto early = m_local.exitedEarly(); !early.empty()) throw PeerFailure(early);
    for (const auto& [rank, role] : m_roles) {
        if (m_link->has(errorKey(rank))) throw PeerFailure(describe(rank) + " failed: " + m_link->getText(errorKey(rank)));
        m_heartbeats->check(rank, describe(rank));
    }
}

void Session::command(nlohmann::json cmd) {
    m_link->setText(commandKey(m_commands++), cmd.dump());
}

void Session::beginPhase(nlohmann::json header, const std::map<std::string, AgentInit>& init) {
    // The previous phase's payloads were read by every worker before it ended.
    if (m_phase >= 0)
        for (const auto& [agent, n] : m_ranks)
            for (const auto* what : {"params", "optimizer", "reference"})
                if (m_link->has(phaseKey(m_phase, "init/" + agent + "/" + what)))
                    m_link->erase(phaseKey(m_phase, "init/" + agent + "/" + what));
    m_phase++;
    m_collected.clear();
    auto agents = nlohmann::json::array();
    for (const auto& [agent, data] : init) {
        m_link->set(phaseKey(m_phase, "init/" + agent + "/params"), data.parameters);
        m_link->set(phaseKey(m_phase, "init/" + agent + "/optimizer"), data.optimizer);
        if (!data.reference.empty()) m_link->set(phaseKey(m_phase, "init/" + agent + "/reference"), data.reference);
        agents.push_back(agent);
        m_collected[agent] = header.at("step").get<int>();
    }
    header["op"] = "phase";
    header["phase"] = m_phase;
    header["agents"] = agents;
    command(header);
}

void Session::submitStep(int t, const std::vector<Rollout>& rollouts, const std::vector<std::string>& agents) {
    m_link->set(phaseKey(m_phase, "rcm/" + std::to_string(t)), encodeCorrectness(rollouts));
    for (const auto& agent : agents)
        m_link->set(phaseKey(m_phase, "batch/" + agent + "/" + std::to_string(t)), encodeAgentBatch(rollouts, agent));
    command({{"op", "step"}, {"phase", m_phase}, {"t", t}, {"agents", agents}});
}

bool Session::ready(const std::string& agent, int version) {
    return m_link->has(phaseKey(m_phase, "metrics/" + agent + "/" + std::to_string(version)));
}

RemoteUpdate Session::collect(const std::string& agent, int version) {
    const auto v = std::to_string(version), t = std::to_string(version - 1);
    const auto metricsKey = phaseKey(m_phase, "metrics/" + agent + "/" + v);
    m_link->waitFor(metricsKey, [this] { checkPeers(); });
    RemoteUpdate u;
    u.parameters = m_link->get(phaseKey(m_phase, "params/" + agent + "/" + v));
    u.metrics = decodeJson(m_link->get(metricsKey)).get<std::map<std::string, double>>();
    // Read once, by this process only (the batch: by every rank before its leader published).
    m_link->erase(phaseKey(m_phase, "params/" + agent + "/" + v));
    m_link->erase(metricsKey);
    m_link->erase(phaseKey(m_phase, "batch/" + agent + "/" + t));
    m_collected[agent] = version;
    bool allHave = true;
    for (const auto& [a, c] : m_collected) allHave = allHave && c >= version;
    const auto rcm = phaseKey(m_phase, "rcm/" + t);
    if (allHave && m_link->has(rcm)) m_link->erase(rcm);
    return u;
}

Bytes Session::optimizerState(const std::string& agent, int version) {
    command({{"op", "save"}, {"phase", m_phase}, {"agent", agent}, {"version", version}});
    const auto key = phaseKey(m_phase, "optim/" + agent + "/" + std::to_string(version));
    m_link->waitFor(key, [this] { checkPeers(); });
    auto bytes = m_link->get(key);
    m_link->erase(key);
    return bytes;
}

void Session::close() {
    if (m_closed) return;
    command({{"op", "end"}});
    m_closed = true;
    if (m_options.spawnLocal) m_local.join(30.0);
}

std::shared_ptr<Session> openSession(const DecoupledOptions& options, const Topology& topology, Log log) {
    return std::make_shared<Session>(options, topology, std::move(log));
}
void closeSession(Session& session) { session.close(); }
int sessionPort(const Session& session) { return const_cast<Session&>(session).link().port(); }
long long sessionBytesSent(const Session& session) { return const_cast<Session&>(session).link().bytesSent(); }
long long sessionBytesReceived(const Session& session) { return const_cast<Session&>(session).link().bytesReceived(); }

}  // namespace mgrpo::core::dist
