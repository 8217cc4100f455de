#include "core/agents/agent_models.h"

#include "core/env/protocol.h"
#include "core/env/vocabulary.h"
#include "core/model/checkpoint.h"
#include "core/system/device.h"

namespace mgrpo::core {

std::shared_ptr<const Tokenizer> builtinTokenizer() {
    static const auto tokenizer = std::make_shared<const WordTokenizer>(env::vocabulary());
    return tokenizer;
}

AgentModels buildAgentModels(const Topology& topology, uint64_t seed) {
    AgentModels out;
    out.tokenizer = builtinTokenizer();
    uint64_t agentSeed = seed;
    for (const auto& agent : topology.agents) {
        auto config = agent.model;
        config.vocabSize = out.tokenizer->vocabSize();
        const auto device = parseDevice(agent.device);
        if (!agent.checkpoint.empty()) {
            auto ckpt = loadCheckpoint(agent.checkpoint, config, device);
            if (ckpt.tokenizer->toJson() != out.tokenizer->toJson())
                throw CheckpointError("checkpoint '" + agent.checkpoint + "' of agent '" + agent.id +
                                      "' uses a different vocabulary than the built-in environment");
            out.models.emplace(agent.id, ckpt.model);
        } else {
            out.models.emplace(agent.id, makeTransformer(config, agentSeed, device));
        }
        agentSeed = agentSeed * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    return out;
}

std::map<std::string, std::shared_ptr<AgentPolicy>> neuralPolicies(const Topology& topology, AgentModels& models,
                                                                   std::optional<double> temperature) {
    std::map<std::string, std::shared_ptr<AgentPolicy>> out;
    for (const auto& agent : topology.agents) {
        auto sampling = agent.sampling;
        if (temperature) sampling.temperature = *temperature;
        out[agent.id] = std::make_shared<NeuralPolicy>(models.models.at(agent.id), models.tokenizer, sampling,
                                                       env::stopWords());
    }
    return out;
}

}  // namespace mgrpo::core
