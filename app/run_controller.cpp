// The worker side (a listener that only fills a locked buffer, and the job
// function that mirrors cli/run_commands.cpp's execute()) and the UI side
// (drain timer, state, queue).
#include "app/run_controller.h"

#include "app/worker_executable.h"

#include "core/store/default_path.h"
#include "core/store/history_store.h"
#include "core/train/experiment_runner.h"
#include "core/train/history_listener.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace mgrpo::app {

namespace fs = std::filesystem;

struct RunController::Shared {
    core::RunControl control;
    std::mutex mutex;
    // Filled by the worker, emptied by drain() on the UI thread.
    bool started = false;
    qint64 run = 0;
    int total = 0;
    int startStep = 0;
    QString label;
    QString outDir;
    QVector<StepSample> steps;
    QList<TrajectoryBatch> trajectories;
    QList<QPair<int, QMap<QString, double>>> evaluations;
    QStringList logs;
    std::optional<Outcome> outcome;
    QString message;
    store::RunRecorder* recorder = nullptr;  // valid while the runner runs (guarded by mutex)
};

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

class QueueingListener : public core::ExperimentListener {
public:
    explicit QueueingListener(RunController::Shared& shared) : m_shared(shared) {}

    void onPhase(const std::string& phase, int stage, int steps) override {
        log(QStringLiteral("== %1 (stage %2, %3 steps)").arg(qs(phase)).arg(stage).arg(steps));
    }
    void onLog(const std::string& line) override { log(qs(line)); }
    void onStep(const std::string& phase, int globalStep, const core::StepMetrics& metrics,
                const core::Trainer& trainer) override {
        StepSample sample;
        sample.step = globalStep;
        sample.phase = qs(phase);
        for (const auto& [key, value] : core::storedMetrics(metrics)) sample.values.insert(qs(key), value);
        TrajectoryBatch batch;
        batch.step = globalStep;
        batch.phase = sample.phase;
        for (const auto& tree : trainer.lastRolloutsJson()) batch.rollouts.append(QByteArray::fromStdString(tree));
        for (const auto& rec : trainer.lastBatchRecords()) batch.batchRecords.append(QByteArray::fromStdString(rec.dump()));
        const std::lock_guard lock(m_shared.mutex);
        m_shared.steps.append(std::move(sample));
        m_shared.trajectories.append(std::move(batch));
        while (m_shared.trajectories.size() > RunController::kMaxTrajectoryBatches) m_shared.trajectories.removeFirst();
    }
    void onEvaluation(const std::string& phase, int globalStep, const core::EvalReport& e) override {
        QMap<QString, double> m;
        for (const auto& [name, value] : core::evalMetrics(e)) m.insert(qs(name), value);
        {
            const std::lock_guard lock(m_shared.mutex);
            m_shared.evaluations.append({globalStep, m});
        }
        log(QStringLiteral("eval (%1, step %2): stage %3 held-out accuracy %4, format %5 (%6 questions)")
                .arg(qs(phase))
                .arg(globalStep)
                .arg(e.stage)
                .arg(e.accuracy, 0, 'f', 3)
                .arg(e.formatRate, 0, 'f', 3)
                .arg(e.queries));
    }
    void onCheckpoint(const std::string& phase, int globalStep, const std::string& dir) override {
        log(QStringLiteral("checkpoint (%1, step %2): %3").arg(qs(phase)).arg(globalStep).arg(qs(dir)));
    }

private:
    void log(const QString& line) {
        const std::lock_guard lock(m_shared.mutex);
        m_shared.logs.append(line);
    }
    RunController::Shared& m_shared;
};

// One job as the worker thread gets it.
struct WorkItem {
    std::optional<core::ExperimentSpec> spec;  // empty: resume resumeId
    std::string outDir;
    qint64 resumeId = 0;
    std::string db;
    std::optional<core::dist::DecoupledOptions> decoupled;  // of a new run; a resumed one reads decoupled.json
    std::string workerExecutable;  // found on the UI thread; empty: workerError says why
    std::string workerError;
};

