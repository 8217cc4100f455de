// Tests for app::MainWindow: title, menus and shortcuts, the status bar filled
// from core, the About dialog opening and closing, the welcome panel's content,
// geometry saved to and restored from QSettings, and the screenshot option.
#include "app/core_machine_info.h"
#include "app/main_window.h"
#include "core/system/system_info.h"
#include "widgets/common/about_dialog.h"
#include "widgets/common/system_status_widget.h"

#include <QLabel>
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
        QCOMPARE(w.windowTitle(), QStringLiteral("M-GRPO Workbench"));
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
        QWidget* panel = w.centralWidget();
        QVERIFY(panel);
        QCOMPARE(panel->objectName(), QStringLiteral("welcomePanel"));
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
