// Tests for app::MainWindow: title, menus and shortcuts, the status bar filled
// from core, the About dialog opening and closing, the welcome panel's content,
// geometry saved to and restored from QSettings, and the screenshot option;
// the dock areas of the five jobs, the standard shortcuts, the designer wiring
// (open errors on the banner and in Problems) and the unsaved-changes prompt.
#include "app/core_machine_info.h"
#include "app/design_controller.h"
#include "app/main_window.h"
#include "widgets/topology/problems_panel.h"
#include "widgets/topology/topology_scene.h"
#include "core/system/system_info.h"
#include "widgets/common/about_dialog.h"
#include "widgets/common/system_status_widget.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QTabWidget>
#include <QUndoStack>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using mgrpo::app::MainWindow;

class TstMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;
    int m_threads = 0;

    static QMenu* menuTitled(MainWindow& w, const QString& title) {
        for (QAction* a : w.menuBar()->actions())
            if (a->menu() && a->text().remove(QLatin1Char('&')) == title)
                return a->menu();
        return nullptr;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("M-GRPO-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
        m_threads = mgrpo::core::configureThreads(2);
        QCOMPARE(m_threads, 2);
    }

    void titleAndDefaultSize() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QCOMPARE(w.windowTitle(), QStringLiteral("untitled[*] \u2014 M-GRPO Workbench"));
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.size(), QSize(1200, 800));
    }

    void statusBarShowsCoreFacts() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        auto* status = w.statusBar()->findChild<mgrpo::widgets::SystemStatusWidget*>();
        QVERIFY(status);
        QCOMPARE(status, w.systemStatus());
        const QString text = status->text();
        QVERIFY2(text.contains(QString::fromStdString(mgrpo::core::libtorchVersion())), qPrintable(text));
        QVERIFY2(text.contains("cpu (2 threads)"), qPrintable(text));
        for (const auto& d : mgrpo::core::availableDevices())
            QVERIFY2(text.contains(QString::fromStdString(d.id)), qPrintable(text));
    }

    void fileMenuHasQuit() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QMenu* file = menuTitled(w, "File");
        QVERIFY(file);
        QVERIFY(file->actions().contains(w.quitAction()));
        // QKeySequence::Quit where the platform defines it (Ctrl+Q on X11), else Ctrl+Q.
        const QList<QKeySequence> standard = QKeySequence::keyBindings(QKeySequence::Quit);
        if (standard.isEmpty())
            QCOMPARE(w.quitAction()->shortcuts(), QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Q)});
        else
            QCOMPARE(w.quitAction()->shortcuts(), standard);

        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.quitAction()->trigger();
        QVERIFY(!w.isVisible());
    }

    void helpMenuOpensAboutDialog() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QMenu* help = menuTitled(w, "Help");
        QVERIFY(help);
        QVERIFY(help->actions().contains(w.aboutAction()));
        QVERIFY(help->actions().contains(w.aboutQtAction()));
        QCOMPARE(w.aboutAction()->text().remove('&'), QStringLiteral("About M-GRPO Workbench..."));

        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.findChild<mgrpo::widgets::AboutDialog*>());
        w.aboutAction()->trigger();
        QPointer<mgrpo::widgets::AboutDialog> dialog = w.findChild<mgrpo::widgets::AboutDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog.data(), w.aboutDialog());
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->isModal() || dialog->windowModality() != Qt::NonModal);
        const auto* version = dialog->findChild<QLabel*>("libtorchVersionLabel");
        QVERIFY(version);
        QCOMPARE(version->text(), QString::fromStdString(mgrpo::core::libtorchVersion()));

        // A second trigger reuses the open dialog instead of stacking another.
        w.aboutAction()->trigger();
        QCOMPARE(w.findChildren<mgrpo::widgets::AboutDialog*>().size(), 1);

        dialog->close();
        QTRY_VERIFY(dialog.isNull());  // deleted on close
        QVERIFY(!w.aboutDialog());
    }

    void welcomePanelListsJobsAndMachine() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QWidget* panel = w.findChild<QWidget*>("welcomePanel");
        QVERIFY(panel);
        QVERIFY(w.workspace()->widget(0)->isAncestorOf(panel));  // the first tab
        QCOMPARE(w.workspace()->currentIndex(), 0);
        const QStringList keys{"design", "launch", "monitor", "inspect", "history"};
        const QStringList titles{"Design", "Configure & launch", "Monitor", "Inspect", "History"};
        for (int i = 0; i < keys.size(); ++i) {
            const auto* title = panel->findChild<QLabel*>("jobTitle_" + keys[i]);
            const auto* line = panel->findChild<QLabel*>("jobLine_" + keys[i]);
            QVERIFY2(title && line, qPrintable(keys[i]));
            QCOMPARE(title->text(), titles[i]);
            QVERIFY(line->text().size() > 40);
        }
        const auto* devices = panel->findChild<QLabel*>("machineDevices");
        QVERIFY(devices);
        QVERIFY(devices->text().contains("cpu"));
        const auto* threads = panel->findChild<QLabel*>("machineThreads");
        QVERIFY(threads);
        QCOMPARE(threads->text(), QStringLiteral("2"));
    }

    void docksForEveryJob() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        const QStringList names{"paletteDock", "inspectorDock", "problemsDock", "launchDock",
                                "monitorDock", "inspectDock", "historyDock"};
        QMenu* view = menuTitled(w, "View");
        QVERIFY(view);
        for (const QString& name : names) {
            auto* dock = w.findChild<QDockWidget*>(name);
            QVERIFY2(dock, qPrintable(name));
            QVERIFY(view->actions().contains(dock->toggleViewAction()));
        }
        // The run areas hold their views.
        const std::pair<const char*, const char*> areas[] = {
            {"monitorDock", "monitorDashboard"}, {"inspectDock", "trajectoryInspector"}, {"historyDock", "historyBrowser"}};
        for (const auto& [dock, widget] : areas)
            QVERIFY2(w.findChild<QDockWidget*>(dock)->findChild<QWidget*>(widget), widget);
        // Nothing trains yet: only Run is enabled.
        QVERIFY(w.actions().runStart->isEnabled());
        QVERIFY(!w.actions().runPause->isEnabled());
        QVERIFY(!w.actions().runStop->isEnabled());
        QVERIFY(menuTitled(w, "Run"));
        // The designer starts with the paper template, unmodified.
        QCOMPARE(w.design()->scene()->topologyJson().dump(), mgrpo::core::toJson(mgrpo::core::paperTopology()).dump());
    }

    void standardShortcuts() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        const auto& a = w.actions();
        const std::pair<QAction*, QKeySequence::StandardKey> standard[] = {
            {a.newFile, QKeySequence::New},   {a.open, QKeySequence::Open},     {a.save, QKeySequence::Save},
            {a.saveAs, QKeySequence::SaveAs}, {a.undo, QKeySequence::Undo},     {a.redo, QKeySequence::Redo},
            {a.del, QKeySequence::Delete},    {a.zoomIn, QKeySequence::ZoomIn}, {a.zoomOut, QKeySequence::ZoomOut},
        };
        for (const auto& [action, key] : standard) {
            const auto bindings = QKeySequence::keyBindings(key);
            QVERIFY2(!action->shortcuts().isEmpty(), qPrintable(action->objectName()));
            if (!bindings.isEmpty()) QCOMPARE(action->shortcuts(), bindings);
        }
        QCOMPARE(a.zoomFit->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
        // Undo/redo follow the designer's stack.
        QVERIFY(!a.undo->isEnabled());
        w.design()->scene()->addTool(0, "search");
        QVERIFY(a.undo->isEnabled());
        QVERIFY(w.isWindowModified());
        a.undo->trigger();
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.design()->scene()->topologyJson().dump(), mgrpo::core::toJson(mgrpo::core::paperTopology()).dump());
    }

    void openErrorsShowInTheWindow() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"agents\": [ }");
        f.close();
        QVERIFY(!w.design()->openFile(path));
        QVERIFY2(w.designBannerText().contains(path), qPrintable(w.designBannerText()));
        QVERIFY(w.statusBar()->currentMessage().contains("not valid JSON"));
        QVERIFY(w.problemsPanel()->rowTexts().front().contains(path));
        QCOMPARE(w.workspace()->currentIndex(), 1);  // the Design tab
        // A good file clears the banner.
        const QString good = dir.filePath("good.json");
        mgrpo::core::saveTopologyFile(mgrpo::core::twoSpecialistTopology(), good.toStdString());
        QVERIFY(w.design()->openFile(good));
        QCOMPARE(w.designBannerText(), QString());
        QVERIFY(w.problemsPanel()->rowTexts().isEmpty());
        QVERIFY(w.windowTitle().startsWith("good.json"));
        QVERIFY(!w.recentMenu()->actions().isEmpty());
        QCOMPARE(w.recentMenu()->actions().front()->text(), QStringLiteral("good.json"));
    }

    void closeAsksAboutUnsavedChanges() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        int asked = 0;
        w.design()->askSaveChanges = [&] {
            ++asked;
            return QMessageBox::Cancel;
        };
        w.design()->scene()->addTool(0, "open");
        w.quitAction()->trigger();
        QCOMPARE(asked, 1);
        QVERIFY(w.isVisible());  // cancelled
        w.design()->askSaveChanges = [&] {
            ++asked;
            return QMessageBox::Discard;
        };
        w.quitAction()->trigger();
        QCOMPARE(asked, 2);
        QVERIFY(!w.isVisible());
    }

    void geometryIsSavedAndRestored() {
        const QSize size(900, 640);
        {
            MainWindow w(mgrpo::app::machineInfoFromCore(m_threads));
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(size);
            QTRY_COMPARE(w.size(), size);
            w.close();
        }
        QVERIFY(QSettings().contains("mainWindow/geometry"));
        MainWindow restored(mgrpo::app::machineInfoFromCore(m_threads));
        QCOMPARE(restored.size(), size);

        // Ignored leaves the saved geometry alone and uses the default size.
        MainWindow fresh(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        QCOMPARE(fresh.size(), MainWindow::kDefaultSize);
    }

    void screenshotWritesPng() {
        MainWindow w(mgrpo::app::machineInfoFromCore(m_threads), MainWindow::Geometry::Ignored);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTemporaryDir dir;
        const QString path = dir.filePath("shot.png");
        QVERIFY(w.saveScreenshot(path));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size() / image.devicePixelRatio(), w.size());
        QVERIFY(!w.saveScreenshot(dir.filePath("missing/dir/shot.png")));
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
