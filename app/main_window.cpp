// MainWindow: builds the tabs, docks, menus, toolbar and status bar and wires
// the designer's widgets to the DesignController; saves/restores geometry and
// dock layout with QSettings and asks before closing with unsaved changes.
#include "app/main_window.h"

#include "app/core_designer_context.h"
#include "app/design_controller.h"
#include "app/run_controller.h"
#include "app/run_views.h"
#include "app/welcome_panel.h"
#include "widgets/common/about_dialog.h"
#include "widgets/common/system_status_widget.h"
#include "widgets/experiment/experiment_form.h"
#include "widgets/history/history_browser.h"
#include "widgets/plots/monitor_dashboard.h"
#include "widgets/trajectory/trajectory_inspector.h"
#include "widgets/topology/agent_inspector.h"
#include "widgets/topology/node_palette.h"
#include "widgets/topology/problems_panel.h"
#include "widgets/topology/topology_scene.h"
#include "widgets/topology/topology_view.h"
#include "core/store/default_path.h"
#include "core/train/experiment_spec.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace mgrpo::app {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
// The run areas are dense; in a small dock they scroll instead of growing the window.
QWidget* scrolled(QWidget* content) {
    auto* area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(content);
    return area;
}

const QString kDatabaseKey = QStringLiteral("history/database");
constexpr int kStateVersion = 3;  // bump when docks change so old layouts are not applied

}  // namespace

MainWindow::MainWindow(const widgets::MachineInfo& machine, Geometry geometry, QWidget* parent)
    : QMainWindow(parent), m_machine(machine), m_geometry(geometry) {
    setObjectName(QStringLiteral("mainWindow"));
    m_design = new DesignController(designerContextFromCore(m_machine), this, this);
    m_actions = createActions(this, m_design->scene()->undoStack());
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    createDesignArea();
    createDocks();
    createMenus();
    createToolBar();
    createStatusBar();
    connectDesigner();
    connectRuns();
    m_design->loadTemplate(DesignController::Template::Paper);
    resize(kDefaultSize);
    if (m_geometry == Geometry::Saved) restoreWindowGeometry();
    updateTitle();
}

void MainWindow::createDesignArea() {
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("workspaceTabs"));
    m_tabs->setDocumentMode(true);
    auto* welcome = new QScrollArea;  // the panel is tall; the window must still shrink to laptop sizes
    welcome->setObjectName(QStringLiteral("welcomeScroll"));
    welcome->setWidgetResizable(true);
    welcome->setFrameShape(QFrame::NoFrame);
    welcome->setWidget(new WelcomePanel(m_machine));
    m_tabs->addTab(welcome, tr("Welcome"));
    auto* design = new QWidget;
    design->setObjectName(QStringLiteral("designPage"));
    auto* v = new QVBoxLayout(design);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("designBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setStyleSheet(QStringLiteral("background: #d62f2f; color: white; padding: 6px 10px;"));
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    v->addWidget(m_banner);
    m_view = new widgets::TopologyView(m_design->scene());
    v->addWidget(m_view, 1);
    m_tabs->addTab(design, tr("Design"));
    setCentralWidget(m_tabs);
}

