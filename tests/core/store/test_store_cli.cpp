// Smoke tests of the real `mgrpo` binary's history verbs (runs, show, export,
// delete, tag, note) on a database this test fills through HistoryStore.
#include "core/store/history_store.h"
#include "store_test_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <sstream>

using namespace mgrpo::store;
using mgrpo::store::test::readBytes;
using mgrpo::store::test::TempDir;
using mgrpo::store::test::writeBytes;

namespace {

struct Result {
    int code = -1;
    std::string out, err;
};

Result runCli(const TempDir& dir, const std::string& arguments) {
    const auto out = dir.file("stdout.txt"), err = dir.file("stderr.txt");
    const std::string command = std::string(MGRPO_CLI) + " " + arguments + " > '" + out.string() + "' 2> '" +
                                err.string() + "' < /dev/null";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readBytes(out), readBytes(err)};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

class StoreCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_db = m_dir.file("history.sqlite");
        HistoryStore store(m_db);
        RunSpec a;
        a.experiment = "exp-one";
        a.algorithm = "mgrpo";
        a.config = {{"lr", 0.001}};
        m_first = store.createRun(a);
        RunSpec b = a;
        b.experiment = "exp-two";
        b.algorithm = "grpo";
        m_second = store.createRun(b);
        for (int s = 0; s < 3; ++s) {
            StepRecord step;
            step.step = s;
            step.metrics = {{"main/reward_mean", 0.5 * s}, {"sub.searcher/clipfrac", 0.25}};
            step.trajectories.push_back({0, 0, "train", "q, with comma", 1.0, true, R"({"turns":[1,2]})"});
            store.writeStep(m_first, step);
        }
        store.setStatus(m_first, RunStatus::Finished);
    }
    std::string db() const { return "--db '" + m_db.string() + "'"; }

    TempDir m_dir;
    std::filesystem::path m_db;
    RunId m_first = 0, m_second = 0;
};

}  // namespace

TEST_F(StoreCli, RunsTableAndJson) {
    const auto table = runCli(m_dir, "runs " + db());
    ASSERT_EQ(table.code, 0) << table.err;
    const auto rows = lines(table.out);
    ASSERT_EQ(rows.size(), 3u) << table.out;
    EXPECT_EQ(rows[0].substr(0, 2), "ID");
    EXPECT_EQ(rows[1].substr(0, rows[1].find(' ')), std::to_string(m_first));
    EXPECT_NE(rows[1].find("finished"), std::string::npos);
    EXPECT_EQ(rows[2].substr(0, rows[2].find(' ')), std::to_string(m_second));

    const auto json = runCli(m_dir, "runs " + db() + " --json --experiment exp-two");
    ASSERT_EQ(json.code, 0) << json.err;
    const auto list = nlohmann::json::parse(json.out);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["id"], m_second);
    EXPECT_EQ(list[0]["status"], "queued");

    const auto filtered = runCli(m_dir, "runs " + db() + " --json --status finished");
    EXPECT_EQ(nlohmann::json::parse(filtered.out).size(), 1u);
    EXPECT_EQ(runCli(m_dir, "runs " + db() + " --status bogus").code, 1);
}

TEST_F(StoreCli, Show) {
    const auto r = runCli(m_dir, "show " + std::to_string(m_first) + " " + db());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("run " + std::to_string(m_first)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("main/reward_mean = 1  (step 2)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"lr\": 0.001"), std::string::npos) << r.out;
    const auto missing = runCli(m_dir, "show 999 " + db());
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("run 999 does not exist"), std::string::npos) << missing.err;
}

TEST_F(StoreCli, ExportCsvAndJsonl) {
    const auto csvFile = m_dir.file("m.csv");
    const auto csv = runCli(m_dir, "export " + std::to_string(m_first) + " --format csv --out '" + csvFile.string() +
                                      "' " + db());
    ASSERT_EQ(csv.code, 0) << csv.err;
    const auto rows = lines(readBytes(csvFile));
    ASSERT_EQ(rows.size(), 1u + 6u);  // header + 3 steps x 2 metrics
    EXPECT_EQ(rows[0], "run_id,step,agent,name,value");
    EXPECT_EQ(rows[1], std::to_string(m_first) + ",0,main,main/reward_mean,0");
    EXPECT_EQ(rows[6], std::to_string(m_first) + ",2,sub.searcher,sub.searcher/clipfrac,0.25");

    const auto traj = runCli(m_dir, "export " + std::to_string(m_first) + " --format csv --what trajectories " + db());
    ASSERT_EQ(traj.code, 0) << traj.err;
    const auto trows = lines(traj.out);
    ASSERT_EQ(trows.size(), 4u);
    EXPECT_EQ(trows[1], std::to_string(m_first) + ",0,train,0,0,1,1,\"q, with comma\",\"{\"\"turns\"\":[1,2]}\"");

    const auto jsonl = runCli(m_dir, "export " + std::to_string(m_first) + " --format jsonl " + db());
    ASSERT_EQ(jsonl.code, 0) << jsonl.err;
    std::map<std::string, int> types;
    for (const auto& line : lines(jsonl.out)) ++types[nlohmann::json::parse(line).at("type").get<std::string>()];
    EXPECT_EQ(types["run"], 1);
    EXPECT_EQ(types["metric"], 6);
    EXPECT_EQ(types["trajectory"], 3);
    EXPECT_EQ(runCli(m_dir, "export " + std::to_string(m_first) + " --format xml " + db()).code, 1);
}

TEST_F(StoreCli, DeleteAsksTagAndNote) {
    const auto id = std::to_string(m_second);
    const auto refused = runCli(m_dir, "delete " + id + " " + db());  // stdin is not a terminal
    EXPECT_EQ(refused.code, 1);
    EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
    EXPECT_TRUE(HistoryStore(m_db).hasRun(m_second));

    EXPECT_EQ(runCli(m_dir, "tag " + id + " baseline lr-sweep " + db()).code, 0);
    EXPECT_EQ(runCli(m_dir, "note " + id + " second try " + db()).code, 0);
    {
        const auto info = HistoryStore(m_db).runDetails(m_second).info;
        EXPECT_EQ(info.tags, (std::vector<std::string>{"baseline", "lr-sweep"}));
        EXPECT_EQ(info.notes, "second try");
    }
    const auto tagged = runCli(m_dir, "runs " + db() + " --json --tag lr-sweep");
    EXPECT_EQ(nlohmann::json::parse(tagged.out).size(), 1u);

    const auto deleted = runCli(m_dir, "delete " + id + " --yes " + db());
    ASSERT_EQ(deleted.code, 0) << deleted.err;
    EXPECT_FALSE(HistoryStore(m_db).hasRun(m_second));
    EXPECT_TRUE(HistoryStore(m_db).hasRun(m_first));
}

TEST_F(StoreCli, NotADatabaseIsReportedAndUntouched) {
    const auto text = m_dir.file("notes.txt");
    writeBytes(text, "hello\n");
    const auto r = runCli(m_dir, "runs --db '" + text.string() + "'");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("not an SQLite database"), std::string::npos) << r.err;
    EXPECT_EQ(readBytes(text), "hello\n");
}
