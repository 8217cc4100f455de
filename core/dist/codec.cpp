#include "core/dist/codec.h"

#include "core/util/json_fields.h"

#include <cstring>
#include <sstream>

namespace mgrpo::core::dist {

Bytes encodeParameters(TransformerLM& model) {
    Bytes out;
    for (const auto& p : model->parameters()) {
        const auto t = p.detach().to(torch::kCPU, torch::kFloat).contiguous();
        const auto* data = reinterpret_cast<const uint8_t*>(t.data_ptr<float>());
        out.insert(out.end(), data, data + t.numel() * sizeof(float));
    }
    return out;
}

void decodeParameters(const Bytes& bytes, TransformerLM& model, const std::string& agent) {
    auto params = model->parameters();
    size_t expected = 0;
    for (const auto& p : params) expected += static_cast<size_t>(p.numel()) * sizeof(float);
    if (bytes.size() != expected)
        throw ConfigError("parameters of agent '" + agent + "' arrived with " + std::to_string(bytes.size()) +
                          " bytes, its model has " + std::to_string(expected) + " (different model configs?)");
    torch::NoGradGuard noGrad;
    size_t offset = 0;
    for (auto& p : params) {
        auto src = torch::from_blob(const_cast<uint8_t*>(bytes.data() + offset), p.sizes(), torch::kFloat);
        p.copy_(src);
        offset += static_cast<size_t>(p.numel()) * sizeof(float);
    }
}

Bytes encodeOptimizer(torch::optim::Optimizer& optimizer) {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream out;
    archive.save_to(out);
    const auto s = out.str();
    return {s.begin(), s.end()};
}

void decodeOptimizer(const Bytes& bytes, torch::optim::Optimizer& optimizer) {
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    optimizer.load(archive);
}

Bytes encodeAgentBatch(const std::vector<Rollout>& rollouts, const std::string& agent) {
    auto list = nlohmann::json::array();
    for (const auto& r : rollouts) {
        Rollout trimmed;
        trimmed.query = r.query;
        trimmed.sample = r.sample;
        Invocation standIn;
        standIn.agentId = r.main().agentId;
        trimmed.invocations.push_back(standIn);
        for (const auto& inv : r.invocations)
            if (inv.agentId == agent && inv.parent >= 0) {
                trimmed.invocations.push_back(inv);
                trimmed.invocations.back().reward = 0.0;  // recomputed by the worker
            }
        list.push_back(toJson(trimmed));
    }
    return nlohmann::json::to_cbor(list);
}

std::vector<Rollout> decodeAgentBatch(const Bytes& bytes) {
    std::vector<Rollout> out;
    for (const auto& j : nlohmann::json::from_cbor(bytes)) out.push_back(rolloutFromJson(j));
    return out;
}

Bytes encodeCorrectness(const std::vector<Rollout>& rollouts) {
    Bytes out;
    for (const auto& r : rollouts) out.push_back(r.correct ? 1 : 0);
    return out;
}

std::vector<bool> decodeCorrectness(const Bytes& bytes) { return {bytes.begin(), bytes.end()}; }

Bytes encodeJson(const nlohmann::json& json) { return nlohmann::json::to_cbor(json); }
nlohmann::json decodeJson(const Bytes& bytes) { return nlohmann::json::from_cbor(bytes); }

}  // namespace mgrpo::core::dist
