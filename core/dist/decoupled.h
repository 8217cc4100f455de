// Decoupled training (MGRPO.md section 6) over LibTorch's c10d: one process
// per agent trainer (optionally several data-parallel ranks per agent) that
// meet in a c10d TCPStore held by the main-agent process. Per step the main
// process publishes each remote agent's sub-trajectories and r_correct_main;
// the agent's worker aligns, trains and publishes its new parameters
// (versioned by step) and metrics. Only trajectories, rewards, parameters and
// statistics cross the store, never gradients (except inside one agent's own
// data-parallel group). Torch-free interface; the implementation is in
// core/dist/*.cpp.
#pragma once

#include "core/agents/topology.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace mgrpo::core::dist {

struct StoreAddress {
    std::string host = "127.0.0.1";
    int port = 0;  // 0 on the main process: the OS picks a free port
};
// "HOST:PORT"; throws ConfigError naming the text otherwise.
StoreAddress parseStoreAddress(const std::string& text);
std::string toString(const StoreAddress& address);
bool isLoopback(const std::string& host);

// Bounded waits: a worker that never connects or stops sending heartbeats
// fails the run with a message naming it.
struct Liveness {
    double connectTimeoutS = 60;    // until every worker has registered with the store
    double heartbeatTimeoutS = 20;  // silence after which a process counts as dead
};

// How the main process lays out a decoupled run. Saved as
// <out>/decoupled.json so `mgrpo resume` restarts the same processes.
struct DecoupledOptions {
    StoreAddress store;
    // Worker processes per sub-agent id (its data-parallel ranks). Empty:
    // one worker for every trained sub-agent.
    std::map<std::string, int> ranks;
    // How many updates a remote agent's parameters may lag behind the step
    // that rolls out with them (0: sample-level synchronisation, as the paper).
    int maxStaleness = 0;
    Liveness liveness;
    // Start the workers on this machine (mgrpo run --decoupled); otherwise
    // wait for `externalWorkers` processes started with `mgrpo serve`.
    bool spawnLocal = true;
    int externalWorkers = 0;
    std::string workerExecutable;  // the mgrpo binary local workers run
    std::string logDir;            // worker-<rank>.log files here (empty: inherit stderr)
};
nlohmann::json toJson(const DecoupledOptions& options);
DecoupledOptions decoupledOptionsFromJson(const nlohmann::json& json);
// <outDir>/decoupled.json, or nothing for a single-process run.
void saveDecoupledOptions(const std::string& outDir, const DecoupledOptions& options);
bool loadDecoupledOptions(const std::string& outDir, DecoupledOptions& options);

// The main process's side: owns the store (and the local workers). Trainers
// attached to it (Trainer::decouple) send their remote agents' updates there.
class Session;
using Log = std::function<void(const std::string&)>;
// Starts the store, spawns or waits for the workers (bounded by
// connectTimeoutS) and publishes the layout. `topology` names the agents.
std::shared_ptr<Session> openSession(const DecoupledOptions& options, const Topology& topology, Log log = {});
// Tells every worker the run is over and waits for them to exit (bounded).
void closeSession(Session& session);
// The store's bound port (useful when options.store.port was 0).
int sessionPort(const Session& session);
// Bytes of values written to / read from the store by this process so far.
long long sessionBytesSent(const Session& session);
long long sessionBytesReceived(const Session& session);

struct ServeOptions {
    std::string role;  // "sub:<agent-id>" (`main` runs the experiment itself, see the CLI)
    StoreAddress store;
    int world = 0;  // processes in the run, the main process included
    int rank = 0;   // this process, 1..world-1 for workers
    Liveness liveness;
};
// Runs one worker until the main process ends the run. Throws (after telling
// the main process through the store) on any failure.
void serveWorker(const ServeOptions& options, Log log = {});

}  // namespace mgrpo::core::dist
