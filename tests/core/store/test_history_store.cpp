// HistoryStore and RunRecorder behaviour: runs listed and filtered, metrics
// with their agent column, trajectories round-tripped, delete and truncate,
// recovery of runs whose process died, and the recorder's lifecycle. Checks
// read the file with raw SQL where that is the independent view.
#include "core/store/default_path.h"
#include "core/store/history_store.h"
#include "core/store/process_identity.h"
#include "core/store/run_recorder.h"
#include "store_test_support.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mgrpo::store;
using mgrpo::store::test::RawDb;
using mgrpo::store::test::TempDir;

namespace {

RunSpec spec(const std::string& experiment, const std::string& algorithm, std::vector<std::string> tags = {},
             const std::string& notes = {}) {
    RunSpec s;
    s.experiment = experiment;
    s.algorithm = algorithm;
    s.tags = std::move(tags);
    s.notes = notes;
    s.config = {{"lr", 0.001}, {"algorithm", algorithm}};
    return s;
}

std::string treeOfSize(size_t bytes, int salt) {
    nlohmann::json tree = {{"role", "main"}, {"children", nlohmann::json::array()}};
    int i = 0;
    while (tree.dump().size() < bytes)
        tree["children"].push_back({{"tool", "search"}, {"query", "entity " + std::to_string(salt * 1000 + i++)},
                                    {"observation", "the population of city " + std::to_string(i) + " is 42"}});
    return tree.dump();
}

// A pid that is certainly dead: a child that exited and was reaped.
long long deadPid() {
    const pid_t pid = ::fork();
    if (pid == 0) _exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

}  // namespace

TEST(StoreHistory, ListAndFilterRuns) {
    TempDir dir;
    HistoryStore store(dir.file("h.sqlite"));
    const auto a = store.createRun(spec("exp-a", "mgrpo", {"baseline"}));
    const auto b = store.createRun(spec("exp-a", "grpo"));
    const auto c = store.createRun(spec("exp-b", "mgrpo", {}, "LR sweep, second try"));
    store.setStatus(b, RunStatus::Failed, "out of memory");
    EXPECT_EQ(store.listRuns().size(), 3u);
    auto ids = [](const std::vector<RunInfo>& runs) {
        std::vector<RunId> out;
        for (const auto& r : runs) out.push_back(r.id);
        return out;
    };
    RunFilter f;
    f.experiment = "exp-a";
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{a, b}));
    f = {};
    f.status = RunStatus::Failed;
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{b}));
    f = {};
    f.algorithm = "mgrpo";
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{a, c}));
    f = {};
    f.tag = "baseline";
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{a}));
    f = {};
    f.text = "sweep";
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{c}));
    f.text = "BASELINE";  // case-insensitive, matches tags too
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{a}));
    f.text = "memory";  // the error text
    EXPECT_EQ(ids(store.listRuns(f)), (std::vector<RunId>{b}));
    f = {};
    f.limit = 2;
    EXPECT_EQ(store.listRuns(f).size(), 2u);

    const auto failed = store.runDetails(b);
    EXPECT_EQ(failed.info.status, RunStatus::Failed);
    EXPECT_EQ(failed.info.error, "out of memory");
    EXPECT_FALSE(failed.info.ended.empty());
    EXPECT_EQ(failed.config.at("algorithm"), "grpo");
    const auto diff = store.configDiff(a, b);
    ASSERT_EQ(diff.size(), 1u);
    EXPECT_EQ(diff[0].path, "algorithm");
    EXPECT_THROW(store.runDetails(999), StoreError);
}

