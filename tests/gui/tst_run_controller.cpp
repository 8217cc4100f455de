// RunController with a real (tiny) training run: experiments/smoke.json
// launched from the controller delivers metrics to the Monitor's plot model
// and every rollout to the Inspect tree, records the run in a temporary
// SQLite history; pause holds the run between steps, stop checkpoints and
// marks it stopped, resume continues it to the end; a core error fails the
// run with its message stored.
#include "app/run_controller.h"
#include "app/run_views.h"
#include "widgets/history/history_browser.h"
#include "widgets/history/run_table_model.h"
#include "widgets/plots/monitor_dashboard.h"
#include "widgets/trajectory/trajectory_inspector.h"
#include "widgets/trajectory/trajectory_tree_model.h"

#include "core/store/history_store.h"
#include "core/train/experiment_spec.h"
#include "core/util/files.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace mgrpo;
using app::RunController;

namespace {
constexpr int kRunTimeoutMs = 240000;

core::ExperimentSpec smokeSpec(int steps) {
    auto spec = core::loadExperimentSpec(MGRPO_SOURCE_DIR "/experiments/smoke.json");
    spec.training.steps = steps;
    return spec;
}
}  // namespace

class TestRunController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString db() const { return m_dir.filePath("history.sqlite"); }

private slots:
    void initTestCase() {
        qRegisterMetaType<RunController::Outcome>();
        qRegisterMetaType<RunController::State>();
        QVERIFY(m_dir.isValid());
    }

    void liveRunFeedsPlotsTreeAndHistory() {
        RunController runs(db());
        runs.setRunsDirectory(m_dir.filePath("runs"));
        widgets::MonitorDashboard monitor;
        widgets::TrajectoryInspector inspector;
        widgets::HistoryBrowser history;
        app::RunViews views(&runs, &monitor, &inspector, &history);
        views.setDatabasePath(db());
        QSignalSpy started(&runs, &RunController::runStarted);
        QSignalSpy steps(&runs, &RunController::stepsArrived);
        QSignalSpy trajectories(&runs, &RunController::trajectoriesArrived);
        QSignalSpy progress(&runs, &RunController::progressChanged);
        QSignalSpy ended(&runs, &RunController::runEnded);

        QCOMPARE(runs.launch(smokeSpec(2)), 0);
        QCOMPARE(runs.state(), RunController::State::Running);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
        QCOMPARE(started.count(), 1);
        const qint64 run = ended.at(0).at(0).toLongLong();
        QVERIFY(run > 0);
        QCOMPARE(ended.at(0).at(1).value<RunController::Outcome>(), RunController::Outcome::Finished);
        QCOMPARE(runs.state(), RunController::State::Idle);
        QVERIFY(steps.count() >= 1);
        QCOMPARE(progress.last().at(0).toInt(), 2);
        QCOMPARE(progress.last().at(1).toInt(), 2);
        QVERIFY(progress.last().at(3).toString().contains("R_S[searcher]"));

        // Metrics reached the plot model and the dashboard's panels.
        const auto* reward = monitor.model().series(run, "main/reward_mean");
        QVERIFY(reward);
        QCOMPARE(reward->steps, (QVector<double>{1, 2}));
        QVERIFY(monitor.model().series(run, "sub.searcher/reward_mean"));
        QVERIFY(monitor.model().series(run, "perf/rollout_s"));
        QVERIFY(monitor.model().series(run, "eval/accuracy"));  // eval_every 2
        monitor.refreshNow();
        const QStringList rewardCurves = monitor.seriesNames(monitor.panelTitles().front());
        QVERIFY2(rewardCurves.contains("main/reward_mean") && rewardCurves.contains("sub.searcher/reward_mean"),
                 qPrintable(rewardCurves.join(", ")));

        // Every rollout of the newest step reached the inspector, live (not only the stored sample).
        QCOMPARE(trajectories.count(), 2);
        QCOMPARE(inspector.currentRun(), run);
        QCOMPARE(inspector.currentStep(), 2);
        QCOMPARE(inspector.visibleRollouts(), 4);  // samples_per_query
        QCOMPARE(inspector.treeModel()->rowCount(), 1);
        QVERIFY(inspector.treeModel()->index(0, 0).data().toString().startsWith("Main agent main"));
        QCOMPARE(views.trajectories(run, 2).size(), 8);  // live: B * K

        // The history has the finished run with both steps, and lists it.
        store::HistoryStore store(db().toStdString());
        const auto info = store.runDetails(run).info;
        QCOMPARE(info.status, store::RunStatus::Finished);
        QCOMPARE(info.lastStep, 2);
        QVERIFY(!store.trajectories(run, 1).empty());
        QVERIFY(core::pathExists(std::filesystem::path(info.runDir) / "history.json"));
        QVERIFY(history.model()->rowOf(run) >= 0);
    }

    void pauseStopAndResume() {
        RunController runs(db());
        runs.setRunsDirectory(m_dir.filePath("runs"));
        QSignalSpy states(&runs, &RunController::stateChanged);
        QSignalSpy steps(&runs, &RunController::stepsArrived);
        QSignalSpy started(&runs, &RunController::runStarted);
        QSignalSpy ended(&runs, &RunController::runEnded);
        runs.launch(smokeSpec(30));  // long enough that pause lands mid-run
        QTRY_VERIFY_WITH_TIMEOUT(runs.currentStep() >= 1, kRunTimeoutMs);
        const qint64 run = runs.currentRun();

        runs.pause();
        QCOMPARE(runs.state(), RunController::State::Paused);
        QCOMPARE(states.last().at(0).value<RunController::State>(), RunController::State::Paused);
        // The step in progress may still finish; after that nothing moves.
        QTest::qWait(3000);
        const int held = runs.currentStep();
        QTest::qWait(2500);
        QCOMPARE(runs.currentStep(), held);
        QVERIFY(held < 30);
        {
            store::HistoryStore store(db().toStdString());
            QCOMPARE(store.runDetails(run).info.status, store::RunStatus::Paused);
        }
        runs.resume();
        QCOMPARE(runs.state(), RunController::State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(runs.currentStep() > held, kRunTimeoutMs);

        runs.stop();
        QCOMPARE(runs.state(), RunController::State::Stopping);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
        QCOMPARE(ended.at(0).at(1).value<RunController::Outcome>(), RunController::Outcome::Stopped);
        QCOMPARE(runs.state(), RunController::State::Idle);
        int stoppedAt = 0;
        {
            store::HistoryStore store(db().toStdString());
            const auto info = store.runDetails(run).info;
            QCOMPARE(info.status, store::RunStatus::Stopped);
            stoppedAt = info.lastStep;
            QVERIFY(stoppedAt >= 2 && stoppedAt < 30);
            QVERIFY(store.lastCheckpoint(run).has_value());
        }

        // Resume from the history: continues after the checkpoint to the end.
        QCOMPARE(runs.resumeRun(run), 0);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, kRunTimeoutMs);
        QCOMPARE(ended.at(1).at(0).toLongLong(), run);
        QCOMPARE(ended.at(1).at(1).value<RunController::Outcome>(), RunController::Outcome::Finished);
        QCOMPARE(started.count(), 2);
        QVERIFY(started.at(1).at(3).toInt() >= 1);  // start step of the continuation
        QCOMPARE(steps.last().at(1).value<QVector<app::StepSample>>().back().step, 30);
        store::HistoryStore store(db().toStdString());
        QCOMPARE(store.runDetails(run).info.status, store::RunStatus::Finished);
        QCOMPARE(store.runDetails(run).info.lastStep, 30);
    }

    void coreErrorFailsTheRun() {
        RunController runs(db());
        runs.setRunsDirectory(m_dir.filePath("runs"));
        QSignalSpy ended(&runs, &RunController::runEnded);
        auto spec = smokeSpec(2);
        spec.training.algorithm = core::Algorithm::SingleAgent;  // the smoke topology has a sub-agent
        runs.launch(spec);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kRunTimeoutMs);
        QCOMPARE(ended.at(0).at(1).value<RunController::Outcome>(), RunController::Outcome::Failed);
        const QString message = ended.at(0).at(2).toString();
        QVERIFY2(!message.isEmpty(), "the failure has a message");
        const qint64 run = ended.at(0).at(0).toLongLong();
        QVERIFY(run > 0);
        store::HistoryStore store(db().toStdString());
        const auto info = store.runDetails(run).info;
        QCOMPARE(info.status, store::RunStatus::Failed);
        QCOMPARE(QString::fromStdString(info.error), message);
    }

    void queueRunsOneAfterAnother() {
        RunController runs(db());
        runs.setRunsDirectory(m_dir.filePath("runs"));
        QSignalSpy ended(&runs, &RunController::runEnded);
        QCOMPARE(runs.launch(smokeSpec(1)), 0);
        QCOMPARE(runs.launch(smokeSpec(1)), 1);
        QCOMPARE(runs.queued(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, kRunTimeoutMs);
        QVERIFY(ended.at(0).at(0).toLongLong() != ended.at(1).at(0).toLongLong());
        QCOMPARE(ended.at(1).at(1).value<RunController::Outcome>(), RunController::Outcome::Finished);
        QCOMPARE(runs.queued(), 0);
    }
};

QTEST_MAIN(TestRunController)
#include "tst_run_controller.moc"
