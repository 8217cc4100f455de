// Experiment-history benchmark (mgrpo_store only, no LibTorch): metric rows
// per second through the RunRecorder, time to load a 100,000-point series for
// 5 runs (full and downsampled), and database bytes per 1,000 stored
// trajectories with realistic ~4 KB trees. Prints a table against the targets.
//
//   bench_store [--steps 5000] [--metrics 100] [--points 100000] [--dir /tmp]
#include "core/store/database.h"
#include "core/store/history_store.h"
#include "core/store/run_recorder.h"
#include "core/store/transaction.h"
#include "core/store/tree_codec.h"
#include "core/util/files.h"

#include <sqlite3.h>  // SQLITE_VERSION

#include <sys/resource.h>  // getrusage(): CPU time of all threads
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>  // getloadavg()
#include <tuple>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace mgrpo::store;
using Clock = std::chrono::steady_clock;

namespace {

int intArg(const std::vector<std::string>& args, const std::string& name, int fallback) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == name) return std::stoi(args[i + 1]);
    return fallback;
}

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// User + system CPU seconds of this process so far (all threads).
double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

std::uintmax_t databaseBytes(const std::filesystem::path& file) {
    const auto wal = file.string() + "-wal";
    return mgrpo::core::fileSize(file) + (mgrpo::core::pathExists(wal) ? mgrpo::core::fileSize(wal) : 0);
}