QDockWidget* MainWindow::addDock(const QString& title, const char* name, QWidget* content, Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(QString::fromLatin1(name));
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createDocks() {
    m_palette = new widgets::NodePalette(m_design->scene()->context().tools);
    QDockWidget* palette = addDock(tr("Palette"), "paletteDock", m_palette, Qt::LeftDockWidgetArea);
    m_inspector = new widgets::AgentInspector(m_design->scene());
    m_inspectorDock = addDock(tr("Inspector"), "inspectorDock", m_inspector, Qt::RightDockWidgetArea);
    m_experiment = new widgets::ExperimentForm;
    QDockWidget* launch = addDock(tr("Launch"), "launchDock", m_experiment, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_inspectorDock, launch);
    m_inspectorDock->raise();

    m_problems = new widgets::ProblemsPanel(m_design->scene());
    m_problemsDock = addDock(tr("Problems"), "problemsDock", m_problems, Qt::BottomDockWidgetArea);
    m_monitor = new widgets::MonitorDashboard;
    auto* monitorPage = new QWidget;
    auto* mv = new QVBoxLayout(monitorPage);
    mv->setContentsMargins(0, 0, 0, 0);
    mv->setSpacing(0);
    m_runBanner = new QLabel;
    m_runBanner->setObjectName(QStringLiteral("runBanner"));
    m_runBanner->setWordWrap(true);
    m_runBanner->setTextFormat(Qt::PlainText);
    m_runBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runBanner->setStyleSheet(QStringLiteral("background: #d62f2f; color: white; padding: 6px 10px;"));
    m_runBanner->hide();
    mv->addWidget(m_runBanner);
    mv->addWidget(m_monitor, 1);
    m_monitorDock = addDock(tr("Monitor"), "monitorDock", scrolled(monitorPage), Qt::BottomDockWidgetArea);
    QDockWidget* monitor = m_monitorDock;
    m_trajectories = new widgets::TrajectoryInspector;
    QDockWidget* inspect = addDock(tr("Inspect"), "inspectDock", scrolled(m_trajectories), Qt::BottomDockWidgetArea);
    m_history = new widgets::HistoryBrowser;
    QDockWidget* history = addDock(tr("History"), "historyDock", scrolled(m_history), Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_problemsDock, monitor);
    tabifyDockWidget(monitor, inspect);
    tabifyDockWidget(inspect, history);
    m_problemsDock->raise();
    resizeDocks({palette}, {170}, Qt::Horizontal);
    resizeDocks({m_inspectorDock}, {340}, Qt::Horizontal);
    resizeDocks({m_problemsDock}, {150}, Qt::Vertical);
}

void MainWindow::createMenus() {
    const WorkbenchActions& a = m_actions;
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(a.newFile);
    QMenu* templates = file->addMenu(tr("New from &Template"));
    templates->setObjectName(QStringLiteral("templatesMenu"));
    templates->addActions({a.templatePaper, a.templateSingle, a.templateTwo});
    file->addAction(a.open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addSeparator();
    file->addActions({a.save, a.saveAs});
    file->addSeparator();
    file->addAction(a.quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->setObjectName(QStringLiteral("runMenu"));
    run->addActions({a.runStart, a.runPause, a.runResume, a.runStop});

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    edit->addActions({a.undo, a.redo});
    edit->addSeparator();
    edit->addActions({a.del, a.selectAll});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    m_viewMenu->addActions({a.zoomIn, a.zoomOut, a.zoomFit});
    m_viewMenu->addSeparator();
    m_viewMenu->addActions({a.autoLayout, a.snapToGrid});
    m_viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>()) m_viewMenu->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addActions({a.about, a.aboutQt});
    rebuildRecentMenu();
}

void MainWindow::createToolBar() {
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const WorkbenchActions& a = m_actions;
    bar->addActions({a.newFile, a.open, a.save});
    bar->addSeparator();
    bar->addActions({a.undo, a.redo, a.del});
    bar->addSeparator();
    bar->addActions({a.runStart, a.runPause, a.runResume, a.runStop});
    bar->addSeparator();
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions({a.zoomIn, a.zoomOut, a.zoomFit, a.autoLayout});
}

void MainWindow::createStatusBar() {
    m_systemStatus = new widgets::SystemStatusWidget(m_machine.libtorchVersion, m_machine.devices,
                                                     m_machine.cpuThreads, this);
    m_runStatus = new QLabel;
    m_runStatus->setObjectName(QStringLiteral("runStatus"));
    m_runStatus->setMinimumWidth(120);  // may be clipped on a narrow window, never widens it
    m_runStatus->hide();
    m_runProgress = new QProgressBar;
    m_runProgress->setObjectName(QStringLiteral("runProgress"));
    m_runProgress->setMaximumWidth(160);
    m_runProgress->setFormat(QStringLiteral("%v/%m"));
    m_runProgress->hide();
    statusBar()->addPermanentWidget(m_runStatus);
    statusBar()->addPermanentWidget(m_runProgress);
    statusBar()->addPermanentWidget(m_systemStatus);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::connectDesigner() {
    const WorkbenchActions& a = m_actions;
    DesignController* d = m_design;
    widgets::TopologyScene* scene = d->scene();
    auto unlessCancelled = [this](auto fn) {
        return [this, fn] {
            if (m_design->maybeSave()) {
                fn();
                showDesign();
                m_view->zoomToFit();
            }
        };
    };
    connect(a.newFile, &QAction::triggered, this, unlessCancelled([d] { d->newDocument(); }));
    connect(a.templatePaper, &QAction::triggered, this,
            unlessCancelled([d] { d->loadTemplate(DesignController::Template::Paper); }));
    connect(a.templateSingle, &QAction::triggered, this,
            unlessCancelled([d] { d->loadTemplate(DesignController::Template::SingleAgent); }));
    connect(a.templateTwo, &QAction::triggered, this,
            unlessCancelled([d] { d->loadTemplate(DesignController::Template::TwoSpecialists); }));
    connect(a.open, &QAction::triggered, d, &DesignController::openWithDialog);
    connect(a.save, &QAction::triggered, d, &DesignController::save);
    connect(a.saveAs, &QAction::triggered, d, &DesignController::saveAsWithDialog);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
    connect(a.del, &QAction::triggered, scene, &widgets::TopologyScene::deleteSelection);
    connect(a.selectAll, &QAction::triggered, scene, [scene] {
        for (QGraphicsItem* item : scene->items())
            if (item->flags() & QGraphicsItem::ItemIsSelectable) item->setSelected(true);
    });
    connect(a.zoomIn, &QAction::triggered, m_view, &widgets::TopologyView::zoomIn);
    connect(a.zoomOut, &QAction::triggered, m_view, &widgets::TopologyView::zoomOut);
    connect(a.zoomFit, &QAction::triggered, m_view, &widgets::TopologyView::zoomToFit);
    connect(a.autoLayout, &QAction::triggered, this, [this, scene] {
        scene->autoLayout();
        m_view->zoomToFit();
    });
    connect(a.snapToGrid, &QAction::toggled, scene, &widgets::TopologyScene::setSnapToGrid);
    connect(a.about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(a.aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    connect(d, &DesignController::documentChanged, this, &MainWindow::updateTitle);
    connect(d, &DesignController::statusMessage, this, &MainWindow::showStatus);
    connect(d, &DesignController::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);
    connect(d, &DesignController::loadFailed, this, [this](const QString& message) {
        m_banner->setText(message + tr("  (the current topology is unchanged)"));
        m_banner->show();
        m_problems->setFileProblem(message);
        m_problemsDock->raise();
        showStatus(message);
        showDesign();
    });
    connect(d, &DesignController::loadSucceeded, this, [this] {
        m_banner->hide();
        m_banner->clear();
        m_problems->clearFileProblem();
        showDesign();
        m_view->zoomToFit();
    });
    connect(m_palette, &widgets::NodePalette::entryActivated, scene,
            [scene](const QString& entry) { scene->addFromPalette(entry); });
    connect(m_problems, &widgets::ProblemsPanel::jumpToAgent, this, [this](int index) {
        showDesign();
        m_view->centreOnAgent(index);
        m_inspectorDock->raise();
    });
    connect(m_problems, &widgets::ProblemsPanel::countChanged, this, [this](int n) {
        m_problemsDock->setWindowTitle(n ? tr("Problems (%1)").arg(n) : tr("Problems"));
    });
    m_problemsDock->setWindowTitle(scene->problems().empty() ? tr("Problems")
                                                             : tr("Problems (%1)").arg(scene->problems().size()));
    connect(m_experiment, &widgets::ExperimentForm::runRequested, this, [this] { launchExperiment(); });
}

bool MainWindow::launchExperiment() {
    const core::ExperimentConfig config = m_experiment->config();
    const auto problems = m_design->scene()->problems().size();
    if (problems) {
        showStatus(tr("Cannot run '%1': the topology has %n problem(s), listed under Problems", nullptr,
                      static_cast<int>(problems))
                       .arg(QString::fromStdString(config.name)));
        m_problemsDock->raise();
        return false;
    }
    core::ExperimentSpec spec;
    spec.training = config;
    spec.topology = m_design->scene()->topology();
    spec.topologyRef = m_design->documentName().toStdString();
    // As `mgrpo run --decoupled --max-staleness N`: defaults for the rest (loopback store, one worker per sub-agent).
    std::optional<core::dist::DecoupledOptions> decoupled;
    if (const widgets::LaunchChoice choice = m_experiment->launchChoice(); choice.decoupled) {
        decoupled.emplace();
        decoupled->maxStaleness = choice.maxStaleness;
    }
    const int ahead = m_runs->launch(spec, {}, decoupled);
    const QString name = QString::fromStdString(config.name) + (decoupled ? tr(" (decoupled)") : QString());
    showStatus(ahead ? tr("Queued '%1' behind %n run(s)", nullptr, ahead).arg(name) : tr("Starting '%1'…").arg(name));
    raiseDock("monitorDock");
    return true;
}

void MainWindow::raiseDock(const char* name) {
    auto* dock = findChild<QDockWidget*>(QString::fromLatin1(name));
    if (!dock) return;
    dock->show();
    dock->raise();
    if (dock->isFloating() || dockWidgetArea(dock) != Qt::BottomDockWidgetArea) return;
    // The run areas need room: give the bottom docks most of the window (after pending layouts).
    QTimer::singleShot(0, dock, [this, dock] {
        const int wanted = height() * 3 / 5;
        // Qt sizes a group of tabbed docks through the group's first dock.
        if (dock->height() < wanted) resizeDocks({m_problemsDock}, {wanted}, Qt::Vertical);
    });
}

void MainWindow::connectRuns() {
    QSettings settings;
    const QString db = m_geometry == Geometry::Saved ? settings.value(kDatabaseKey).toString() : QString();
    m_runs = new RunController(db, this);
    m_runViews = new RunViews(m_runs, m_monitor, m_trajectories, m_history, this);
    m_runViews->setDatabasePath(m_runs->databasePath());
    const WorkbenchActions& a = m_actions;
    connect(a.runStart, &QAction::triggered, this, [this] { launchExperiment(); });
    connect(a.runPause, &QAction::triggered, m_runs, &RunController::pause);
    connect(a.runResume, &QAction::triggered, m_runs, &RunController::resume);
    connect(a.runStop, &QAction::triggered, m_runs, &RunController::stop);
    connect(m_runs, &RunController::stateChanged, this, [this](RunController::State state) {
        updateRunActions();
        if (state == RunController::State::Paused) m_runStatus->setText(tr("paused after the current step · ") + m_runStatus->text());
        if (state == RunController::State::Stopping) showStatus(tr("Stopping: finishing the current step and writing a checkpoint…"));
    });
    connect(m_runs, &RunController::runStarted, this,
            [this](qint64 run, const QString& label, int total, int startStep, const QString& outDir) {
                m_runBanner->hide();
                m_runProgress->setRange(0, std::max(1, total));
                m_runProgress->setValue(startStep);
                m_runProgress->show();
                m_runStatus->setText(tr("%1: starting…").arg(label));
                m_runStatus->show();
                showStatus(tr("Run %1 started").arg(run));
                m_runStatus->setToolTip(tr("Recording to %1\nOutput in %2").arg(m_runs->databasePath(), outDir));
            });
    connect(m_runs, &RunController::progressChanged, this,
            [this](int step, int total, double eta, const QString& summary) {
                m_runProgress->setRange(0, std::max(1, total));
                m_runProgress->setValue(step);
                const int s = static_cast<int>(eta + 0.5);
                const QString etaText = s >= 3600 ? tr("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                                        : s >= 60 ? tr("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'))
                                                  : tr("%1s").arg(s);
                QString text = tr("step %1/%2 · ETA %3 · %4").arg(step).arg(total).arg(etaText, summary);
                if (m_runs->state() == RunController::State::Paused) text = tr("paused after the current step · ") + text;
                m_runStatus->setText(text);
            });
    connect(m_runs, &RunController::runEnded, this,
            [this](qint64 run, RunController::Outcome outcome, const QString& message) {
                m_runProgress->hide();
                m_runStatus->hide();
                if (outcome == RunController::Outcome::Failed) {
                    m_runBanner->setText(tr("Run %1 failed: %2").arg(run).arg(message));
                    m_runBanner->show();
                    raiseDock("monitorDock");
                }
                showStatus(outcome == RunController::Outcome::Failed ? tr("Run %1 failed: %2").arg(run).arg(message)
                                                                     : tr("Run %1 %2").arg(run).arg(message));
            });
    connect(m_runs, &RunController::queueChanged, this, [this](int waiting) {
        if (waiting) showStatus(tr("%n run(s) waiting in the queue", nullptr, waiting));
    });
    connect(m_history, &widgets::HistoryBrowser::resumeRequested, this, [this](qint64 run) {
        const int ahead = m_runs->resumeRun(run);
        showStatus(ahead ? tr("Resume of run %1 queued").arg(run) : tr("Resuming run %1…").arg(run));
        raiseDock("monitorDock");
    });
    connect(m_history, &widgets::HistoryBrowser::showInMonitor, this, [this] { raiseDock("monitorDock"); });
    connect(m_history, &widgets::HistoryBrowser::inspectRun, this, [this] { raiseDock("inspectDock"); });
    connect(m_history, &widgets::HistoryBrowser::openTopology, this, [this](const QString& path) {
        if (m_design->maybeSave()) m_design->openFile(path);
    });
    connect(m_history, &widgets::HistoryBrowser::statusMessage, this, &MainWindow::showStatus);
    connect(m_monitor, &widgets::MonitorDashboard::statusMessage, this, &MainWindow::showStatus);
    updateRunActions();
}

void MainWindow::updateRunActions() {
    const auto state = m_runs->state();
    m_actions.runPause->setEnabled(state == RunController::State::Running);
    m_actions.runResume->setEnabled(state == RunController::State::Paused);
    m_actions.runStop->setEnabled(state == RunController::State::Running || state == RunController::State::Paused);
}

void MainWindow::setDatabasePath(const QString& path) {
    m_runs->setDatabasePath(path);
    m_runViews->setDatabasePath(path);
}

QString MainWindow::databasePath() const { return m_runs->databasePath(); }

QString MainWindow::runStatusText() const { return m_runStatus->isHidden() ? QString() : m_runStatus->text(); }

QString MainWindow::runBannerText() const { return m_runBanner->isHidden() ? QString() : m_runBanner->text(); }

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = m_design->recentFiles();
    for (const QString& path : files) {
        QAction* act = m_recentMenu->addAction(QFileInfo(path).fileName());
        act->setToolTip(path);
        act->setStatusTip(path);
        connect(act, &QAction::triggered, this, [this, path] {
            if (m_design->maybeSave()) m_design->openFile(path);
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] \u2014 M-GRPO Workbench").arg(m_design->documentName()));
    setWindowModified(m_design->isModified());
}

QString MainWindow::designBannerText() const { return m_banner->isHidden() ? QString() : m_banner->text(); }

void MainWindow::showDesign() { m_tabs->setCurrentIndex(1); }

void MainWindow::showStatus(const QString& text) { statusBar()->showMessage(text, 8000); }

void MainWindow::showAbout() {
    if (!m_aboutDialog) {
        m_aboutDialog = new widgets::AboutDialog(m_machine, this);
        m_aboutDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_aboutDialog->open();
    m_aboutDialog->raise();
    m_aboutDialog->activateWindow();
}

widgets::AboutDialog* MainWindow::aboutDialog() const { return m_aboutDialog.data(); }

bool MainWindow::saveScreenshot(const QString& path) { return grab().save(path, "PNG"); }

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_design->maybeSave()) {
        event->ignore();
        return;
    }
    if (m_runs->state() != RunController::State::Idle) {
        // Quitting stops the run after its current step, with a checkpoint (resumable from History).
        const auto answer = QMessageBox::question(
            this, tr("A run is training"),
            tr("Stop the training run after its current step (with a checkpoint) and quit?\n"
               "It can be resumed later from History."),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_runs->clearQueue();
    }
    if (m_geometry == Geometry::Saved) saveWindowGeometry();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreWindowGeometry() {
    const QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray state = settings.value(kStateKey).toByteArray();
    if (!state.isEmpty()) restoreState(state, kStateVersion);
}

void MainWindow::saveWindowGeometry() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kStateVersion));
}

}  // namespace mgrpo::app
