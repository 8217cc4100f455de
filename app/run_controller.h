// RunController: launches experiments on a worker QThread running the core's
// ExperimentRunner (the same listeners as `mgrpo run`: SQLite history through
// HistoryListener, history.json link in the output directory), and turns the
// worker's events into batched signals on the UI thread: the listener only
// appends to a locked buffer, a kBatchMs timer drains it, so a fast trainer
// never floods the event loop. Pause/resume/stop go through core::RunControl
// (stop finishes the step, checkpoints, marks the run stopped); an exception
// from the core ends the run as failed with its message stored. Runs wait in
// a queue and train one at a time. Signals carry plain Qt value types only.
// A decoupled run (mgrpo run --decoupled) opens its core::dist session on the
// worker thread with local `mgrpo serve` processes (worker_executable.h) and
// saves <out>/decoupled.json, so resuming it from History restarts them.
#pragma once

#include "core/dist/decoupled.h"
#include "core/train/experiment_spec.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QObject>
#include <QVector>

#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace mgrpo::app {

// One training step's metrics as stored ("main/reward_mean", "align.searcher/dk_2", ...).
struct StepSample {
    int step = 0;
    QString phase;
    QMap<QString, double> values;
};

// Every rollout of one step as trajectory-tree JSON (core::toJson(Rollout)),
// with the trainer's per-query batch records (advantages, alignment slots).
struct TrajectoryBatch {
    int step = 0;
    QString phase;
    QList<QByteArray> rollouts;
    QList<QByteArray> batchRecords;
};

class RunController : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)
    enum class Outcome { Finished, Stopped, Failed };
    Q_ENUM(Outcome)
    static constexpr int kBatchMs = 100;
    // Steps of trajectories kept per drain when the UI falls behind (newest win).
    static constexpr int kMaxTrajectoryBatches = 4;

    explicit RunController(QString databasePath, QObject* parent = nullptr);
    ~RunController() override;  // stops a running run and waits for its step

    QString databasePath() const { return m_db; }
    // Also moves runsDirectory() next to the database (<db dir>/runs).
    void setDatabasePath(const QString& path);
    // Where new runs get their output directory (<dir>/<name>-<time>).
    QString runsDirectory() const { return m_runsDir; }
    void setRunsDirectory(const QString& dir) { m_runsDir = dir; }

    // Queues a new run of `spec` in `outDir` (default: under runsDirectory());
    // it starts at once when nothing trains. Returns how many runs wait before it.
    // `decoupled`: the layout of `mgrpo run --decoupled` (store, ranks, staleness,
    // timeouts); the controller fills in the worker executable and log folder.
    int launch(const core::ExperimentSpec& spec, const QString& outDir = {},
               std::optional<core::dist::DecoupledOptions> decoupled = std::nullopt);
    // Queues the continuation of an interrupted or stopped run of the history.
    int resumeRun(qint64 runId);
    void pause();
    void resume();
    void stop();
    void clearQueue();

    State state() const { return m_state; }
    qint64 currentRun() const { return m_run; }
    QString currentOutDir() const { return m_outDir; }
    int queued() const { return static_cast<int>(m_queue.size()); }
    int currentStep() const { return m_step; }
    int totalSteps() const { return m_total; }

signals:
    void stateChanged(mgrpo::app::RunController::State state);
    void runStarted(qint64 run, const QString& label, int totalSteps, int startStep, const QString& outDir);
    void stepsArrived(qint64 run, const QVector<mgrpo::app::StepSample>& steps);
    void trajectoriesArrived(qint64 run, const mgrpo::app::TrajectoryBatch& batch);
    void evaluationArrived(qint64 run, int step, const QMap<QString, double>& metrics);
    // summary: "R_M 0.41 · R_S[searcher] 0.63" of the latest step.
    void progressChanged(int step, int total, double etaSeconds, const QString& summary);
    void logLine(const QString& line);
    void runEnded(qint64 run, mgrpo::app::RunController::Outcome outcome, const QString& message);
    void queueChanged(int waiting);

public:
    struct Shared;  // worker <-> UI buffer (run_controller.cpp)

private:
    struct Job {
        std::optional<core::ExperimentSpec> spec;
        QString outDir;
        qint64 resumeRun = 0;
        std::optional<core::dist::DecoupledOptions> decoupled;
    };
    void startNext();
    void drain();
    void onThreadFinished();
    void setState(State state);
    QString newOutDir(const QString& name) const;

    QString m_db;
    QString m_runsDir;
    QList<Job> m_queue;
    std::shared_ptr<Shared> m_shared;
    QThread* m_thread = nullptr;
    QTimer* m_drainTimer = nullptr;
    QElapsedTimer m_clock;
    State m_state = State::Idle;
    qint64 m_run = 0;
    QString m_outDir;
    bool m_announced = false;
    int m_step = 0;
    int m_total = 0;
    int m_startStep = 0;
};

}  // namespace mgrpo::app

Q_DECLARE_METATYPE(mgrpo::app::StepSample)
Q_DECLARE_METATYPE(mgrpo::app::TrajectoryBatch)
