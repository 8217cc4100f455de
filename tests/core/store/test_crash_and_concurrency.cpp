// Crash safety and sharing: a writer process SIGKILLed at random points leaves
// a database that passes integrity_check with only whole steps, its run is
// marked interrupted at the next open and a resumed writer completes it; a
// reader polling series while a writer (process or thread) commits sees only
// whole steps and never "database is locked".
#include "child_process.h"
#include "core/store/history_store.h"
#include "core/store/run_recorder.h"
#include "store_test_support.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

using namespace mgrpo::store;
using namespace std::chrono_literals;
using mgrpo::store::test::ChildProcess;
using mgrpo::store::test::RawDb;
using mgrpo::store::test::TempDir;

namespace {

constexpr int kMetrics = 40;

std::vector<std::string> writerArgs(const std::filesystem::path& db, RunId run, int total, int sleepUs) {
    return {STORE_TEST_WRITER, db.string(), std::to_string(run), std::to_string(total), std::to_string(kMetrics),
            std::to_string(sleepUs)};
}

RunId newRun(const std::filesystem::path& db) {
    HistoryStore store(db);
    RunSpec spec;
    spec.experiment = "kill";
    spec.algorithm = "synthetic";
    return store.createRun(spec);
}

// Checks with raw SQL that steps 0..last_step each have all kMetrics metrics
// with the writer's values, and that nothing exists beyond last_step. Returns last_step.
int checkWholeSteps(const std::filesystem::path& db, RunId run) {
    RawDb raw(db);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    const int last = std::stoi(raw.scalar("SELECT last_step FROM runs WHERE id=" + std::to_string(run)));
    const auto perStep = raw.rows(
        "SELECT step, count(*), sum(value) FROM metrics WHERE run_id=" + std::to_string(run) +
        " GROUP BY step ORDER BY step");
    EXPECT_EQ(static_cast<int>(perStep.size()), last + 1);
    for (size_t i = 0; i < perStep.size(); ++i) {
        const int step = std::stoi(perStep[i][0]);
        EXPECT_EQ(step, static_cast<int>(i)) << "gap before step " << step;
        EXPECT_EQ(std::stoi(perStep[i][1]), kMetrics) << "partial step " << step;
        // sum over j of (step*1000 + j) = 40*1000*step + 780
        EXPECT_DOUBLE_EQ(std::stod(perStep[i][2]), kMetrics * 1000.0 * step + kMetrics * (kMetrics - 1) / 2.0);
    }
    const auto trajectories = raw.scalar("SELECT count(*) FROM trajectories WHERE run_id=" + std::to_string(run));
    EXPECT_EQ(std::stoi(trajectories), last + 1);
    return last;
}

}  // namespace

TEST(StoreCrash, SigkillAtRandomPointsLeavesWholeStepsAndResumeCompletes) {
    TempDir dir;
    const auto db = dir.file("kill.sqlite");
    const RunId run = newRun(db);
    constexpr int kTotal = 3000;
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> delayMs(5, 250);
    int progressed = 0, previous = -1;
    for (int attempt = 0; attempt < 6; ++attempt) {
        // 200 us between steps: 3000 steps take at least 0.6 s, so every kill lands mid-run.
        ChildProcess writer(writerArgs(db, run, kTotal, 200));
        ASSERT_FALSE(writer.waitForLine("ready", 30s).empty()) << "writer did not start";
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        writer.killNow();
        const int status = writer.wait(10s);
        ASSERT_NE(status, -1);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer finished before it was killed";
        const int last = checkWholeSteps(db, run);
        if (last > previous) ++progressed;
        previous = last;
        HistoryStore store(db);
        EXPECT_EQ(store.recoveredRuns(), std::vector<RunId>{run});
        EXPECT_EQ(store.runDetails(run).info.status, RunStatus::Interrupted);
        if (last >= 0 && store.lastCheckpoint(run)) EXPECT_LE(store.lastCheckpoint(run)->step, last);
    }
    EXPECT_GE(progressed, 3);  // kills landed after different numbers of committed steps
    // Resume to the end.
    ChildProcess writer(writerArgs(db, run, kTotal, 0));
    const int status = writer.wait(120s);
    ASSERT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(checkWholeSteps(db, run), kTotal - 1);
    HistoryStore store(db);
    EXPECT_EQ(store.runDetails(run).info.status, RunStatus::Finished);
    EXPECT_TRUE(store.recoveredRuns().empty());
}

namespace {

// Polls two series of one run (first and last metric of a step) in one
// snapshot each time until `done()`; both must always hold the same,
// contiguous steps. Returns the number of polls that saw a partial run.
template <class Done>
int pollWholeSteps(const std::filesystem::path& db, RunId run, int total, Done done) {
    HistoryStore reader(db);
    int partial = 0;
    size_t previous = 0;
    const std::vector<std::string> names{"main/m0", "sub.searcher/m" + std::to_string(kMetrics - 1)};
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        const auto series = reader.metricSeries({run}, names);  // throws on "database is locked"
        if (series.empty()) continue;
        EXPECT_EQ(series.size(), 2u);
        if (series.size() != 2) break;
        const auto& a = series[0].points;
        const auto& b = series[1].points;
        EXPECT_EQ(a.size(), b.size());
        EXPECT_GE(a.size(), previous);
        previous = a.size();
        bool whole = true;
        for (size_t i = 0; i < a.size() && i < b.size() && whole; ++i)
            whole = a[i].step == double(i) && b[i].step == double(i) && b[i].value == i * 1000.0 + kMetrics - 1;
        EXPECT_TRUE(whole) << "a poll saw a partial or gapped step";
        if (!whole) break;
        if (!a.empty() && static_cast<int>(a.size()) < total) ++partial;
    }
    return partial;
}

}  // namespace

TEST(StoreConcurrency, ReaderPollsWhileWriterProcessCommits) {
    TempDir dir;
    const auto db = dir.file("shared.sqlite");
    const RunId run = newRun(db);
    constexpr int kTotal = 1500;
    ChildProcess writer(writerArgs(db, run, kTotal, 300));
    ASSERT_FALSE(writer.waitForLine("ready", 30s).empty());
    int status = -1;
    const int partial = pollWholeSteps(db, run, kTotal, [&] {
        status = writer.wait(0ms);
        return status != -1;
    });
    if (status == -1) status = writer.wait(60s);
    ASSERT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_GT(partial, 3);  // the reader really ran while steps were being committed
    EXPECT_EQ(checkWholeSteps(db, run), kTotal - 1);
}

TEST(StoreConcurrency, ReaderThreadWhileRecorderThreadCommits) {
    TempDir dir;
    const auto db = dir.file("threads.sqlite");
    const RunId run = newRun(db);
    constexpr int kTotal = 800;
    std::atomic<bool> finished{false};
    std::thread producer([&] {
        RunRecorder recorder(db, run);
        for (int s = 0; s < kTotal; ++s) {
            StepRecord step;
            step.step = s;
            for (int j = 0; j < kMetrics; ++j)
                step.metrics[(j < kMetrics / 2 ? "main/m" : "sub.searcher/m") + std::to_string(j)] = s * 1000.0 + j;
            step.trajectories.push_back({0, 0, "train", "q", 1.0, true, "{}"});
            recorder.recordStep(std::move(step));
            std::this_thread::sleep_for(200us);
        }
        recorder.finish(RunStatus::Finished);
        finished = true;
    });
    const int partial = pollWholeSteps(db, run, kTotal, [&] { return finished.load(); });
    producer.join();
    EXPECT_GT(partial, 3);
    EXPECT_EQ(checkWholeSteps(db, run), kTotal - 1);
}
