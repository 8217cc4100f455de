// Checkpoints: bit-identical round trip, optimizer state, atomic replacement,
// and clear errors for mismatched, missing or corrupt files.
#include "core/model/checkpoint.h"
#include "core/rollout/scoring.h"
#include "core/util/atomic_dir.h"
#include "core/util/files.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace mgrpo::core;
using mgrpo::test::TempDir;
using mgrpo::test::testDevice;
using mgrpo::test::tinyConfig;

namespace {

WordTokenizer tokenizerFor(int vocab) {
    std::vector<std::string> words;
    for (int i = special::kCount; i < vocab; ++i) words.push_back(std::string("w").append(std::to_string(i)));
    return WordTokenizer(words);
}

const std::vector<std::vector<int>> kSeqs{{4, 5, 6, 7}, {8, 9}};

torch::Tensor scoresOf(TransformerLM& model) {
    torch::NoGradGuard noGrad;
    return scoreSequences(model, kSeqs).logProbs.to(torch::kCPU);
}

void expectErrorMentions(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        FAIL() << "expected CheckpointError mentioning " << text;
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(Checkpoint, RoundTripIsBitIdentical) {
    TempDir tmp;
    auto config = tinyConfig();
    auto model = makeTransformer(config, 3, testDevice());
    auto tok = tokenizerFor(config.vocabSize);
    saveCheckpoint(tmp.path() / "ckpt", model, tok, nullptr, {{"step", 12}});
    auto loaded = loadCheckpoint(tmp.path() / "ckpt", config, testDevice());
    EXPECT_TRUE(scoresOf(model).equal(scoresOf(loaded.model)));
    EXPECT_EQ(loaded.metadata.at("step"), 12);
    EXPECT_EQ(loaded.tokenizer->encode("w5 w9"), tok.encode("w5 w9"));
    EXPECT_FALSE(pathExists(tmp.path() / ("ckpt.tmp-" + std::to_string(::getpid()))));
}

TEST(Checkpoint, OptimizerStateResumesTheSameTrajectory) {
    TempDir tmp;
    auto config = tinyConfig();
    auto tok = tokenizerFor(config.vocabSize);
    auto lossOf = [](TransformerLM& m) { return -scoreSequences(m, kSeqs).logProbs.sum(); };
    auto stepOnce = [&](TransformerLM& m, torch::optim::Adam& opt) {
        opt.zero_grad();
        lossOf(m).backward();
        opt.step();
    };
    // Reference: 4 uninterrupted Adam steps.
    auto ref = makeTransformer(config, 4, testDevice());
    torch::optim::Adam refOpt(ref->parameters(), torch::optim::AdamOptions(1e-2));
    for (int i = 0; i < 4; ++i) stepOnce(ref, refOpt);
    // Same, but saved after 2 steps and continued from the checkpoint.
    auto a = makeTransformer(config, 4, testDevice());
    torch::optim::Adam aOpt(a->parameters(), torch::optim::AdamOptions(1e-2));
    for (int i = 0; i < 2; ++i) stepOnce(a, aOpt);
    saveCheckpoint(tmp.path() / "c", a, tok, &aOpt);
    auto b = loadCheckpoint(tmp.path() / "c", config, testDevice());
    torch::optim::Adam bOpt(b.model->parameters(), torch::optim::AdamOptions(1e-2));
    ASSERT_TRUE(loadOptimizerState(tmp.path() / "c", bOpt));
    for (int i = 0; i < 2; ++i) stepOnce(b.model, bOpt);
    EXPECT_TRUE(scoresOf(ref).equal(scoresOf(b.model)));
}

TEST(Checkpoint, MismatchedConfigNamesTheField) {
    TempDir tmp;
    auto config = tinyConfig();
    auto model = makeTransformer(config, 3);
    saveCheckpoint(tmp.path() / "c", model, tokenizerFor(config.vocabSize));
    auto other = config;
    other.nLayers = 3;
    expectErrorMentions([&] { loadCheckpoint(tmp.path() / "c", other); }, "'n_layers'");
}

TEST(Checkpoint, MissingOrCorruptFilesAreNamed) {
    TempDir tmp;
    auto config = tinyConfig();
    auto model = makeTransformer(config, 3);
    const auto dir = tmp.path() / "c";
    expectErrorMentions([&] { loadCheckpoint(dir); }, "is not a directory");
    saveCheckpoint(dir, model, tokenizerFor(config.vocabSize));
    {
        std::ofstream(dir / "model.pt", std::ios::trunc) << "not a torch archive";
    }
    expectErrorMentions([&] { loadCheckpoint(dir); }, "model.pt is corrupt");
    {
        std::ofstream(dir / "config.json", std::ios::trunc) << "{ broken";
    }
    expectErrorMentions([&] { loadCheckpoint(dir); }, "config.json' is not valid JSON");
    removeTree(dir / "tokenizer.json");
    {
        std::ofstream(dir / "config.json", std::ios::trunc)
            << nlohmann::json{{"format", "mgrpo-checkpoint-1"}, {"model", toJson(config)}}.dump();
    }
    expectErrorMentions([&] { loadCheckpoint(dir); }, "tokenizer.json' is missing");
}

TEST(AtomicDir, FailedWriteLeavesThePreviousVersion) {
    TempDir tmp;
    const auto dir = tmp.path() / "d";
    writeDirectoryAtomically(dir, [](const std::filesystem::path& t) { std::ofstream(t / "v") << "1"; });
    EXPECT_THROW(writeDirectoryAtomically(dir,
                                          [](const std::filesystem::path& t) {
                                              std::ofstream(t / "v") << "2";
                                              throw std::runtime_error("disk full");
                                          }),
                 std::runtime_error);
    std::string v;
    std::ifstream(dir / "v") >> v;
    EXPECT_EQ(v, "1");
    writeDirectoryAtomically(dir, [](const std::filesystem::path& t) { std::ofstream(t / "v") << "3"; });
    std::ifstream(dir / "v") >> v;
    EXPECT_EQ(v, "3");
    EXPECT_EQ(listDirectory(tmp.path()), std::vector<std::string>{"d"}) << "no leftovers";
}
