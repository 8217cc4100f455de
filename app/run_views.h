// RunViews: feeds the Monitor, Inspect and History areas from the running
// trainer (RunController's batched signals) and from the history database.
// The live run's last kLiveSteps steps of trajectories are kept in memory
// (every rollout, not only the stored sample); older steps and other runs are
// read from the database on demand. No layout: MainWindow places the widgets.
#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>

namespace mgrpo::widgets {
class HistoryBrowser;
class MonitorDashboard;
class TrajectoryInspector;
}  // namespace mgrpo::widgets

namespace mgrpo::app {

class RunController;

class RunViews : public QObject {
    Q_OBJECT

public:
    static constexpr int kLiveSteps = 50;

    RunViews(RunController* runs, widgets::MonitorDashboard* monitor, widgets::TrajectoryInspector* inspector,
             widgets::HistoryBrowser* history, QObject* parent = nullptr);

    void setDatabasePath(const QString& path);
    QString databasePath() const { return m_db; }

    // Replaces the Monitor's runs by these, read from the database.
    void showRunsInMonitor(const QList<qint64>& runs);
    // Lists the database's runs in Inspect and opens `run` there (0: keep the choice).
    void inspect(qint64 run = 0);
    QList<int> steps(qint64 run) const;
    QList<QByteArray> trajectories(qint64 run, int step) const;

private:
    void loadRunIntoMonitor(qint64 run);
    void refreshRunList();

    RunController* m_runs;
    widgets::MonitorDashboard* m_monitor;
    widgets::TrajectoryInspector* m_inspector;
    widgets::HistoryBrowser* m_history;
    QString m_db;
    QHash<qint64, QMap<int, QList<QByteArray>>> m_live;
    qint64 m_lastHistoryRefresh = 0;
};

}  // namespace mgrpo::app
