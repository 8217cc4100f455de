// MainWindow: builds menus, status bar and central panel, opens the About
// dialog without blocking, and saves/restores its geometry with QSettings.
#include "app/main_window.h"

#include "app/welcome_panel.h"
#include "widgets/common/about_dialog.h"
#include "widgets/common/system_status_widget.h"

#include <QApplication>
#include <QCloseEvent>
#include <QMenuBar>
#include <QPixmap>
#include <QSettings>
#include <QStatusBar>

namespace mgrpo::app {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
}  // namespace

MainWindow::MainWindow(const widgets::MachineInfo& machine, Geometry geometry, QWidget* parent)
    : QMainWindow(parent), m_machine(machine), m_geometry(geometry) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("M-GRPO Workbench"));
    setCentralWidget(new WelcomePanel(m_machine));
    createMenus();
    createStatusBar();
    resize(kDefaultSize);
    if (m_geometry == Geometry::Saved)
        restoreWindowGeometry();
}

void MainWindow::createMenus() {
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_quitAction = fileMenu->addAction(tr("&Quit"));
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    // The platform's standard Quit binding; some platforms (Windows, offscreen) have none.
    QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    if (quitKeys.isEmpty())
        quitKeys.append(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setShortcuts(quitKeys);
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setStatusTip(tr("Close the workbench"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_aboutAction = helpMenu->addAction(tr("&About M-GRPO Workbench..."));
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_aboutAction->setStatusTip(tr("Versions, devices and what M-GRPO is"));
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    m_aboutQtAction = helpMenu->addAction(tr("About &Qt"));
    m_aboutQtAction->setObjectName(QStringLiteral("aboutQtAction"));
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar() {
    m_systemStatus = new widgets::SystemStatusWidget(m_machine.libtorchVersion, m_machine.devices,
                                                     m_machine.cpuThreads, this);
    statusBar()->addPermanentWidget(m_systemStatus);
    statusBar()->showMessage(tr("Ready"));
}

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
    if (m_geometry == Geometry::Saved)
        saveWindowGeometry();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreWindowGeometry() {
    const QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(kStateKey).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
}

void MainWindow::saveWindowGeometry() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
}

}  // namespace mgrpo::app
