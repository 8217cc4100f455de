// Entry point of the M-GRPO Workbench GUI: sets up QApplication and LibTorch's
// threads, then shows the main window. `--screenshot FILE` renders the window to
// a PNG and exits (reproducible README screenshots; works with -platform offscreen).
#include "app/core_machine_info.h"
#include "app/main_window.h"
#include "core/system/system_info.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("M-GRPO Workbench"));
    QApplication::setOrganizationName(QStringLiteral("M-GRPO"));
    QApplication::setApplicationVersion(QString::fromStdString(mgrpo::core::workbenchVersion()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Design, train, monitor and inspect multi-agent LLMs with M-GRPO."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the main window (default size) to <file> and exit."),
        QStringLiteral("file"));
    parser.addOption(screenshotOption);
    parser.process(app);

    const int threads = mgrpo::core::configureThreads();
    const QString screenshotPath = parser.value(screenshotOption);
    using mgrpo::app::MainWindow;
    MainWindow window(mgrpo::app::machineInfoFromCore(threads),
                      screenshotPath.isEmpty() ? MainWindow::Geometry::Saved : MainWindow::Geometry::Ignored);
    window.show();

    if (!screenshotPath.isEmpty()) {
        // Let layouts and fonts settle for a moment before grabbing.
        QTimer::singleShot(300, &window, [&window, &screenshotPath] {
            if (!window.saveScreenshot(screenshotPath)) {
                std::fprintf(stderr, "mgrpo-workbench: cannot write screenshot '%s'\n", qPrintable(screenshotPath));
                QCoreApplication::exit(1);
                return;
            }
            QCoreApplication::exit(0);
        });
    }
    return app.exec();
}
