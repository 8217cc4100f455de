// A worker process (mgrpo serve --role sub:<agent>): registers with the store,
// follows the main process's commands and trains its agent on exactly the
// sub-trajectories of each step's rollouts, with its rewards recomputed from
// r_correct_main read from the store. With several ranks per agent the ranks
// form a Gloo process group of their own and sum gradients there; rank 0 of
// the group (the leader) publishes parameters, metrics and optimizer state.
#include "core/agents/agent_models.h"
#include "core/agents/rewards.h"
#include "core/dist/codec.h"
#include "core/dist/decoupled.h"
#include "core/dist/store_link.h"
#include "core/train/agent_update.h"
#include "core/util/json_fields.h"

#ifdef MGRPO_HAVE_GLOO
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif

#include <optional>

namespace mgrpo::core::dist {

namespace {

// The agent's state within the current phase (one trainer of the main process).
struct AgentState {
    ExperimentConfig config;
    Topology topology;
    std::map<std::string, int> D;
    std::optional<TransformerLM> model, reference;
    std::unique_ptr<torch::optim::AdamW> optimizer;
};

TransformerLM freshModel(const Topology& topology, const std::string& agent, uint64_t seed) {
    Topology only = topology;
    only.agents.clear();
    auto spec = *topology.find(agent);
    spec.checkpoint.clear();  // the parameters come from the store
    only.agents.push_back(spec);
    return buildAgentModels(only, seed).models.at(agent);
}

#ifdef MGRPO_HAVE_GLOO
struct DataParallelGroup {
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    DataParallel dp;
};

std::unique_ptr<DataParallelGroup> makeGroup(StoreLink& link, const std::string& agent, int index, int size,
                                             double timeoutS) {
    auto g = std::make_unique<DataParallelGroup>();
    auto options = c10d::ProcessGroupGloo::Options::create();
    options->timeout = std::chrono::milliseconds(static_cast<int64_t>(timeoutS * 1000));
    options->devices.push_back(isLoopback(link.address().host)
                                   ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                   : c10d::ProcessGroupGloo::createDefaultDevice());
    g->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
        c10::make_intrusive<c10d::PrefixStore>("pg/" + agent + "/", link.store()), index, size, options);
    auto* group = g->group.get();
    g->dp = {index, size, [group](torch::Tensor& t) {
                 std::vector<at::Tensor> tensors{t};
                 group->allreduce(tensors)->wait();
             }};
    return g;
}
#else
struct DataParallelGroup {
    DataParallel dp;
};

std::unique_ptr<DataParallelGroup> makeGroup(StoreLink&, const std::string& agent, int, int size, double) {
    throw ConfigError("agent '" + agent + "' has " + std::to_string(size) +
                      " data-parallel ranks, but this build found no Gloo headers, which c10d's ProcessGroupGloo "
                      "needs (on Debian: libgloo-dev); rebuild with them or use one rank per agent");
}
#endif

}  // namespace

