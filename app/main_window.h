// The workbench's main window: a Welcome and a Design tab in the centre, and
// dockable, restorable areas around them: the designer's Palette, Inspector
// and Problems, Launch (the experiment form), Monitor (live curves), Inspect
// (trajectory trees) and History (the SQLite runs). Menus and a toolbar from
// app/actions.h; the document logic lives in DesignController, training in
// RunController, the data feeds of the run views in RunViews. Layout and
// connections only.
#pragma once

#include "app/actions.h"
#include "widgets/common/machine_info.h"

#include <QMainWindow>
#include <QPointer>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;

namespace mgrpo::widgets {
class AboutDialog;
class AgentInspector;
class ExperimentForm;
class HistoryBrowser;
class MonitorDashboard;
class TrajectoryInspector;
class NodePalette;
class ProblemsPanel;
class SystemStatusWidget;
class TopologyView;
}  // namespace mgrpo::widgets

namespace mgrpo::app {

class DesignController;
class RunController;
class RunViews;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // Saved: restore geometry and dock layout from QSettings now and save them on close.
    // Ignored: always the default layout, nothing written (screenshots, tests).
    enum class Geometry { Saved, Ignored };

    explicit MainWindow(const widgets::MachineInfo& machine, Geometry geometry = Geometry::Saved,
                        QWidget* parent = nullptr);

    static constexpr QSize kDefaultSize{1200, 800};

    const WorkbenchActions& actions() const { return m_actions; }
    QAction* quitAction() const { return m_actions.quit; }
    QAction* aboutAction() const { return m_actions.about; }
    QAction* aboutQtAction() const { return m_actions.aboutQt; }
    widgets::SystemStatusWidget* systemStatus() const { return m_systemStatus; }
    DesignController* design() const { return m_design; }
    widgets::TopologyView* topologyView() const { return m_view; }
    widgets::ProblemsPanel* problemsPanel() const { return m_problems; }
    widgets::AgentInspector* inspector() const { return m_inspector; }
    widgets::ExperimentForm* experimentForm() const { return m_experiment; }
    RunController* runs() const { return m_runs; }
    RunViews* runViews() const { return m_runViews; }
    widgets::MonitorDashboard* monitor() const { return m_monitor; }
    widgets::TrajectoryInspector* trajectoryInspector() const { return m_trajectories; }
    widgets::HistoryBrowser* history() const { return m_history; }
    QProgressBar* runProgress() const { return m_runProgress; }
    // The run line of the status bar ("step 3/20 · ETA 12s · R_M ...").
    QString runStatusText() const;
    // The red line above the Monitor that explains why a run failed ("" when hidden).
    QString runBannerText() const;
    // The history database every run is recorded to (default: store::defaultDatabasePath(),
    // or the "history/database" setting).
    void setDatabasePath(const QString& path);
    QString databasePath() const;
    // What Run does with the Launch dock's config and the designed topology:
    // refuses a topology with problems, otherwise queues the run.
    bool launchExperiment();
    void raiseDock(const char* name);
    QTabWidget* workspace() const { return m_tabs; }
    QMenu* recentMenu() const { return m_recentMenu; }
    // The red line above the canvas that shows why a file could not be opened ("" when hidden).
    QString designBannerText() const;
    // The About dialog while it is open, else null.
    widgets::AboutDialog* aboutDialog() const;

    // Renders the window (without the window-manager frame) to a PNG file.
    bool saveScreenshot(const QString& path);

public slots:
    // Opens the About dialog window-modally without blocking (reuses an open one).
    void showAbout();
    void showDesign();
    void showStatus(const QString& text);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createDesignArea();
    void createDocks();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void connectDesigner();
    void connectRuns();
    void updateRunActions();
    void rebuildRecentMenu();
    void updateTitle();
    QDockWidget* addDock(const QString& title, const char* name, QWidget* content, Qt::DockWidgetArea area);
    void restoreWindowGeometry();
    void saveWindowGeometry() const;

    widgets::MachineInfo m_machine;
    Geometry m_geometry;
    WorkbenchActions m_actions;
    DesignController* m_design = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_banner = nullptr;
    widgets::TopologyView* m_view = nullptr;
    widgets::NodePalette* m_palette = nullptr;
    widgets::AgentInspector* m_inspector = nullptr;
    widgets::ProblemsPanel* m_problems = nullptr;
    widgets::ExperimentForm* m_experiment = nullptr;
    QDockWidget* m_problemsDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    widgets::SystemStatusWidget* m_systemStatus = nullptr;
    QPointer<widgets::AboutDialog> m_aboutDialog;
    RunController* m_runs = nullptr;
    RunViews* m_runViews = nullptr;
    widgets::MonitorDashboard* m_monitor = nullptr;
    widgets::TrajectoryInspector* m_trajectories = nullptr;
    widgets::HistoryBrowser* m_history = nullptr;
    QLabel* m_runBanner = nullptr;
    QProgressBar* m_runProgress = nullptr;
    QLabel* m_runStatus = nullptr;
    QDockWidget* m_monitorDock = nullptr;
};

}  // namespace mgrpo::app
