#include "core/train/experiment_spec.h"

#include "core/util/files.h"
#include "core/util/json_fields.h"

#include <filesystem>
#include <fstream>

namespace mgrpo::core {

namespace fs = std::filesystem;

std::optional<Topology> topologyTemplate(const std::string& name) {
    if (name == "paper") return paperTopology();
    if (name == "single") return singleAgentTopology();
    if (name == "two-specialists") return twoSpecialistTopology();
    return std::nullopt;
}

namespace {

WarmStartSpec warmStartFromJson(const nlohmann::json& j) {
    const std::string x = "experiment.warm_start";
    WarmStartSpec w;
    w.demonstrations = readRanged(j, x, "demonstrations", w.demonstrations, 0, 1000000);
    w.steps = readRanged(j, x, "steps", w.steps, 1, 1000000);
    w.batchSize = readRanged(j, x, "batch_size", w.batchSize, 1, 4096);
    w.learningRate = readRanged(j, x, "learning_rate", w.learningRate, 1e-7, 1.0);
    w.stage = readRanged(j, x, "stage", w.stage, 1, 2);
    w.readingSteps = readRanged(j, x, "reading_steps", w.readingSteps, 0, 1000000);
    w.readingBatch = readRanged(j, x, "reading_batch", w.readingBatch, 1, 4096);
    if (const auto it = j.find("expert"); it != j.end()) {
        if (!it->is_object())
            throw ConfigError(x + ".expert: expected an object of mistake rates (wrong_hop, skip_verification, "
                                  "premature_answer)");
        // Fields left out keep the defaults, not zero.
        auto merged = env::toJson(w.expert);
        merged.merge_patch(*it);
        w.expert = env::expertConfigFromJson(merged, x + ".expert");
    }
    return w;
}

nlohmann::json toJson(const WarmStartSpec& w) {
    return {{"demonstrations", w.demonstrations}, {"steps", w.steps}, {"batch_size", w.batchSize},
            {"learning_rate", w.learningRate},    {"stage", w.stage}, {"reading_steps", w.readingSteps},
            {"reading_batch", w.readingBatch},    {"expert", env::toJson(w.expert)}};
}

Topology resolveTopology(const nlohmann::json& j, const std::string& baseDir, std::string& ref) {
    const auto it = j.find("topology");
    if (it == j.end()) throw ConfigError("experiment.topology is missing (a template name, a file, or an object)");
    if (it->is_object()) {
        ref = "inline";
        try {
            return topologyFromJson(*it);
        } catch (const ConfigError& e) {
            throw ConfigError(std::string("experiment.topology: ") + e.what());
        }
    }
    if (!it->is_string()) throw ConfigError("experiment.topology: expected a string or an object");
    ref = it->get<std::string>();
    if (auto t = topologyTemplate(ref)) return *t;
    const fs::path path = fs::path(ref).is_absolute() ? fs::path(ref) : fs::path(baseDir) / ref;
    if (!pathExists(path))
        throw ConfigError("experiment.topology = '" + ref +
                          "' is neither a template (paper, single, two-specialists) nor a file");
    return loadTopologyFile(path.string());
}

}  // namespace

ExperimentSpec experimentSpecFromJson(const nlohmann::json& j, const std::string& baseDir) {
    if (!j.is_object()) throw ConfigError("experiment: expected a JSON object");
    ExperimentSpec s;
    s.training = experimentConfigFromJson(j);
    s.topology = resolveTopology(j, baseDir, s.topologyRef);
    s.warmStart = warmStartFromJson(readField(j, "experiment", "warm_start", nlohmann::json::object()));
    const auto curriculum = readField(j, "experiment", "curriculum", nlohmann::json::object());
    s.stage1Steps = readRanged(curriculum, "experiment.curriculum", "stage1_steps", 0, 0, 1000000);
    return s;
}

namespace {

nlohmann::json readExperimentJson(const std::string& path, int depth) {
    std::ifstream in(path);
    if (!in) throw ConfigError("cannot open experiment file '" + path + "'");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError("experiment file '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    // "extends": a base experiment this file overrides field by field (JSON merge patch).
    if (!j.is_object() || !j.contains("extends")) return j;
    if (!j["extends"].is_string()) throw ConfigError("experiment file '" + path + "': extends must be a file name");
    if (depth > 8) throw ConfigError("experiment file '" + path + "': extends nests too deep (a cycle?)");
    const auto base = (fs::path(path).parent_path() / j["extends"].get<std::string>()).string();
    auto merged = readExperimentJson(base, depth + 1);
    j.erase("extends");
    merged.merge_patch(j);
    return merged;
}

}  // namespace

ExperimentSpec loadExperimentSpec(const std::string& path) {
    const auto j = readExperimentJson(path, 0);
    try {
        return experimentSpecFromJson(j, fs::path(path).parent_path().string());
    } catch (const ConfigError& e) {
        throw ConfigError("experiment file '" + path + "': " + e.what());
    }
}

nlohmann::json toJson(const ExperimentSpec& s) {
    auto j = toJson(s.training);
    j["topology"] = toJson(s.topology);
    j["topology_source"] = s.topologyRef;
    j["warm_start"] = toJson(s.warmStart);
    j["curriculum"] = {{"stage1_steps", s.stage1Steps}};
    return j;
}

void applyOverrides(ExperimentSpec& spec, const ExperimentOverrides& o) {
    // Re-read through the validating parser so overrides get the same range checks.
    auto j = toJson(spec.training);
    if (o.steps) j["steps"] = *o.steps;
    if (o.seed) j["seed"] = *o.seed;
    if (o.algorithm) j["algorithm"] = *o.algorithm;
    spec.training = experimentConfigFromJson(j);
    if (o.device)
        for (auto& a : spec.topology.agents) a.device = *o.device;
}

}  // namespace mgrpo::core
