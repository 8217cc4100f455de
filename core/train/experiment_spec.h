// A whole experiment as `mgrpo run experiments/<name>.json` reads it: the
// topology (a template name, a path relative to the file, or inline JSON), an
// optional supervised warm start, the curriculum (stage-1 steps before the
// main stage) and the training config of ExperimentConfig at the top level.
// Torch-free; the GUI launcher and the CLI read the same file.
#pragma once

#include "core/agents/topology.h"
#include "core/train/experiment_config.h"
#include "core/train/warm_start.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mgrpo::core {

struct WarmStartSpec {
    int demonstrations = 0;      // expert-solved questions; 0 = no warm start
    int steps = 300;             // optimizer steps per agent
    int batchSize = 16;          // demonstrations per step
    double learningRate = 2e-3;  // AdamW peak, cosine to 10%
    int readingSteps = 0;        // reading exercises first, for agents that open pages (env/reading.h)
    int readingBatch = WarmStartOptions{}.readingBatch;  // pages per reading step
    int stage = 1;               // stage the demonstrations come from
    env::ExpertConfig expert = WarmStartOptions{}.expert;  // the teachers' mistake rates ("expert")

    bool enabled() const { return demonstrations > 0; }
    bool operator==(const WarmStartSpec&) const = default;
};

struct ExperimentSpec {
    ExperimentConfig training;   // the main stage (config.stage, config.steps)
    std::string topologyRef;     // as written: template name, path, or "inline"
    Topology topology;           // resolved
    WarmStartSpec warmStart;
    int stage1Steps = 0;         // curriculum: stage-1 steps before the main stage (MGRPO.md section 8)
};

// Command-line overrides applied on top of the file.
struct ExperimentOverrides {
    std::optional<int> steps;            // main-stage steps
    std::optional<uint64_t> seed;
    std::optional<std::string> device;   // every agent's device
    std::optional<std::string> algorithm;
};

// `baseDir` resolves a relative topology path. Throws ConfigError naming the field.
ExperimentSpec experimentSpecFromJson(const nlohmann::json& json, const std::string& baseDir = ".");
ExperimentSpec loadExperimentSpec(const std::string& path);
nlohmann::json toJson(const ExperimentSpec& spec);  // topology inlined: self-contained
void applyOverrides(ExperimentSpec& spec, const ExperimentOverrides& overrides);

// "paper", "single", "two-specialists" -> the template; otherwise nullopt.
std::optional<Topology> topologyTemplate(const std::string& name);

}  // namespace mgrpo::core