// `mgrpo run --decoupled`'s local layout: workers started from the mgrpo
// executable, logging to <out>/worker-<rank>.log.
core::dist::DecoupledOptions forLocalRun(core::dist::DecoupledOptions o, const WorkItem& item,
                                         const std::string& outDir) {
    if (!core::dist::isLoopback(o.store.host))
        throw std::invalid_argument("a decoupled run from the workbench keeps every process on this machine, so its "
                                    "store must be a loopback address (got '" + o.store.host + "')");
    if (item.workerExecutable.empty()) throw std::runtime_error(item.workerError);
    o.spawnLocal = true;
    o.workerExecutable = item.workerExecutable;
    o.logDir = outDir;
    return o;
}

// The whole run on the worker thread. Never throws: failures become the outcome.
void work(RunController::Shared& sh, WorkItem item) {
    const qint64 resumeId = item.resumeId;
    const std::string& db = item.db;
    std::string outDir = item.outDir;
    store::RunId id = resumeId;
    std::unique_ptr<core::HistoryListener> history;
    auto fail = [&](const std::string& what) {
        try {
            if (history) history->recorder().finish(store::RunStatus::Failed, what);
            else if (id) store::HistoryStore(db).setStatus(id, store::RunStatus::Failed, what);
        } catch (const std::exception&) {
            // The database itself failed; the message below still reaches the user.
        }
        const std::lock_guard lock(sh.mutex);
        sh.recorder = nullptr;
        sh.outcome = RunController::Outcome::Failed;
        sh.message = qs(what);
    };
    try {
        std::optional<core::ExperimentRunner> runner;
        std::optional<core::dist::DecoupledOptions> decoupled = item.decoupled;
        int done = 0;
        QString label;
        if (resumeId) {
            store::HistoryStore store(db);
            const auto details = store.runDetails(resumeId);
            outDir = details.info.runDir;
            if (outDir.empty() || !fs::is_directory(outDir))
                throw std::invalid_argument("run " + std::to_string(resumeId) +
                                            " has no run directory on this machine ('" + outDir + "')");
            runner.emplace(core::ExperimentRunner::resume(outDir));
            done = runner->checkpointedSteps();
            store.truncateAfter(resumeId, done);
            label = QStringLiteral("%1 (resumed)").arg(qs(details.info.experiment));
            // As `mgrpo resume`: a decoupled run restarts its worker processes.
            if (core::dist::DecoupledOptions saved; core::dist::loadDecoupledOptions(outDir, saved)) decoupled = saved;
        } else {
            // The row first, so that a config the runner rejects is recorded as a failed run.
            const auto& spec = *item.spec;
            id = store::HistoryStore(db).createRun(core::runSpecFor(spec, outDir));
            label = qs(spec.training.name);
            runner.emplace(spec, outDir);
            core::writeHistoryLink(outDir, {db, id});
            if (decoupled) core::dist::saveDecoupledOptions(outDir, *decoupled);
        }
        if (decoupled) {
            decoupled = forLocalRun(*decoupled, item, runner->outDir());
            label += QStringLiteral(" (decoupled)");
        }
        QueueingListener queueing(sh);
        history = std::make_unique<core::HistoryListener>(db, id);
        runner->addListener(history.get());
        runner->addListener(&queueing);
        {
            const std::lock_guard lock(sh.mutex);
            sh.started = true;
            sh.run = id;
            sh.total = runner->totalSteps();
            sh.startStep = done;
            sh.label = QStringLiteral("#%1 %2").arg(id).arg(label);
            sh.outDir = qs(runner->outDir());
            sh.recorder = &history->recorder();
        }
        // Opened and closed on this thread: local workers get SIGTERM when the
        // thread that started them ends (PR_SET_PDEATHSIG). On an exception the
        // session's destructor tells the workers and stops them.
        std::shared_ptr<core::dist::Session> session;
        if (decoupled) {
            // Logs into `sh`, which outlives the session (the runner holds it too).
            session = core::dist::openSession(*decoupled, runner->spec().topology, [&sh](const std::string& line) {
                const std::lock_guard lock(sh.mutex);
                sh.logs.append(qs(line));
            });
            runner->setSession(session);
        }
        const auto outcome = runner->run(&sh.control);
        if (session) core::dist::closeSession(*session);
        {
            const std::lock_guard lock(sh.mutex);
            sh.recorder = nullptr;
        }
        history->recorder().finish(outcome == core::RunOutcome::Finished ? store::RunStatus::Finished
                                                                        : store::RunStatus::Stopped);
        const std::lock_guard lock(sh.mutex);
        if (outcome == core::RunOutcome::Finished) {
            sh.outcome = RunController::Outcome::Finished;
            sh.message = QStringLiteral("finished; final topology: %1").arg(qs(runner->finalTopologyPath()));
        } else {
            sh.outcome = RunController::Outcome::Stopped;
            sh.message = QStringLiteral("stopped after a checkpoint at step %1; resume it from History")
                             .arg(runner->checkpointedSteps());
        }
    } catch (const std::exception& e) {
        fail(e.what());
    } catch (...) {
        fail("unknown error in the training worker");
    }
    if (!sh.started) {
        const std::lock_guard lock(sh.mutex);
        sh.run = id;
    }
}

}  // namespace

