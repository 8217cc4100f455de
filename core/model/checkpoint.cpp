#include "core/model/checkpoint.h"

#include "core/util/atomic_dir.h"
#include "core/util/files.h"

#include <fstream>

namespace mgrpo::core {

namespace fs = std::filesystem;

namespace {

nlohmann::json readJsonFile(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw CheckpointError("checkpoint file '" + file.string() + "' is missing or unreadable");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw CheckpointError("checkpoint file '" + file.string() + "' is not valid JSON: " + e.what());
    }
}

void writeJsonFile(const fs::path& file, const nlohmann::json& json) {
    std::ofstream out(file);
    out << json.dump(2) << '\n';
    if (!out) throw CheckpointError("cannot write '" + file.string() + "'");
}

}  // namespace

void saveCheckpoint(const fs::path& dir, TransformerLM& model, const Tokenizer& tokenizer,
                    torch::optim::Optimizer* optimizer, const nlohmann::json& metadata) {
    writeDirectoryAtomically(dir, [&](const fs::path& tmp) {
        writeJsonFile(tmp / "config.json",
                      {{"format", "mgrpo-checkpoint-1"}, {"model", toJson(model->config())}, {"metadata", metadata}});
        writeJsonFile(tmp / "tokenizer.json", tokenizer.toJson());
        torch::save(model, (tmp / "model.pt").string());
        if (optimizer) torch::save(*optimizer, (tmp / "optimizer.pt").string());
    });
}

LoadedCheckpoint loadCheckpoint(const fs::path& dir, const std::optional<ModelConfig>& expected,
                                const torch::Device& device) {
    if (!isDirectory(dir)) throw CheckpointError("checkpoint '" + dir.string() + "' is not a directory");
    const auto config = readJsonFile(dir / "config.json");
    if (config.value("format", "") != "mgrpo-checkpoint-1")
        throw CheckpointError("checkpoint '" + dir.string() + "': config.json is not an M-GRPO checkpoint config");
    LoadedCheckpoint ckpt;
    try {
        ckpt.config = modelConfigFromJson(config.at("model"), "model");
        ckpt.tokenizer = tokenizerFromJson(readJsonFile(dir / "tokenizer.json"));
    } catch (const CheckpointError&) {
        throw;
    } catch (const std::exception& e) {
        throw CheckpointError("checkpoint '" + dir.string() + "': " + e.what());
    }
    if (expected) {
        const auto diff = describeMismatch(*expected, ckpt.config);
        if (!diff.empty()) throw CheckpointError("checkpoint '" + dir.string() + "' does not match: " + diff);
    }
    if (ckpt.tokenizer->vocabSize() != ckpt.config.vocabSize)
        throw CheckpointError("checkpoint '" + dir.string() + "': tokenizer has " +
                              std::to_string(ckpt.tokenizer->vocabSize()) + " tokens but model.vocab_size is " +
                              std::to_string(ckpt.config.vocabSize));
    ckpt.metadata = config.value("metadata", nlohmann::json::object());
    ckpt.model = TransformerLM(ckpt.config);
    try {
        torch::load(ckpt.model, (dir / "model.pt").string());
    } catch (const std::exception& e) {
        std::string what = e.what();
        throw CheckpointError("checkpoint '" + dir.string() + "': model.pt is corrupt or does not fit the config (" +
                              what.substr(0, what.find('\n')) + ")");
    }
    ckpt.model->to(device);
    return ckpt;
}

bool loadOptimizerState(const fs::path& dir, torch::optim::Optimizer& optimizer) {
    const auto file = dir / "optimizer.pt";
    if (!pathExists(file)) return false;
    try {
        torch::load(optimizer, file.string());
    } catch (const std::exception& e) {
        std::string what = e.what();
        throw CheckpointError("checkpoint '" + dir.string() + "': optimizer.pt is corrupt (" +
                              what.substr(0, what.find('\n')) + ")");
    }
    return true;
}

}  // namespace mgrpo::core