TEST(StoreHistory, MetricsWithAgentColumnAndSeries) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    HistoryStore store(file);
    const auto r1 = store.createRun(spec("e", "mgrpo"));
    const auto r2 = store.createRun(spec("e", "mgrpo"));
    for (int s = 0; s < 10; ++s) {
        StepRecord step;
        step.step = s;
        step.metrics = {{"main/reward_mean", s * 0.1}, {"sub.searcher/clipfrac", 0.01 * s}, {"perf/tokens_per_s", 100.0}};
        store.writeStep(r1, step);
        step.metrics = {{"main/reward_mean", 1.0 - s * 0.1}};
        store.writeStep(r2, step);
    }
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("SELECT agent FROM metric_values WHERE name='sub.searcher/clipfrac' LIMIT 1"), "sub.searcher");
    EXPECT_EQ(raw.scalar("SELECT agent FROM metric_values WHERE name='perf/tokens_per_s' LIMIT 1"), "perf");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM metric_values WHERE run_id=" + std::to_string(r1)), "30");
    EXPECT_EQ(raw.scalar("SELECT last_step FROM runs WHERE id=" + std::to_string(r1)), "9");

    const auto names = store.metricNames(r1);
    ASSERT_EQ(names.size(), 3u);
    EXPECT_EQ(names[0].name, "main/reward_mean");
    EXPECT_EQ(names[0].agent, "main");
    EXPECT_EQ(store.metricNames(r2).size(), 1u);

    const auto series = store.metricSeries({r1, r2}, {"main/reward_mean", "sub.searcher/clipfrac", "nope"});
    ASSERT_EQ(series.size(), 3u);  // r2 has no clipfrac, nobody has "nope"
    EXPECT_EQ(series[0].run, r1);
    EXPECT_EQ(series[1].run, r2);
    ASSERT_EQ(series[1].points.size(), 10u);
    EXPECT_DOUBLE_EQ(series[1].points[3].value, 0.7);
    EXPECT_EQ(series[2].name, "sub.searcher/clipfrac");
    const auto coarse = store.metricSeries({r1}, {"main/reward_mean"}, 2, Downsample::BucketMean);
    ASSERT_EQ(coarse[0].points.size(), 2u);
    EXPECT_DOUBLE_EQ(coarse[0].points[0].step, 2.0);   // mean of steps 0..4
    EXPECT_DOUBLE_EQ(coarse[0].points[0].value, 0.2);  // mean of 0.0..0.4
}

TEST(StoreHistory, TrajectoriesEvaluationsCheckpointsRoundTrip) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    HistoryStore store(file);
    const auto run = store.createRun(spec("e", "mgrpo"));
    StepRecord step;
    step.step = 5;
    for (int r = 0; r < 3; ++r)
        step.trajectories.push_back({2, r, "train", "which city is larger?", 0.5 * r, r == 2, treeOfSize(4000, r)});
    step.evaluation = EvaluationRecord{"heldout", 100, {{"accuracy", 0.42}}};
    step.checkpoint = CheckpointRecord{5, "/runs/x/step-5", 1234, ""};
    store.writeStep(run, step);
    store.addCheckpoint(run, {9, "/runs/x/step-9", 99, "2025-01-01T00:00:00Z"});

    const auto back = store.trajectories(run, 5);
    ASSERT_EQ(back.size(), 3u);
    for (int r = 0; r < 3; ++r) {
        EXPECT_EQ(back[r].record.rollout, r);
        EXPECT_EQ(back[r].record.treeJson, step.trajectories[r].treeJson);
        EXPECT_EQ(back[r].record.question, "which city is larger?");
        EXPECT_DOUBLE_EQ(back[r].record.reward, 0.5 * r);
    }
    EXPECT_TRUE(back[2].record.correct);
    EXPECT_EQ(store.trajectorySteps(run), (std::vector<int>{5}));
    EXPECT_TRUE(store.trajectories(run, 6).empty());
    const auto evals = store.evaluations(run);
    ASSERT_EQ(evals.size(), 1u);
    EXPECT_EQ(evals[0].record.queries, 100);
    EXPECT_DOUBLE_EQ(evals[0].record.metrics.at("accuracy"), 0.42);
    ASSERT_EQ(store.checkpoints(run).size(), 2u);
    EXPECT_EQ(store.lastCheckpoint(run)->path, "/runs/x/step-9");
    EXPECT_EQ(store.checkpoints(run)[0].sizeBytes, 1234);
    RawDb raw(file);
    const auto stored = std::stoul(raw.scalar("SELECT sum(length(tree)) FROM trajectories"));
    const std::string encoding = raw.scalar("SELECT encoding FROM trajectories LIMIT 1");
    if (encoding == "zlib") EXPECT_LT(stored, 3 * 4000u / 2);  // compressed
    else EXPECT_EQ(encoding, "json");
}

