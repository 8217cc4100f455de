#include "app/run_views.h"

#include "app/run_controller.h"
#include "widgets/history/history_browser.h"
#include "widgets/plots/monitor_dashboard.h"
#include "widgets/trajectory/trajectory_inspector.h"

#include "core/store/history_store.h"

#include <QDateTime>

#include <algorithm>

#include <set>

namespace mgrpo::app {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

RunViews::RunViews(RunController* runs, widgets::MonitorDashboard* monitor, widgets::TrajectoryInspector* inspector,
                   widgets::HistoryBrowser* history, QObject* parent)
    : QObject(parent), m_runs(runs), m_monitor(monitor), m_inspector(inspector), m_history(history) {
    connect(runs, &RunController::runStarted, this,
            [this](qint64 run, const QString& label, int, int startStep, const QString&) {
                auto& model = m_monitor->model();
                model.clear();
                if (startStep > 0) loadRunIntoMonitor(run);  // a resumed run continues its curves
                model.setRunLabel(run, label);
                m_monitor->notifyChanged();
                m_live.clear();
                if (m_history) m_history->refresh();
                refreshRunList();
                if (m_inspector->followsLatest()) m_inspector->setCurrentRun(run);
            });
    connect(runs, &RunController::stepsArrived, this, [this](qint64 run, const QVector<StepSample>& steps) {
        auto& model = m_monitor->model();
        for (const StepSample& s : steps) model.appendStep(run, s.step, s.values);
        m_monitor->notifyChanged();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_history && now - m_lastHistoryRefresh > 3000) {
            m_lastHistoryRefresh = now;
            m_history->refresh();
        }
    });
    connect(runs, &RunController::evaluationArrived, this, [this](qint64 run, int step, const QMap<QString, double>& m) {
        m_monitor->model().addEvaluation(run, step, m);
        m_monitor->notifyChanged();
    });
    connect(runs, &RunController::trajectoriesArrived, this, [this](qint64 run, const TrajectoryBatch& batch) {
        auto& steps = m_live[run];
        steps.insert(batch.step, batch.rollouts);
        while (steps.size() > kLiveSteps) steps.erase(steps.begin());
        if (m_inspector->currentRun() != run) return;
        const int shown = m_inspector->currentStep();
        m_inspector->setSteps(run, this->steps(run));
        // The step on screen came from the database's sample before its live rollouts arrived: show them all.
        if (shown == batch.step && m_inspector->currentStep() == batch.step)
            m_inspector->setTrajectories(run, batch.step, batch.rollouts);
    });
    connect(runs, &RunController::runEnded, this, [this](qint64, RunController::Outcome, const QString&) {
        if (m_history) m_history->refresh();
        refreshRunList();
    });
    connect(m_inspector, &widgets::TrajectoryInspector::runChosen, this,
            [this](qint64 run) { m_inspector->setSteps(run, steps(run)); });
    connect(m_inspector, &widgets::TrajectoryInspector::stepChosen, this,
            [this](qint64 run, int step) { m_inspector->setTrajectories(run, step, trajectories(run, step)); });
    if (m_history) {
        connect(m_history, &widgets::HistoryBrowser::showInMonitor, this, &RunViews::showRunsInMonitor);
        connect(m_history, &widgets::HistoryBrowser::inspectRun, this, [this](qint64 run) { inspect(run); });
    }
}

void RunViews::setDatabasePath(const QString& path) {
    m_db = path;
    if (m_history) m_history->setDatabasePath(path);
    refreshRunList();
}

void RunViews::refreshRunList() {
    QList<QPair<qint64, QString>> list;
    try {
        store::HistoryStore store(m_db.toStdString());
        store::RunFilter filter;
        filter.limit = 200;
        for (const auto& r : store.listRuns(filter))
            list.append({r.id, QStringLiteral("#%1 %2 (%3, %4)")
                                   .arg(r.id)
                                   .arg(qs(r.experiment), qs(r.algorithm), qs(store::runStatusName(r.status)))});
    } catch (const std::exception&) {
        // An unreadable database: History shows the error; Inspect stays empty.
    }
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    m_inspector->setRuns(list);
}

void RunViews::inspect(qint64 run) {
    refreshRunList();
    if (run) m_inspector->setCurrentRun(run);
}

QList<int> RunViews::steps(qint64 run) const {
    std::set<int> all;
    try {
        store::HistoryStore store(m_db.toStdString());
        for (int s : store.trajectorySteps(run)) all.insert(s);
    } catch (const std::exception&) {
    }
    for (int s : m_live.value(run).keys()) all.insert(s);
    return QList<int>(all.begin(), all.end());
}

QList<QByteArray> RunViews::trajectories(qint64 run, int step) const {
    const auto live = m_live.constFind(run);
    if (live != m_live.cend() && live->contains(step)) return live->value(step);
    QList<QByteArray> out;
    try {
        store::HistoryStore store(m_db.toStdString());
        for (const auto& t : store.trajectories(run, step)) out.append(QByteArray::fromStdString(t.record.treeJson));
    } catch (const std::exception&) {
    }
    return out;
}

void RunViews::loadRunIntoMonitor(qint64 run) {
    auto& model = m_monitor->model();
    try {
        store::HistoryStore store(m_db.toStdString());
        const auto details = store.runDetails(run);
        model.setRunLabel(run, QStringLiteral("#%1 %2").arg(run).arg(qs(details.info.experiment)));
        std::vector<std::string> names;
        for (const auto& n : store.metricNames(run)) names.push_back(n.name);
        for (const auto& s : store.metricSeries({run}, names, 4000)) {
            QVector<double> steps, values;
            for (const auto& p : s.points) steps.append(p.step), values.append(p.value);
            model.setSeries(run, qs(s.name), steps, values);
        }
        for (const auto& e : store.evaluations(run)) {
            if (e.record.suite.rfind("heldout", 0) != 0) continue;
            QMap<QString, double> m;
            for (const auto& [k, v] : e.record.metrics) m.insert(qs(k), v);
            model.addEvaluation(run, e.step, m);
        }
    } catch (const std::exception& e) {
        emit m_monitor->statusMessage(tr("Cannot load run %1: %2").arg(run).arg(QString::fromUtf8(e.what())));
    }
}

void RunViews::showRunsInMonitor(const QList<qint64>& runs) {
    m_monitor->model().clear();
    for (qint64 run : runs) loadRunIntoMonitor(run);
    m_monitor->notifyChanged();
}

}  // namespace mgrpo::app
