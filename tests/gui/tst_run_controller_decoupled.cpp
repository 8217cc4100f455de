// RunController with decoupled runs (the workbench's "Decoupled" launch, as
// `mgrpo run --decoupled`): real `mgrpo serve` worker processes from the build
// tree. A warm-started experiment in which the sub-agent is called and trains
// every step gives the same metrics through the controller decoupled as in
// one process, the sub-agent's metrics coming back through the main process;
// a SIGKILLed worker fails the run with the core's message naming it, and
// resuming the run from the history restarts the worker and finishes it; a
// missing mgrpo executable fails the run naming where it was looked for.
#include "app/run_controller.h"

#include "core/store/history_store.h"
#include "core/train/experiment_spec.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <map>

using namespace mgrpo;
using app::RunController;

namespace {
constexpr int kRunTimeoutMs = 100000;
using Metrics = std::map<int, QMap<QString, double>>;  // step -> stored metrics

// Every step's metrics as delivered by stepsArrived.
Metrics collect(const QSignalSpy& steps) {
    Metrics out;
    for (const auto& args : steps)
        for (const auto& s : args.at(1).value<QVector<app::StepSample>>()) out[s.step] = s.values;
    return out;
}

// The pid in the session's "started sub:<agent> worker, rank R, pid P" log line.
pid_t workerPid(const QSignalSpy& logs) {
    pid_t pid = 0;
    for (const auto& args : logs)
        if (const QString line = args.at(0).toString(); line.startsWith("started sub:searcher worker"))
            pid = line.section("pid ", 1).toInt();
    return pid;
}
}  // namespace

class TestRunControllerDecoupled : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_cli;
    QString db() const { return m_dir.filePath("history.sqlite"); }

    core::ExperimentSpec spec(const nlohmann::json& overrides) const {
        const QString smoke = QFINDTESTDATA("../../experiments/smoke.json");
        nlohmann::json j = overrides;
        j["extends"] = smoke.toStdString();
        const QString path = m_dir.filePath(QString::fromStdString(j.value("name", "x")) + ".json");
        std::ofstream(path.toStdString()) << j.dump();
        return core::loadExperimentSpec(path.toStdString());
    }