TEST(StoreHistory, DeleteAndTruncate) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    HistoryStore store(file);
    const auto keep = store.createRun(spec("e", "mgrpo", {"x"}));
    const auto drop = store.createRun(spec("e", "mgrpo", {"y"}));
    for (RunId run : {keep, drop})
        for (int s = 0; s < 20; ++s) {
            StepRecord step;
            step.step = s;
            step.metrics = {{"main/a", double(s)}, {"main/b", 2.0 * s}};
            step.trajectories.push_back({0, 0, "train", "", 1.0, true, "{}"});
            if (s % 5 == 4) step.checkpoint = CheckpointRecord{s, "/c/" + std::to_string(s), 1, ""};
            store.writeStep(run, step);
        }
    store.deleteRun(drop);
    EXPECT_FALSE(store.hasRun(drop));
    EXPECT_THROW(store.deleteRun(drop), StoreError);
    RawDb raw(file);
    for (const char* table : {"metrics", "trajectories", "checkpoints", "run_tags"})
        EXPECT_EQ(raw.scalar(std::string("SELECT count(*) FROM ") + table + " WHERE run_id=" + std::to_string(drop)),
                  "0")
            << table;
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM metrics WHERE run_id=" + std::to_string(keep)), "40");

    store.truncateAfter(keep, 9);
    EXPECT_EQ(raw.scalar("SELECT max(step) FROM metrics WHERE run_id=" + std::to_string(keep)), "9");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM metrics WHERE run_id=" + std::to_string(keep)), "20");
    EXPECT_EQ(store.lastCheckpoint(keep)->step, 9);
    EXPECT_EQ(store.runDetails(keep).info.lastStep, 9);
}

TEST(StoreHistory, RunsOfDeadProcessesAreMarkedInterruptedAtOpen) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    RunId dead, alive, reused, finished;
    const auto self = ProcessIdentity::current();
    {
        HistoryStore store(file);
        dead = store.createRun(spec("e", "mgrpo"));
        alive = store.createRun(spec("e", "mgrpo"));
        reused = store.createRun(spec("e", "mgrpo"));
        finished = store.createRun(spec("e", "mgrpo"));
        store.claimRun(alive);  // this process
        store.setStatus(finished, RunStatus::Finished);
    }
    {
        RawDb raw(file);
        raw.exec("UPDATE runs SET status='running', host='" + self.host + "', pid=" + std::to_string(deadPid()) +
                 " WHERE id=" + std::to_string(dead));
        // Our own pid but another start time: the pid was reused by another process.
        raw.exec("UPDATE runs SET status='paused', host='" + self.host + "', pid=" + std::to_string(self.pid) +
                 ", pid_start=" + std::to_string(self.startTicks + 1) + " WHERE id=" + std::to_string(reused));
    }
    HistoryStore store(file);
    EXPECT_EQ(store.recoveredRuns(), (std::vector<RunId>{dead, reused}));
    EXPECT_EQ(store.runDetails(dead).info.status, RunStatus::Interrupted);
    EXPECT_NE(store.runDetails(dead).info.error.find("ended while the run was active"), std::string::npos);
    EXPECT_EQ(store.runDetails(reused).info.status, RunStatus::Interrupted);
    EXPECT_EQ(store.runDetails(alive).info.status, RunStatus::Running);
    EXPECT_EQ(store.runDetails(finished).info.status, RunStatus::Finished);
    // A live run cannot be deleted from under its process.
    EXPECT_THROW(store.deleteRun(alive), StoreError);
}

TEST(StoreRecorder, RecordsEveryStepAndFinishes) {
    for (size_t perCommit : {size_t(1), size_t(64)}) {
    SCOPED_TRACE("maxStepsPerTransaction " + std::to_string(perCommit));
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    RunId run;
    { HistoryStore store(file); run = store.createRun(spec("e", "mgrpo")); }
    {
        RunRecorder::Options options;
        options.queueCapacity = 4;  // the producer must block and resume
        options.sampling.randomPerQuery = 0;
        options.maxStepsPerTransaction = perCommit;
        RunRecorder recorder(file, run, options);
        for (int s = 0; s < 300; ++s) {
            StepRecord step;
            step.step = s;
            for (int m = 0; m < 10; ++m) step.metrics["main/m" + std::to_string(m)] = s + m * 0.5;
            for (int r = 0; r < 4; ++r) step.trajectories.push_back({0, r, "train", "", double(r), false, "{}"});
            if (s % 100 == 0) step.evaluation = EvaluationRecord{};
            recorder.recordStep(std::move(step));
            if (s == 150) {
                recorder.flush();
                EXPECT_EQ(recorder.lastCommittedStep(), 150);
            }
        }
        recorder.recordCheckpoint({299, "/ckpt/299", 10, ""});
        recorder.finish(RunStatus::Finished);
        EXPECT_EQ(recorder.lastCommittedStep(), 299);
    }
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM metrics"), "3000");
    EXPECT_EQ(raw.scalar("SELECT value FROM metric_values WHERE step=123 AND name='main/m4'"), "125.0");
    // Best and worst of 4 at training steps, all 4 at the 3 evaluation steps.
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM trajectories"), std::to_string(297 * 2 + 3 * 4));
    EXPECT_EQ(raw.scalar("SELECT status FROM runs"), "finished");
    EXPECT_EQ(raw.scalar("SELECT path FROM checkpoints"), "/ckpt/299");
}
}

