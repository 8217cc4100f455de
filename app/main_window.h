// The workbench's main window: menus (File, Help), the welcome panel in the
// centre and the system status in the status bar. Layout and connections only;
// each feature area (designer, monitor, ...) lives in its own class.
#pragma once

#include "widgets/common/machine_info.h"

#include <QMainWindow>
#include <QPointer>

namespace mgrpo::widgets {
class AboutDialog;
class SystemStatusWidget;
}  // namespace mgrpo::widgets

namespace mgrpo::app {

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // Saved: restore the geometry from QSettings now and save it on close.
    // Ignored: always the default size, nothing written (screenshots, tests).
    enum class Geometry { Saved, Ignored };

    explicit MainWindow(const widgets::MachineInfo& machine, Geometry geometry = Geometry::Saved,
                        QWidget* parent = nullptr);

    static constexpr QSize kDefaultSize{1200, 800};

    QAction* quitAction() const { return m_quitAction; }
    QAction* aboutAction() const { return m_aboutAction; }
    QAction* aboutQtAction() const { return m_aboutQtAction; }
    widgets::SystemStatusWidget* systemStatus() const { return m_systemStatus; }
    // The About dialog while it is open, else null.
    widgets::AboutDialog* aboutDialog() const;

    // Renders the window (without the window-manager frame) to a PNG file.
    bool saveScreenshot(const QString& path);

public slots:
    // Opens the About dialog window-modally without blocking (reuses an open one).
    void showAbout();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void createStatusBar();
    void restoreWindowGeometry();
    void saveWindowGeometry() const;

    widgets::MachineInfo m_machine;
    Geometry m_geometry;
    QAction* m_quitAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_aboutQtAction = nullptr;
    widgets::SystemStatusWidget* m_systemStatus = nullptr;
    QPointer<widgets::AboutDialog> m_aboutDialog;
};

}  // namespace mgrpo::app
