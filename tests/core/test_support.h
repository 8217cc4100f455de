// Shared helpers for core tests: the device under test and small models.
#pragma once

#include "core/agents/topology.h"
#include "core/agents/trajectory.h"
#include "core/model/transformer.h"
#include "core/train/warm_start.h"
#include "core/util/files.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace mgrpo::test {

// MGRPO_TEST_DEVICE=cuda:0 runs the model tests on a GPU; default cpu.
inline torch::Device testDevice() {
    const char* env = std::getenv("MGRPO_TEST_DEVICE");
    return torch::Device(env && *env ? env : "cpu");
}

inline core::ModelConfig tinyConfig(int vocab = 32, int context = 64) {
    core::ModelConfig c;
    c.vocabSize = vocab;
    c.dModel = 32;
    c.nLayers = 2;
    c.nHeads = 4;
    c.contextLength = context;
    return c;
}

// The paper's topology (main + search sub-agent) with every model resized.
inline core::Topology paperTopologySized(int dModel, int nLayers, int nHeads = 4) {
    auto t = core::paperTopology();
    for (auto& a : t.agents) {
        a.model.dModel = dModel;
        a.model.nLayers = nLayers;
        a.model.nHeads = nHeads;
    }
    return t;
}

// A fresh, empty directory under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir() {
        m_path = std::filesystem::path(core::temporaryDirectory()) /
                 ("mgrpo-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_counter++));
        core::removeTree(m_path);
        core::createDirectories(m_path);
    }
    ~TempDir() { core::removeTree(m_path); }
    const std::filesystem::path& path() const { return m_path; }

private:
    static inline int s_counter = 0;
    std::filesystem::path m_path;
};

// The paper's topology at its smallest (d32, 1 layer, 2 heads; 4 turns of 16 tokens).
inline core::Topology smallestPaperTopology() {
    auto t = paperTopologySized(32, 1, 2);
    for (auto& a : t.agents) {
        a.maxTurns = 4;
        a.maxTokensPerTurn = 16;
    }
    return t;
}

// A short warm start (stage 1, 60 demonstrations x 40 steps) of `t` into `dir`:
// imperfect on purpose, but the planner delegates, so sub-agents get samples
// to train on (random models rarely delegate). Returns the warm topology.
inline core::Topology tinyWarmStart(const core::Topology& t, const std::filesystem::path& dir) {
    const core::WarmStartOptions o{
        .stage = 1, .demonstrations = 60, .steps = 40, .batchSize = 16, .learningRate = 0.01, .evalQueries = 0};
    return core::loadTopologyFile(core::warmStart(t, o, dir.string()).topologyPath);
}

// Synthetic invocations over a 32-token vocabulary: a prompt then an action
// with sampling log-probs, of varied lengths, so packing and padding differ
// between rows.
inline std::vector<core::Invocation> syntheticInvocations(int n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<core::Invocation> out(static_cast<size_t>(n));
    for (auto& inv : out) {
        core::Segment prompt, action;
        prompt.kind = core::SegmentKind::Prompt;
        action.kind = core::SegmentKind::Action;
        for (int i = 0, len = 2 + static_cast<int>(rng() % 5); i < len; ++i)
            prompt.tokens.push_back(static_cast<int>(rng() % 32));
        for (int i = 0, len = 1 + static_cast<int>(rng() % 9); i < len; ++i) {
            action.tokens.push_back(static_cast<int>(rng() % 32));
            action.logProbs.push_back(-0.5f - static_cast<float>(rng() % 1000) / 500.0f);
        }
        inv.segments = {prompt, action};
    }
    return out;
}

}  // namespace mgrpo::test
