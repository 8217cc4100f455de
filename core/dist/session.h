// Core-internal: the main process's side of a decoupled run (see decoupled.h).
// The trainer drives it per step: beginPhase once per trainer, submitStep
// after alignment, collect before the next rollouts need the new weights,
// optimizerState when it writes a checkpoint.
#pragma once

#include "core/dist/decoupled.h"
#include "core/dist/local_workers.h"
#include "core/dist/store_link.h"
#include "core/agents/trajectory.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mgrpo::core::dist {

struct AgentInit {
    Bytes parameters;
    Bytes optimizer;
    Bytes reference;  // start parameters for the KL term (empty without one)
};

struct RemoteUpdate {
    Bytes parameters;
    std::map<std::string, double> metrics;
};

class Session {
public:
    Session(const DecoupledOptions& options, const Topology& topology, Log log);
    ~Session();

    bool isRemote(const std::string& agent) const { return m_ranks.count(agent) > 0; }
    int maxStaleness() const { return m_options.maxStaleness; }

    // A new trainer (phase): header = {config, topology, D, step}.
    void beginPhase(nlohmann::json header, const std::map<std::string, AgentInit>& init);
    // Step t's sub-trajectories of every remote agent in `agents`, and r_correct_main.
    void submitStep(int t, const std::vector<Rollout>& rollouts, const std::vector<std::string>& agents);
    bool ready(const std::string& agent, int version);
    // Parameters after `version` updates and that update's metrics (waits).
    RemoteUpdate collect(const std::string& agent, int version);
    Bytes optimizerState(const std::string& agent, int version);
    void close();

    StoreLink& link() { return *m_link; }

private:
    void command(nlohmann::json cmd);
    void checkPeers();
    void waitForWorkers();
    std::string describe(int rank) const;

    DecoupledOptions m_options;
    Log m_log;
    std::unique_ptr<StoreLink> m_link;
    std::unique_ptr<HeartbeatWatch> m_heartbeats;
    LocalWorkers m_local;
    std::map<int, std::string> m_roles;       // worker rank -> role
    std::map<std::string, int> m_ranks;       // remote agent -> worker count
    std::map<std::string, int> m_collected;   // remote agent -> newest collected version
    int m_commands = 0;
    int m_phase = -1;
    bool m_closed = false;
};

}  // namespace mgrpo::core::dist
