// Core-internal: one agent's checkpoint as a directory
//   config.json     model config + user metadata (step, agent, run ...)
//   tokenizer.json  the tokenizer, so a checkpoint is self-contained
//   model.pt        parameters (torch::save)
//   optimizer.pt    optimizer state, when one is given
// written to a temporary sibling directory and renamed into place, so a crash
// never leaves a half-written checkpoint under the final name.
#pragma once

#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

namespace mgrpo::core {

class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct LoadedCheckpoint {
    ModelConfig config;
    TransformerLM model{nullptr};
    std::unique_ptr<Tokenizer> tokenizer;
    nlohmann::json metadata;
};

void saveCheckpoint(const std::filesystem::path& dir, TransformerLM& model, const Tokenizer& tokenizer,
                    torch::optim::Optimizer* optimizer = nullptr, const nlohmann::json& metadata = {});

// If `expected` is given and differs, throws CheckpointError naming the field.
// Missing or corrupt files throw CheckpointError naming the file.
LoadedCheckpoint loadCheckpoint(const std::filesystem::path& dir, const std::optional<ModelConfig>& expected = {},
                                const torch::Device& device = torch::kCPU);

// Restores optimizer state saved with the checkpoint (the optimizer must have
// been built over the loaded model's parameters). Returns false if none was saved.
bool loadOptimizerState(const std::filesystem::path& dir, torch::optim::Optimizer& optimizer);

}  // namespace mgrpo::core
