// MainWindow: builds the tabs, docks, menus, toolbar and status bar and wires
// the designer's widgets to the DesignController; saves/restores geometry and
// dock layout with QSettings and asks before closing with unsaved changes.
#include "app/main_window.h"

#include "app/core_designer_context.h"
#include "app/design_controller.h"
#include "app/welcome_panel.h"
#include "widgets/common/about_dialog.h"
#include "widgets/common/system_status_widget.h"
#include "widgets/experiment/experiment_form.h"
#include "widgets/topology/agent_inspector.h"
#include "widgets/topology/node_palette.h"
#include "widgets/topology/problems_panel.h"
#include "widgets/topology/topology_scene.h"
#include "widgets/topology/topology_view.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace mgrpo::app {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
constexpr int kStateVersion = 2;  // bump when docks change so old layouts are not applied

// An area a later part of the workbench fills: its purpose in one line.
QWidget* hintPanel(const QString& text, const char* name) {
    auto* label = new QLabel(text);
    label->setObjectName(QString::fromLatin1(name));
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(16);
    label->setEnabled(false);
    return label;
}
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
    QDockWidget* monitor = addDock(
        tr("Monitor"), "monitorDock",
        hintPanel(tr("Live per-agent reward, accuracy, loss, KL and alignment curves of a run appear here once runs "
                     "can be launched (GUI part 2)."),
                  "monitorHint"),
        Qt::BottomDockWidgetArea);
    QDockWidget* inspect = addDock(
        tr("Inspect"), "inspectDock",
        hintPanel(tr("A step's K rollouts ranked by reward, each expandable into its tree of delegations and tool "
                     "calls, appear here once runs exist (GUI part 2)."),
                  "inspectHint"),
        Qt::BottomDockWidgetArea);
    QDockWidget* history = addDock(
        tr("History"), "historyDock",
        hintPanel(tr("Every experiment and run from the SQLite history, to browse, compare and tag, appears here "
                     "once the history browser lands (GUI part 2)."),
                  "historyHint"),
        Qt::BottomDockWidgetArea);
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
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions({a.zoomIn, a.zoomOut, a.zoomFit, a.autoLayout});
}

void MainWindow::createStatusBar() {
    m_systemStatus = new widgets::SystemStatusWidget(m_machine.libtorchVersion, m_machine.devices,
                                                     m_machine.cpuThreads, this);
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
    connect(m_experiment, &widgets::ExperimentForm::runRequested, this, [this](const core::ExperimentConfig& c) {
        const auto problems = m_design->scene()->problems().size();
        if (problems) {
            showStatus(tr("Cannot run '%1': the topology has %n problem(s), listed under Problems", nullptr,
                          static_cast<int>(problems))
                           .arg(QString::fromStdString(c.name)));
            m_problemsDock->raise();
            return;
        }
        showStatus(tr("Experiment '%1' is valid; launching runs from the workbench arrives with GUI part 2 "
                      "(use `mgrpo run` meanwhile)")
                       .arg(QString::fromStdString(c.name)));
    });
}

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