void serveWorker(const ServeOptions& o, Log log) {
    if (o.role.rfind("sub:", 0) != 0 || o.role.size() <= 4)
        throw ConfigError("--role '" + o.role + "': a worker serves 'sub:<agent-id>'");
    if (o.world < 2 || o.rank < 1 || o.rank >= o.world)
        throw ConfigError("--rank " + std::to_string(o.rank) + " --world " + std::to_string(o.world) +
                          ": a worker's rank is 1..world-1 (rank 0 is the main process)");
    const auto agent = o.role.substr(4);
    const auto prefix = "sub." + agent;
    StoreLink link(o.store, /*master=*/false, o.rank, o.liveness.connectTimeoutS);
    HeartbeatWatch heartbeats(link, o.liveness.heartbeatTimeoutS);
    const auto check = [&] {
        if (link.has("abort")) throw PeerFailure("the main process gave up: " + link.getText("abort"));
        heartbeats.check(0, "the main process (store " + toString(o.store) + ")");
    };
    try {
        link.setText(rankKey(o.rank), o.role);
        link.waitFor("layout", check);
        const auto layout = nlohmann::json::parse(link.getText("layout"));
        std::vector<int> peers;  // ranks serving this agent, in rank order
        for (const auto& [rank, role] : layout.items())
            if (role.get<std::string>() == o.role) peers.push_back(std::stoi(rank));
        std::sort(peers.begin(), peers.end());
        const int index = static_cast<int>(std::find(peers.begin(), peers.end(), o.rank) - peers.begin());
        const int size = static_cast<int>(peers.size());
        const bool leader = index == 0;
        auto group = size > 1 ? makeGroup(link, agent, index, size, o.liveness.heartbeatTimeoutS) : nullptr;
        if (log) log("worker " + o.role + " rank " + std::to_string(o.rank) + ": connected to " + toString(o.store) +
                     (size > 1 ? ", data-parallel rank " + std::to_string(index) + " of " + std::to_string(size) : ""));
        AgentState s;
        bool active = false;
        for (int n = 0;; ++n) {
            link.waitFor(commandKey(n), check);
            const auto cmd = nlohmann::json::parse(link.getText(commandKey(n)));
            const auto op = cmd.at("op").get<std::string>();
            if (op == "end") {
                if (log) log("worker " + o.role + " rank " + std::to_string(o.rank) + ": run over");
                return;
            }
            const int phase = cmd.value("phase", 0);
            if (op == "phase") {
                const auto agents = cmd.at("agents").get<std::vector<std::string>>();
                active = std::find(agents.begin(), agents.end(), agent) != agents.end();
                if (!active) continue;
                s = AgentState{};
                s.config = experimentConfigFromJson(cmd.at("config"));
                s.topology = topologyFromJson(cmd.at("topology"));
                s.D = cmd.at("D").get<std::map<std::string, int>>();
                s.model = freshModel(s.topology, agent, s.config.seed);
                decodeParameters(link.get(phaseKey(phase, "init/" + agent + "/params")), *s.model, agent);
                s.optimizer = std::make_unique<torch::optim::AdamW>(
                    (*s.model)->parameters(),
                    torch::optim::AdamWOptions(s.config.learningRate).weight_decay(s.config.weightDecay));
                decodeOptimizer(link.get(phaseKey(phase, "init/" + agent + "/optimizer")), *s.optimizer);
                if (link.has(phaseKey(phase, "init/" + agent + "/reference"))) {
                    s.reference = freshModel(s.topology, agent, s.config.seed);
                    decodeParameters(link.get(phaseKey(phase, "init/" + agent + "/reference")), *s.reference, agent);
                }
            } else if (op == "step" && active) {
                const auto agents = cmd.at("agents").get<std::vector<std::string>>();
                if (std::find(agents.begin(), agents.end(), agent) == agents.end()) continue;
                const int t = cmd.at("t").get<int>();
                auto rollouts = decodeAgentBatch(link.get(phaseKey(phase, "batch/" + agent + "/" + std::to_string(t))));
                const auto correct = decodeCorrectness(link.get(phaseKey(phase, "rcm/" + std::to_string(t))));
                if (correct.size() != rollouts.size())
                    throw ConfigError("step " + std::to_string(t + 1) + ": r_correct_main has " +
                                      std::to_string(correct.size()) + " rollouts, the batch " +
                                      std::to_string(rollouts.size()));
                // R_S (MGRPO.md section 2) from the main agent's outcome, as assignRewards does.
                for (size_t i = 0; i < rollouts.size(); ++i) {
                    rollouts[i].correct = correct[i];
                    for (auto& inv : rollouts[i].invocations)
                        if (inv.parent >= 0)
                            inv.reward = subReward(inv.formatValid, correct[i], inv.expertScore, s.config.rewards);
                }
                StepMetrics scratch;
                std::vector<nlohmann::json> records;
                auto samples = buildSamples(rollouts, s.topology, s.config, s.D, t, scratch, records);
                std::map<std::string, double> metrics;
                const AgentSpec* spec = s.topology.find(agent);
                if (!spec) throw ConfigError("agent '" + agent + "' is not in the phase's topology");
                updateAgent(*spec, prefix, *s.model, *s.optimizer, s.reference ? &*s.reference : nullptr,
                            samples[agent], s.config, t, metrics, group ? &group->dp : nullptr);
                if (leader) {
                    const auto v = std::to_string(t + 1);
                    link.set(phaseKey(phase, "params/" + agent + "/" + v), encodeParameters(*s.model));
                    link.set(phaseKey(phase, "metrics/" + agent + "/" + v), encodeJson(metrics));  // last: marks ready
                }
            } else if (op == "save" && active && leader && cmd.at("agent").get<std::string>() == agent) {
                link.set(phaseKey(phase, "optim/" + agent + "/" + std::to_string(cmd.at("version").get<int>())),
                         encodeOptimizer(*s.optimizer));
            }
        }
    } catch (const std::exception& e) {
        try {
            link.setText(errorKey(o.rank), e.what());
        } catch (const std::exception&) {
        }
        throw;
    }
}

}  // namespace mgrpo::core::dist