RunController::RunController(QString databasePath, QObject* parent)
    : QObject(parent), m_db(std::move(databasePath)) {
    if (m_db.isEmpty()) m_db = QString::fromStdString(store::defaultDatabasePath().string());
    m_runsDir = QFileInfo(m_db).absolutePath() + QStringLiteral("/runs");
    m_drainTimer = new QTimer(this);
    m_drainTimer->setInterval(kBatchMs);
    connect(m_drainTimer, &QTimer::timeout, this, &RunController::drain);
}

void RunController::setDatabasePath(const QString& path) {
    m_db = path;
    m_runsDir = QFileInfo(m_db).absolutePath() + QStringLiteral("/runs");
}

RunController::~RunController() {
    m_queue.clear();
    if (m_thread) {
        m_shared->control.stop = true;
        m_shared->control.pause = false;
        m_thread->wait();
        delete m_thread;
    }
}

QString RunController::newOutDir(const QString& name) const {
    QString safe = name;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
    const QString base = m_runsDir + QLatin1Char('/') + safe + QLatin1Char('-') +
                         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString dir = base;
    for (int i = 2; QFileInfo::exists(dir); ++i) dir = base + QLatin1Char('-') + QString::number(i);
    return dir;
}

int RunController::launch(const core::ExperimentSpec& spec, const QString& outDir,
                          std::optional<core::dist::DecoupledOptions> decoupled) {
    Job job;
    job.spec = spec;
    job.outDir = outDir;
    job.decoupled = std::move(decoupled);
    m_queue.append(std::move(job));
    const int ahead = static_cast<int>(m_queue.size()) - 1 + (m_thread ? 1 : 0);
    if (!m_thread) startNext();
    else emit queueChanged(queued());
    return ahead;
}

int RunController::resumeRun(qint64 runId) {
    Job job;
    job.resumeRun = runId;
    m_queue.append(std::move(job));
    const int ahead = static_cast<int>(m_queue.size()) - 1 + (m_thread ? 1 : 0);
    if (!m_thread) startNext();
    else emit queueChanged(queued());
    return ahead;
}

void RunController::startNext() {
    if (m_thread || m_queue.isEmpty()) return;
    Job job = m_queue.takeFirst();
    emit queueChanged(queued());
    m_shared = std::make_shared<Shared>();
    m_run = 0;
    m_step = m_total = m_startStep = 0;
    m_announced = false;
    QString outDir = job.outDir;
    if (job.spec && outDir.isEmpty()) {
        QDir().mkpath(m_runsDir);
        outDir = newOutDir(QString::fromStdString(job.spec->training.name));
    }
    m_outDir = outDir;
    std::shared_ptr<Shared> shared = m_shared;
    WorkItem item{job.spec, outDir.toStdString(), job.resumeRun, m_db.toStdString(), job.decoupled, {}, {}};
    // Looked up for every job: a resumed run only learns on the worker thread
    // (from its decoupled.json) whether it needs workers.
    const WorkerExecutable worker = findWorkerExecutable();
    item.workerExecutable = worker.path.toStdString();
    item.workerError = worker.error().toStdString();
    m_thread = QThread::create([shared, item = std::move(item)]() mutable { work(*shared, std::move(item)); });
    m_thread->setObjectName(QStringLiteral("mgrpo-training"));
    connect(m_thread, &QThread::finished, this, &RunController::onThreadFinished);
    m_clock.start();
    setState(State::Running);
    m_thread->start();
    m_drainTimer->start();
}

