// Equivalence: a short warm-started smoke experiment (so the sub-agent is
// invoked and trains every step) run by the real CLI in one process and
// decoupled (main process + one sub-agent worker process over a loopback
// c10d store) gives bitwise the same metrics at every step and the same final
// parameters of both agents.
#include "core/model/checkpoint.h"
#include "core/util/files.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace {

// step -> metric -> value, from `mgrpo run --json` output lines.
std::map<int, std::map<std::string, double>> stepMetrics(const fs::path& jsonl) {
    std::map<int, std::map<std::string, double>> out;
    std::ifstream in(jsonl);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_object() && j.contains("metrics"))
            out[j.at("step").get<int>()] = j.at("metrics").get<std::map<std::string, double>>();
    }
    return out;
}

int runCli(const std::string& arguments, const fs::path& log) {
    const auto command = std::string(MGRPO_CLI) + " " + arguments + " > '" + log.string() + "' 2>&1";
    return std::system(command.c_str());
}

}  // namespace

TEST(DecoupledEquivalence, SameMetricsAndFinalParametersAsOneProcess) {
    mgrpo::test::TempDir tmp;
    const auto experiment = (tmp.path() / "equivalence.json").string();
    std::ofstream(experiment) << nlohmann::json{
        {"extends", std::string(MGRPO_SOURCE_DIR) + "/experiments/smoke.json"},
        {"name", "decoupled-equivalence"},
        {"warm_start", {{"demonstrations", 60}, {"steps", 40}, {"batch_size", 16}, {"learning_rate", 0.01}, {"stage", 1}}},
        {"stage", 1}, {"steps", 3}, {"queries_per_step", 3}, {"samples_per_query", 4}, {"eval_every", 0}};
    const auto single = tmp.path() / "single", decoupled = tmp.path() / "decoupled";
    ASSERT_EQ(runCli("run " + experiment + " --no-db --json --out " + single.string(), tmp.path() / "single.jsonl"), 0);
    ASSERT_EQ(runCli("run " + experiment + " --no-db --json --decoupled --out " + decoupled.string(),
                     tmp.path() / "decoupled.jsonl"),
              0)
        << std::ifstream(tmp.path() / "decoupled.jsonl").rdbuf();
    ASSERT_TRUE(mgrpo::core::pathExists(decoupled / "worker-1.log"))
        << "the sub-agent must have trained in its own process";

    const auto a = stepMetrics(tmp.path() / "single.jsonl"), b = stepMetrics(tmp.path() / "decoupled.jsonl");
    ASSERT_EQ(a.size(), 3u);
    ASSERT_EQ(b.size(), a.size());
    int compared = 0;
    for (const auto& [step, values] : a)
        for (const auto& [name, value] : values) {
            if (name.rfind("perf/", 0) == 0) continue;  // wall-clock times
            ASSERT_TRUE(b.at(step).count(name)) << "step " << step << " lacks " << name;
            EXPECT_EQ(b.at(step).at(name), value) << "step " << step << " " << name;
            compared++;
        }
    EXPECT_GT(compared, 60);
    for (const auto& [step, values] : a)
        EXPECT_TRUE(values.count("sub.searcher/loss")) << "step " << step << ": the sub-agent must train every step";
    EXPECT_GT(b.at(1).at("perf/store_bytes_received"), 0.0);

    for (const auto* agent : {"main", "searcher"}) {
        const auto p = mgrpo::core::loadCheckpoint(single / "stage2" / "checkpoint" / agent).model->parameters();
        const auto q = mgrpo::core::loadCheckpoint(decoupled / "stage2" / "checkpoint" / agent).model->parameters();
        ASSERT_EQ(p.size(), q.size());
        for (size_t i = 0; i < p.size(); ++i) EXPECT_TRUE(torch::equal(p[i], q[i])) << agent << " parameter " << i;
    }
}
