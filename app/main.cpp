// Entry point of the M-GRPO Workbench GUI: sets up QApplication and LibTorch's
// threads, then shows the main window. `--screenshot FILE` renders the window to
// a PNG and exits (reproducible README screenshots; works with -platform offscreen).
// `--open FILE` opens a topology, `--template NAME` starts from a template; both
// show the Design tab.
#include "app/core_machine_info.h"
#include "app/design_controller.h"
#include "app/main_window.h"
#include "widgets/topology/topology_scene.h"
#include "widgets/topology/topology_view.h"
#include "core/system/system_info.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
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
    const QCommandLineOption openOption(QStringLiteral("open"), QStringLiteral("Open the topology JSON <file>."),
                                        QStringLiteral("file"));
    parser.addOption(openOption);
    const QCommandLineOption templateOption(
        QStringLiteral("template"), QStringLiteral("Start from a template: paper, single or two-specialists."),
        QStringLiteral("name"));
    parser.addOption(templateOption);
    const QCommandLineOption selectOption(QStringLiteral("select"),
                                          QStringLiteral("Select the agent <id> in the designer (for screenshots)."),
                                          QStringLiteral("id"));
    parser.addOption(selectOption);
    const QCommandLineOption raiseOption(
        QStringLiteral("raise"),
        QStringLiteral("Bring a dock to the front: palette, inspector, launch, problems, monitor, inspect or history."),
        QStringLiteral("dock"));
    parser.addOption(raiseOption);
    parser.process(app);

    const int threads = mgrpo::core::configureThreads();
    const QString screenshotPath = parser.value(screenshotOption);
    using mgrpo::app::MainWindow;
    MainWindow window(mgrpo::app::machineInfoFromCore(threads),
                      screenshotPath.isEmpty() ? MainWindow::Geometry::Saved : MainWindow::Geometry::Ignored);
    using Template = mgrpo::app::DesignController::Template;
    if (parser.isSet(templateOption)) {
        const QString name = parser.value(templateOption);
        if (name == QLatin1String("paper")) window.design()->loadTemplate(Template::Paper);
        else if (name == QLatin1String("single")) window.design()->loadTemplate(Template::SingleAgent);
        else if (name == QLatin1String("two-specialists")) window.design()->loadTemplate(Template::TwoSpecialists);
        else {
            std::fprintf(stderr, "mgrpo-workbench: unknown template '%s' (paper, single, two-specialists)\n",
                         qPrintable(name));
            return 2;
        }
        window.showDesign();
    }
    if (parser.isSet(openOption)) {
        window.design()->openFile(parser.value(openOption));  // failures show in the window, as for File > Open
        window.showDesign();
    }
    if (parser.isSet(selectOption)) {
        auto* scene = window.design()->scene();
        scene->selectAgent(scene->indexOf(parser.value(selectOption)));
    }
    if (parser.isSet(raiseOption)) {
        auto* dock = window.findChild<QDockWidget*>(parser.value(raiseOption) + QStringLiteral("Dock"));
        if (!dock) {
            std::fprintf(stderr, "mgrpo-workbench: no dock '%s'\n", qPrintable(parser.value(raiseOption)));
            return 2;
        }
        dock->show();
        dock->raise();
    }
    window.show();
    QTimer::singleShot(0, &window, [&window] { window.topologyView()->zoomToFit(); });

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