TEST(StoreRecorder, ClosedWithoutFinishIsInterrupted) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    RunId run;
    { HistoryStore store(file); run = store.createRun(spec("e", "mgrpo")); }
    {
        RunRecorder recorder(file, run);
        StepRecord step;
        step.metrics = {{"main/x", 1.0}};
        recorder.recordStep(step);
        HistoryStore reader(file);  // the run is live while the recorder holds it
        EXPECT_EQ(reader.runDetails(run).info.status, RunStatus::Running);
    }
    HistoryStore store(file);
    EXPECT_EQ(store.runDetails(run).info.status, RunStatus::Interrupted);
    EXPECT_EQ(store.runDetails(run).info.lastStep, 0);
}

TEST(StoreRecorder, WriteErrorsReachTheProducer) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    RunId run;
    { HistoryStore store(file); run = store.createRun(spec("e", "mgrpo")); }
    RunRecorder recorder(file, run);
    {
        RawDb raw(file);
        raw.exec("PRAGMA foreign_keys=OFF; DELETE FROM runs WHERE id=" + std::to_string(run));
    }
    StepRecord step;
    step.metrics = {{"main/x", 1.0}};
    recorder.recordStep(step);
    EXPECT_THROW(recorder.flush(), StoreError);
    EXPECT_THROW(recorder.recordStep(step), StoreError);
}

TEST(StoreHistory, ARunLiveInAnotherProcessCannotBeClaimed) {
    TempDir dir;
    const auto file = dir.file("h.sqlite");
    HistoryStore store(file);
    const auto run = store.createRun(spec("e", "mgrpo"));
    const pid_t other = ::fork();
    if (other == 0) {
        ::sleep(30);
        _exit(0);
    }
    // Wait until the child's /proc entry shows its start time.
    long long ticks = 0;
    for (int i = 0; i < 200 && ticks == 0; ++i) ticks = processStartTicks(other);
    RawDb raw(file);
    raw.exec("UPDATE runs SET status='running', host='" + ProcessIdentity::current().host + "', pid=" +
             std::to_string(other) + ", pid_start=" + std::to_string(ticks) + " WHERE id=" + std::to_string(run));
    try {
        store.claimRun(run);
        ADD_FAILURE() << "claimed a run owned by a live process";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("already running in process " + std::to_string(other)),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW({ RunRecorder recorder(file, run); }, StoreError);
    ::kill(other, SIGKILL);
    int status = 0;
    ::waitpid(other, &status, 0);
    store.claimRun(run);  // its owner is gone now
    EXPECT_EQ(store.runDetails(run).info.pid, ::getpid());
    store.claimRun(run);  // claiming again from the owning process is fine
}

TEST(StoreHistory, DefaultPathFollowsXdgAndMgrpoDb) {
    const char* oldDb = std::getenv("MGRPO_DB");
    const char* oldXdg = std::getenv("XDG_DATA_HOME");
    const std::string savedDb = oldDb ? oldDb : "", savedXdg = oldXdg ? oldXdg : "";
    ::unsetenv("MGRPO_DB");
    ::setenv("XDG_DATA_HOME", "/data/xdg", 1);
    EXPECT_EQ(defaultDatabasePath(), std::filesystem::path("/data/xdg/mgrpo-workbench/history.sqlite"));
    ::unsetenv("XDG_DATA_HOME");
    ::setenv("HOME", std::getenv("HOME") ? std::getenv("HOME") : "/root", 1);
    EXPECT_EQ(defaultDatabasePath(),
              std::filesystem::path(std::getenv("HOME")) / ".local/share/mgrpo-workbench/history.sqlite");
    ::setenv("MGRPO_DB", "/elsewhere/h.sqlite", 1);
    EXPECT_EQ(defaultDatabasePath(), std::filesystem::path("/elsewhere/h.sqlite"));
    if (oldDb) ::setenv("MGRPO_DB", savedDb.c_str(), 1); else ::unsetenv("MGRPO_DB");
    if (oldXdg) ::setenv("XDG_DATA_HOME", savedXdg.c_str(), 1); else ::unsetenv("XDG_DATA_HOME");
}