// A trajectory tree like the runtime's: main turns, delegations to a
// sub-agent with tool calls and observations, tokens with log-probs.
std::string realisticTree(std::mt19937& rng, size_t targetBytes) {
    static const std::vector<std::string> words{"city",  "river",   "population", "founded", "larger", "than",
                                                "which", "country", "capital",    "search",  "visit",  "page",
                                                "the",   "of",      "is",         "north",   "company", "born"};
    std::uniform_int_distribution<size_t> word(0, words.size() - 1);
    std::uniform_real_distribution<double> logprob(-6.0, 0.0);
    std::uniform_int_distribution<int> token(0, 511);
    auto sentence = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += (i ? " " : "") + words[word(rng)];
        return s;
    };
    auto tokens = [&](int n) {
        nlohmann::json ids = nlohmann::json::array(), lps = nlohmann::json::array();
        for (int i = 0; i < n; ++i) {
            ids.push_back(token(rng));
            lps.push_back(std::round(logprob(rng) * 1000.0) / 1000.0);
        }
        return nlohmann::json{{"ids", ids}, {"logprobs", lps}};
    };
    nlohmann::json tree{{"agent", "main"}, {"question", sentence(12)}, {"turns", nlohmann::json::array()}};
    while (tree.dump().size() < targetBytes) {
        nlohmann::json sub{{"agent", "searcher"}, {"subtask", sentence(8)}, {"calls", nlohmann::json::array()}};
        for (int c = 0; c < 2; ++c)
            sub["calls"].push_back({{"tool", c ? "visit" : "search"},
                                    {"args", sentence(3)},
                                    {"observation", sentence(20)},
                                    {"tokens", tokens(12)}});
        sub["result"] = sentence(4);
        tree["turns"].push_back({{"kind", "delegate"}, {"text", sentence(10)}, {"tokens", tokens(16)}, {"sub", sub}});
    }
    tree["answer"] = sentence(2);
    return tree.dump();
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const int steps = intArg(args, "--steps", 5000);
    const int metricsPerStep = intArg(args, "--metrics", 100);
    const int points = intArg(args, "--points", 100000);
    std::filesystem::path base = mgrpo::core::temporaryDirectory();
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--dir") base = args[i + 1];
    const auto dir = base / ("mgrpo-bench-store-" + std::to_string(::getpid()));
    mgrpo::core::createDirectories(dir);

    // 1. Metric rows/s through the recorder (producer start to last commit).
    const auto writeDb = dir / "write.sqlite";
    RunId run;
    {
        HistoryStore store(writeDb);
        run = store.createRun(RunSpec{});
    }
    std::vector<std::string> names;
    for (int j = 0; j < metricsPerStep; ++j)
        names.push_back((j % 3 == 0 ? "main/" : j % 3 == 1 ? "sub.searcher/" : "perf/") + std::string("metric_") +
                        std::to_string(j));
    double writeSeconds, writeCpu;
    {
        RunRecorder recorder(writeDb, run);
        const auto start = Clock::now();
        const double cpuStart = cpuSeconds();
        for (int s = 0; s < steps; ++s) {
            StepRecord step;
            step.step = s;
            for (int j = 0; j < metricsPerStep; ++j) step.metrics.emplace(names[j], s * 0.001 + j);
            recorder.recordStep(std::move(step));
        }
        recorder.flush();
        writeSeconds = seconds(start);
        writeCpu = cpuSeconds() - cpuStart;
        recorder.finish(RunStatus::Finished);
    }
    const double rowsPerSecond = double(steps) * metricsPerStep / writeSeconds;
    const double stepsPerSecond = double(steps) / writeSeconds;
    const double rowsPerCpuSecond = double(steps) * metricsPerStep / writeCpu;

    // 2. Load a `points`-point series for 5 runs (the file also holds 3 other metrics per step).
    const auto readDb = dir / "read.sqlite";
    std::vector<RunId> runs;
    {
        HistoryStore store(readDb);
        for (int r = 0; r < 5; ++r) runs.push_back(store.createRun(RunSpec{}));
        // 995 more runs with configs and tags: the runs list of a long-used history.
        for (int r = 5; r < 1000; ++r) {
            RunSpec spec;
            spec.experiment = "exp-" + std::to_string(r % 20);
            spec.algorithm = r % 2 ? "mgrpo" : "grpo";
            spec.config = {{"lr", 0.001 * r}, {"group_size", 8}, {"notes", std::string(500, 'x')}};
            spec.tags = {"tag-" + std::to_string(r % 7)};
            store.createRun(spec);
        }
        store.writeStep(runs[0], StepRecord{0, {{"main/reward_mean", 0}, {"main/loss", 0}, {"main/kl", 0},
                                                 {"sub.searcher/reward_mean", 0}}, {}, {}, {}});
        Database& db = store.database();
        Transaction tx(db);
        auto insert = db.prepare("INSERT OR REPLACE INTO metrics(run_id, name_id, step, value) VALUES(?1, ?2, ?3, ?4)");
        for (RunId r : runs)
            for (long long nameId = 1; nameId <= 4; ++nameId)
                for (int s = 0; s < points; ++s) {
                    insert.bind(1, r).bind(2, nameId).bind(3, s).bind(4, std::sin(s * 0.001) + r);
                    insert.run();
                }
        tx.commit();
    }
    auto timeLoad = [&](size_t maxPoints) {
        std::vector<double> ms, cpu;
        size_t loaded = 0;
        for (int repeat = 0; repeat < 5; ++repeat) {
            HistoryStore store(readDb);
            const auto start = Clock::now();
            const double cpuStart = cpuSeconds();
            const auto series = store.metricSeries(runs, {"main/reward_mean"}, maxPoints, Downsample::Lttb);
            ms.push_back(seconds(start) * 1000.0);
            cpu.push_back((cpuSeconds() - cpuStart) * 1000.0);
            loaded = 0;
            for (const auto& s : series) loaded += s.points.size();
        }
        std::sort(ms.begin(), ms.end());
        std::sort(cpu.begin(), cpu.end());
        return std::make_tuple(ms[ms.size() / 2], cpu[cpu.size() / 2], loaded);
    };
    const auto [fullMs, fullCpuMs, fullPoints] = timeLoad(0);
    const auto [lttbMs, lttbCpuMs, lttbPoints] = timeLoad(2000);

    // 2b. List and filter 1,000 runs.
    double listMs, filterMs;
    {
        HistoryStore store(readDb);
        std::vector<double> all, filtered;
        for (int repeat = 0; repeat < 5; ++repeat) {
            auto start = Clock::now();
            const auto list = store.listRuns();
            all.push_back(seconds(start) * 1000.0);
            if (list.size() != 1000) std::fprintf(stderr, "expected 1000 runs, got %zu\n", list.size());
            RunFilter filter;
            filter.text = "tag-3";
            start = Clock::now();
            store.listRuns(filter);
            filtered.push_back(seconds(start) * 1000.0);
        }
        std::sort(all.begin(), all.end());
        std::sort(filtered.begin(), filtered.end());
        listMs = all[2];
        filterMs = filtered[2];
    }

    // 3. Bytes per 1,000 stored trajectories of ~4 KB.
    const auto trajDb = dir / "traj.sqlite";
    std::mt19937 rng(7);
    double jsonBytes = 0;
    std::uintmax_t before, after;
    std::string encoding;
    {
        HistoryStore store(trajDb);
        const RunId r = store.createRun(RunSpec{});
        store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        before = databaseBytes(trajDb);
        for (int s = 0; s < 100; ++s) {
            StepRecord step;
            step.step = s;
            for (int q = 0; q < 10; ++q) {
                TrajectoryRecord t{q, 0, "train", "question", 0.5, true, realisticTree(rng, 4096)};
                jsonBytes += double(t.treeJson.size());
                step.trajectories.push_back(std::move(t));
            }
            store.writeStep(r, step);
        }
        store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        after = databaseBytes(trajDb);
        encoding = encodeTree("{}").encoding;
    }
    const double perThousand = double(after - before);  // exactly 1,000 trajectories

    std::printf("\nExperiment history (SQLite %s, WAL, synchronous=NORMAL)\n", SQLITE_VERSION);
    std::printf("%-52s %16s %14s\n", "measure", "result", "target");
    std::printf("%-52s %16.0f %14s\n",
                ("metric rows/s via RunRecorder (" + std::to_string(metricsPerStep) + "/step, " +
                 std::to_string(steps) + " steps)").c_str(),
                rowsPerSecond, ">= 200000");
    std::printf("%-52s %16.0f %14s\n", "  same, rows per CPU-second (producer + writer)", rowsPerCpuSecond, "");
    std::printf("%-52s %16.0f %14s\n", "  steps/s", stepsPerSecond, "");
    std::printf("%-52s %13.1f ms %14s\n",
                ("load " + std::to_string(points) + "-point series x 5 runs (" + std::to_string(fullPoints) + " pts)")
                    .c_str(),
                fullMs, "< 100 ms");
    std::printf("%-52s %13.1f ms %14s\n", "  CPU time of that load", fullCpuMs, "");
    std::printf("%-52s %13.1f ms %14s\n",
                ("  same, LTTB to 2000 points/run (" + std::to_string(lttbPoints) + " pts)").c_str(), lttbMs, "");
    std::printf("%-52s %13.1f ms %14s\n", "  CPU time of that load", lttbCpuMs, "");
    std::printf("%-52s %13.1f ms %14s\n", "list 1,000 runs", listMs, "");
    std::printf("%-52s %13.1f ms %14s\n", "  filtered by free text", filterMs, "");
    std::printf("%-52s %13.0f KB %14s\n", ("bytes per 1,000 trajectories (" + encoding + ")").c_str(),
                perThousand / 1024.0, "");
    std::printf("%-52s %13.0f KB %14s\n", "  raw JSON of those 1,000 trees", jsonBytes / 1024.0, "");
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) > 0) std::printf("(load average during the run: %.2f on %ld cores)\n", load[0], sysconf(_SC_NPROCESSORS_ONLN));
    mgrpo::core::removeTree(dir);
    return 0;
}