void RunController::pause() {
    if (m_state != State::Running || !m_shared) return;
    m_shared->control.pause = true;
    {
        const std::lock_guard lock(m_shared->mutex);
        if (m_shared->recorder) m_shared->recorder->setStatus(store::RunStatus::Paused);
    }
    setState(State::Paused);
}

void RunController::resume() {
    if (m_state != State::Paused || !m_shared) return;
    m_shared->control.pause = false;
    {
        const std::lock_guard lock(m_shared->mutex);
        if (m_shared->recorder) m_shared->recorder->setStatus(store::RunStatus::Running);
    }
    setState(State::Running);
}

void RunController::stop() {
    if (!m_shared || (m_state != State::Running && m_state != State::Paused)) return;
    m_shared->control.stop = true;
    m_shared->control.pause = false;
    setState(State::Stopping);
}

void RunController::clearQueue() {
    m_queue.clear();
    emit queueChanged(0);
}

void RunController::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    emit stateChanged(state);
}

void RunController::drain() {
    if (!m_shared) return;
    bool announce = false;
    QString label, outDir;
    QVector<StepSample> steps;
    QList<TrajectoryBatch> trajectories;
    QList<QPair<int, QMap<QString, double>>> evaluations;
    QStringList logs;
    {
        const std::lock_guard lock(m_shared->mutex);
        if (m_shared->started && !m_announced) {
            announce = true;
            m_announced = true;
            m_run = m_shared->run;
            m_total = m_shared->total;
            m_startStep = m_step = m_shared->startStep;
            label = m_shared->label;
            outDir = m_shared->outDir;
        }
        steps.swap(m_shared->steps);
        trajectories.swap(m_shared->trajectories);
        evaluations.swap(m_shared->evaluations);
        logs.swap(m_shared->logs);
    }
    if (announce) {
        m_outDir = outDir;
        m_clock.restart();
        emit runStarted(m_run, label, m_total, m_startStep, outDir);
    }
    for (const QString& line : logs) emit logLine(line);
    if (!steps.isEmpty()) {
        emit stepsArrived(m_run, steps);
        const StepSample& last = steps.back();
        m_step = last.step;
        const int done = m_step - m_startStep;
        const double eta = done > 0 ? m_clock.elapsed() / 1000.0 / done * (m_total - m_step) : 0.0;
        QStringList parts;
        parts << QStringLiteral("R_M %1").arg(last.values.value(QStringLiteral("main/reward_mean")), 0, 'f', 3);
        for (auto it = last.values.cbegin(); it != last.values.cend(); ++it)
            if (it.key().startsWith(QLatin1String("sub.")) && it.key().endsWith(QLatin1String("/reward_mean")))
                parts << QStringLiteral("R_S[%1] %2").arg(it.key().mid(4, it.key().size() - 4 - 12)).arg(it.value(), 0, 'f', 3);
        emit progressChanged(m_step, m_total, eta, parts.join(QStringLiteral(" \u00b7 ")));
    }
    for (const auto& batch : trajectories) emit trajectoriesArrived(m_run, batch);
    for (const auto& [step, metrics] : evaluations) emit evaluationArrived(m_run, step, metrics);
}

void RunController::onThreadFinished() {
    m_drainTimer->stop();
    drain();
    Outcome outcome;
    QString message;
    qint64 run;
    {
        const std::lock_guard lock(m_shared->mutex);
        outcome = m_shared->outcome.value_or(Outcome::Failed);
        message = m_shared->message;
        run = m_shared->run;
    }
    m_run = run;
    m_thread->deleteLater();
    m_thread = nullptr;
    setState(State::Idle);
    emit runEnded(run, outcome, message);
    if (!m_queue.isEmpty()) startNext();
}

}  // namespace mgrpo::app
