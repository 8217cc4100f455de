// Time per M-GRPO training step, split into rollout (sampling through the
// hierarchy) and update (every trained agent's optimizer work), for the
// default experiment (experiments/paper-cpu.json) after a shortened warm
// start, and how it grows with K, with a fixed D and with the number of
// sub-agents. Times are the trainer's own perf/rollout_s and perf/update_s.
//
// On a shared machine a row measured a minute later can be 10x slower, so
// all rows' trainers step round-robin: in round i every row trains step i
// (the same queries), and a row's ratio is the median over rounds of its time
// over the baseline's time in the same round. Seconds are medians over rounds.
// One untimed round first (allocator, thread pools, first-step costs).
//
//   bench_step_time [--experiment FILE] [--steps 3] [--warm-steps 40]
//                   [--warm-demos 60] [--threads N] [--quick]
#include "bench_common.h"

#include "core/model/checkpoint.h"
#include "core/system/system_info.h"
#include "core/train/experiment_spec.h"
#include "core/train/trainer.h"
#include "core/train/warm_start.h"
#include "core/util/files.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace mgrpo;
namespace fs = std::filesystem;

namespace {

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// The warm-started topology with `n` sub-agents, all copies of its one
// sub-agent (same model, tools, checkpoint). The warm-started planner only
// ever learned to write its first delegate's name, so its checkpoint is copied
// with the new names' token embeddings (the tied output head) set to that
// name's: the planner then picks among the n names about equally and the same
// delegations spread over n sub-agents instead of never reaching the new ones.
core::Topology withSubAgents(const core::Topology& warm, int n, const fs::path& dir) {
    if (n == 1) return warm;
    auto t = warm;
    auto& main = t.agents.front();
    const auto sub = *t.find(main.delegates.front());
    auto ckpt = core::loadCheckpoint(main.checkpoint);
    const int from = ckpt.tokenizer->tokenId(sub.id);
    std::vector<std::string> names{sub.id};
    for (const auto& slot : {"agent1", "agent2", "agent3", "agent4"})
        if (static_cast<int>(names.size()) < n) names.push_back(slot);
    {
        torch::NoGradGuard noGrad;
        auto params = ckpt.model->named_parameters();
        for (const auto* key : {"tok_emb.weight", "head.weight"}) {
            if (!params.contains(key)) continue;  // head absent: tied to tok_emb
            auto w = params[key];
            for (size_t i = 1; i < names.size(); ++i) w[ckpt.tokenizer->tokenId(names[i])].copy_(w[from]);
        }
    }
    main.checkpoint = (dir / ("main-" + std::to_string(n) + "-subs")).string();
    core::saveCheckpoint(main.checkpoint, ckpt.model, *ckpt.tokenizer);
    main.delegates = names;
    for (size_t i = 1; i < names.size(); ++i) {
        auto copy = sub;
        copy.id = names[i];
        copy.x += 160.0 * static_cast<double>(i);
        t.agents.push_back(copy);
    }
    return t;
}

struct Row {
    std::string label;
    int K = 0;
    int fixedD = -1;  // -1: the experiment's (0 = automatic)
    int subs = 1;
};

struct Step {
    double rollout = 0, update = 0, subCalls = 0, tokens = 0;
    double total() const { return rollout + update; }
};

Step stepOnce(core::Trainer& trainer) {
    const auto m = trainer.step();
    Step s{m.values.at("perf/rollout_s"), m.values.at("perf/update_s")};
    for (const auto& [name, value] : m.values) {
        if (name.ends_with("/invocations_mean")) s.subCalls += value;
        if (name.ends_with("/tokens")) s.tokens += value;
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const bool quick = std::find(args.begin(), args.end(), "--quick") != args.end();
    const auto experiment = bench::stringArg(
        args, "--experiment", (fs::path(__FILE__).parent_path().parent_path() / "experiments/paper-cpu.json").string());
    const int rounds = bench::intArg(args, "--steps", quick ? 1 : 3);
    const int threads = core::configureThreads(bench::intArg(args, "--threads", 0));

    const auto spec = core::loadExperimentSpec(experiment);
    const fs::path tmp = fs::path(core::temporaryDirectory()) / ("bench-step-time-" + std::to_string(::getpid()));
    core::createDirectories(tmp);

    // The warm start shortened from the experiment's, so the planner delegates
    // and the agents' sequence lengths resemble those of a real run.
    core::WarmStartOptions warm;
    warm.stage = spec.warmStart.stage;
    warm.demonstrations = bench::intArg(args, "--warm-demos", 60);
    warm.steps = bench::intArg(args, "--warm-steps", 40);
    warm.batchSize = spec.warmStart.batchSize;
    warm.learningRate = spec.warmStart.learningRate;
    warm.evalQueries = 0;
    warm.seed = spec.training.seed;
    const auto warmStart0 = std::chrono::steady_clock::now();
    const auto topology =
        core::loadTopologyFile(core::warmStart(spec.topology, warm, (tmp / "warm").string()).topologyPath);
    const double warmSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - warmStart0).count();

    const auto& base = spec.training;
    std::printf("step time: %s (%s), B = %d, K = %d, D %s, %d warm-start demos x %d steps (%.0f s), %d threads, "
                "LibTorch %s, load %s\n",
                experiment.c_str(), spec.topology.name.c_str(), base.queriesPerStep, base.samplesPerQuery,
                base.fixedD > 0 ? std::to_string(base.fixedD).c_str() : "automatic", warm.demonstrations, warm.steps,
                warmSeconds, threads, core::libtorchVersion().c_str(), loadAverage().c_str());

    std::vector<Row> rows{{"baseline", base.samplesPerQuery}};
    for (int k : quick ? std::vector<int>{4} : std::vector<int>{4, 16}) rows.push_back({"K", k});
    for (int d : quick ? std::vector<int>{2} : std::vector<int>{1, 2, 8})
        rows.push_back({"fixed D", base.samplesPerQuery, d});
    for (int n : quick ? std::vector<int>{2} : std::vector<int>{2, 3})
        rows.push_back({"sub-agents", base.samplesPerQuery, -1, n});

    std::vector<std::unique_ptr<core::Trainer>> trainers;
    for (size_t i = 0; i < rows.size(); ++i) {
        auto config = base;
        config.samplesPerQuery = rows[i].K;
        if (rows[i].fixedD >= 0) config.fixedD = rows[i].fixedD;
        config.steps = rounds + 2;  // never the last step: no final checkpoint
        config.evalEvery = 0;
        config.checkpointEvery = 0;
        trainers.push_back(std::make_unique<core::Trainer>(withSubAgents(topology, rows[i].subs, tmp), config,
                                                           (tmp / ("run" + std::to_string(i))).string()));
    }
    for (auto& t : trainers) t->step();  // the untimed round
    std::vector<std::vector<Step>> steps(rows.size());
    for (int r = 0; r < rounds; ++r)
        for (size_t i = 0; i < rows.size(); ++i) steps[i].push_back(stepOnce(*trainers[i]));

    std::printf("%-11s %3s %5s %4s %9s %7s %9s %8s %7s %6s %6s %6s\n", "row", "K", "D", "subs", "sub calls",
                "tokens", "rollout s", "update s", "step s", "x roll", "x upd", "x step");
    for (size_t i = 0; i < rows.size(); ++i) {
        std::vector<double> roll, upd, tot, xr, xu, xt, calls, tokens;
        for (int r = 0; r < rounds; ++r) {
            const auto& s = steps[i][static_cast<size_t>(r)];
            const auto& b = steps[0][static_cast<size_t>(r)];
            roll.push_back(s.rollout), upd.push_back(s.update), tot.push_back(s.total());
            xr.push_back(s.rollout / b.rollout), xu.push_back(s.update / b.update), xt.push_back(s.total() / b.total());
            calls.push_back(s.subCalls), tokens.push_back(s.tokens);
        }
        std::string D;
        for (const auto& [agent, d] : trainers[i]->alignmentD()) D.append(D.empty() ? "" : "/").append(std::to_string(d));
        std::printf("%-11s %3d %5s %4d %9.2f %7.0f %9.2f %8.2f %7.2f %6.2f %6.2f %6.2f\n", rows[i].label.c_str(),
                    rows[i].K, D.c_str(), rows[i].subs, bench::median(calls), bench::median(tokens),
                    bench::median(roll), bench::median(upd), bench::median(tot), bench::median(xr), bench::median(xu),
                    bench::median(xt));
    }
    std::printf("(medians over %d rounds; sub calls: sub-agent invocations per rollout; tokens: trained tokens per "
                "step, all agents; load at the end %s)\n",
                rounds, loadAverage().c_str());
    core::removeTree(tmp);
    return 0;
}