private slots:
    void initTestCase() {
        qRegisterMetaType<RunController::Outcome>();
        QVERIFY(m_dir.isValid());
        // The test runs from build/tests/gui; the workers are build/cli/mgrpo.
        m_cli = QDir::cleanPath(QCoreApplication::applicationDirPath() + "/../../cli/mgrpo");
        QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable("build the mgrpo target first: " + m_cli));
        qputenv("MGRPO_CLI", m_cli.toLocal8Bit());
    }

    // As tests/core/dist's CLI equivalence: a short warm start makes the main
    // agent delegate, so the sub-agent trains in its worker every step.
    void decoupledRunMatchesOneProcess() {
        const auto experiment = spec({{"name", "gui-decoupled"},
                                      {"warm_start", {{"demonstrations", 60}, {"steps", 40}, {"batch_size", 16},
                                                      {"learning_rate", 0.01}, {"stage", 1}}},
                                      {"stage", 1}, {"steps", 2}, {"queries_per_step", 3}, {"samples_per_query", 4},
                                      {"eval_every", 0}});
        Metrics runs[2];
        QString outDir;
        for (const bool decoupled : {false, true}) {
            RunController controller(db());
            controller.setRunsDirectory(m_dir.filePath("runs"));
            QSignalSpy steps(&controller, &RunController::stepsArrived);
            QSignalSpy logs(&controller, &RunController::logLine);
            QSignalSpy ended(&controller, &RunController::runEnded);
            controller.launch(experiment, {},
                              decoupled ? std::optional(core::dist::DecoupledOptions{}) : std::nullopt);
            QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
            QVERIFY2(ended.at(0).at(1).value<RunController::Outcome>() == RunController::Outcome::Finished,
                     qPrintable(ended.at(0).at(2).toString()));
            runs[decoupled] = collect(steps);
            outDir = controller.currentOutDir();
            const bool sawStore = std::any_of(logs.cbegin(), logs.cend(), [](const QList<QVariant>& a) {
                return a.at(0).toString().startsWith("decoupled: store 127.0.0.1:");
            });
            QCOMPARE(sawStore, decoupled);
        }
        QVERIFY2(QFileInfo::exists(outDir + "/worker-1.log"), "the sub-agent must have trained in its own process");
        QVERIFY(QFileInfo::exists(outDir + "/decoupled.json"));

        const Metrics& single = runs[0];
        const Metrics& decoupled = runs[1];
        QCOMPARE(single.size(), size_t(2));
        QCOMPARE(decoupled.size(), single.size());
        for (const auto& [step, values] : single) {
            const auto& other = decoupled.at(step);
            QVERIFY2(other.contains("sub.searcher/loss"),
                     qPrintable(QString("step %1 lacks the sub-agent's metrics").arg(step)));
            QCOMPARE(other.value("main/reward_mean"), values.value("main/reward_mean"));
            for (auto it = values.cbegin(); it != values.cend(); ++it) {
                if (it.key().startsWith("perf/")) continue;  // wall-clock times
                QVERIFY2(other.contains(it.key()) && std::abs(other.value(it.key()) - it.value()) <= 1e-6,
                         qPrintable(QString("step %1 %2: %3 vs %4").arg(step).arg(it.key()).arg(it.value())
                                        .arg(other.value(it.key()))));
            }
        }
    }

    // Paused after a step, the worker is SIGKILLed: the run fails naming it;
    // resume from the history restarts a worker and finishes the run.
    void killedWorkerFailsRunAndResumeFinishesIt() {
        RunController controller(db());
        controller.setRunsDirectory(m_dir.filePath("runs"));
        QSignalSpy logs(&controller, &RunController::logLine);
        QSignalSpy ended(&controller, &RunController::runEnded);
        core::dist::DecoupledOptions options;
        options.liveness.heartbeatTimeoutS = 5;
        constexpr int kSteps = 6;  // the pause lands after the step in progress: leave steps after it
        controller.launch(spec({{"name", "gui-decoupled-fault"}, {"steps", kSteps}, {"eval_every", 0}}), {}, options);
        QTRY_VERIFY_WITH_TIMEOUT(controller.currentStep() >= 1, kRunTimeoutMs);
        controller.pause();
        const pid_t first = workerPid(logs);
        QVERIFY(first > 0);
        QTest::qWait(1500);  // the step in progress finishes
        QCOMPARE(ended.count(), 0);
        QVERIFY(controller.currentStep() < kSteps);
        QCOMPARE(::kill(first, SIGKILL), 0);
        controller.resume();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
        const qint64 run = ended.at(0).at(0).toLongLong();
        const QString message = ended.at(0).at(2).toString();
        QCOMPARE(ended.at(0).at(1).value<RunController::Outcome>(), RunController::Outcome::Failed);
        QVERIFY2(message.contains("the worker of agent 'searcher'") && message.contains("killed by signal 9"),
                 qPrintable(message));
        {
            store::HistoryStore store(db().toStdString());
            const auto info = store.runDetails(run).info;
            QCOMPARE(info.status, store::RunStatus::Failed);
            QCOMPARE(QString::fromStdString(info.error), message);
        }

        logs.clear();
        controller.resumeRun(run);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, kRunTimeoutMs);
        QVERIFY2(ended.at(1).at(1).value<RunController::Outcome>() == RunController::Outcome::Finished,
                 qPrintable(ended.at(1).at(2).toString()));
        const pid_t second = workerPid(logs);
        QVERIFY2(second > 0 && second != first, "resume must restart the worker (decoupled.json)");
        store::HistoryStore store(db().toStdString());
        QCOMPARE(store.runDetails(run).info.status, store::RunStatus::Finished);
        QCOMPARE(store.runDetails(run).info.lastStep, kSteps);
    }

    void missingWorkerExecutableFailsRunNamingIt() {
        RunController controller(db());
        controller.setRunsDirectory(m_dir.filePath("runs"));
        QSignalSpy ended(&controller, &RunController::runEnded);
        const auto experiment = spec({{"name", "gui-decoupled-missing"}, {"steps", 1}});

        qputenv("MGRPO_CLI", "/nonexistent/mgrpo");
        controller.launch(experiment, {}, core::dist::DecoupledOptions{});
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
        QCOMPARE(ended.at(0).at(1).value<RunController::Outcome>(), RunController::Outcome::Failed);
        QString message = ended.at(0).at(2).toString();
        QVERIFY2(message.contains("MGRPO_CLI names '/nonexistent/mgrpo'"), qPrintable(message));

        // Unset: next to this executable and its ../cli, neither of which has mgrpo.
        qunsetenv("MGRPO_CLI");
        controller.launch(experiment, {}, core::dist::DecoupledOptions{});
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, kRunTimeoutMs);
        qputenv("MGRPO_CLI", m_cli.toLocal8Bit());
        QCOMPARE(ended.at(1).at(1).value<RunController::Outcome>(), RunController::Outcome::Failed);
        message = ended.at(1).at(2).toString();
        const QString here = QCoreApplication::applicationDirPath();
        QVERIFY2(message.contains(here + "/mgrpo") && message.contains(QDir::cleanPath(here + "/../cli/mgrpo")) &&
                     message.contains("MGRPO_CLI"),
                 qPrintable(message));
        store::HistoryStore store(db().toStdString());
        QCOMPARE(store.runDetails(ended.at(1).at(0).toLongLong()).info.status, store::RunStatus::Failed);
    }
};

QTEST_MAIN(TestRunControllerDecoupled)
#include "tst_run_controller_decoupled.moc"
