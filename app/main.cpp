// Entry point of the M-GRPO Workbench GUI: sets up QApplication and LibTorch's
// threads, then shows the main window. `--screenshot FILE` renders the window to
// a PNG and exits (reproducible README screenshots; works with -platform offscreen).
// `--open FILE` opens a topology, `--template NAME` starts from a template; both
// show the Design tab. `--db FILE` records runs to another history database;
// `--run EXPERIMENT.json` starts a run at once (with `--screenshot-at-step N`
// the screenshot waits for step N of it); `--inspect RUN` and `--compare A,B`
// open a run's trajectories or a comparison from the history (screenshots).
// `--decoupled` ticks the launcher's Decoupled box and makes `--run` decoupled.
#include "app/core_machine_info.h"
#include "app/design_controller.h"
#include "app/main_window.h"
#include "app/run_controller.h"
#include "app/run_views.h"
#include "widgets/experiment/experiment_form.h"
#include "widgets/history/history_browser.h"
#include "widgets/trajectory/trajectory_inspector.h"
#include "core/train/experiment_spec.h"
#include "widgets/topology/topology_scene.h"
#include "widgets/topology/topology_view.h"
#include "core/system/system_info.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <utility>

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
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Record runs to the history database <file>."),
                                      QStringLiteral("file"));
    parser.addOption(dbOption);
    const QCommandLineOption runOption(QStringLiteral("run"),
                                       QStringLiteral("Start the experiment <file> (as `mgrpo run` reads it) at once."),
                                       QStringLiteral("file"));
    parser.addOption(runOption);
    const QCommandLineOption stepsOption(QStringLiteral("steps"), QStringLiteral("With --run: main-stage steps."),
                                         QStringLiteral("n"));
    parser.addOption(stepsOption);
    const QCommandLineOption atStepOption(
        QStringLiteral("screenshot-at-step"),
        QStringLiteral("With --run and --screenshot: take the screenshot once step <n> has arrived."), QStringLiteral("n"));
    parser.addOption(atStepOption);
    const QCommandLineOption decoupledOption(
        QStringLiteral("decoupled"),
        QStringLiteral("Tick Decoupled in the launcher; with --run, run one process per agent over loopback "
                       "(as mgrpo run --decoupled)."));
    parser.addOption(decoupledOption);
    const QCommandLineOption inspectOption(QStringLiteral("inspect"),
                                           QStringLiteral("Open run <id> of the history in Inspect."), QStringLiteral("id"));
    parser.addOption(inspectOption);
    const QCommandLineOption stepOption(QStringLiteral("step"), QStringLiteral("With --inspect: open training step <n>."),
                                        QStringLiteral("n"));
    parser.addOption(stepOption);
    const QCommandLineOption findOption(
        QStringLiteral("find"), QStringLiteral("With --inspect or --run: show the first rollout containing <text> (e.g. dropped)."),
        QStringLiteral("text"));
    parser.addOption(findOption);
    const QCommandLineOption compareOption(QStringLiteral("compare"),
                                           QStringLiteral("Compare runs <a,b,...> of the history."), QStringLiteral("ids"));
    parser.addOption(compareOption);
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
        window.raiseDock(qPrintable(parser.value(raiseOption) + QStringLiteral("Dock")));
    }
    if (parser.isSet(dbOption)) window.setDatabasePath(parser.value(dbOption));
    if (parser.isSet(decoupledOption)) window.experimentForm()->setLaunchChoice({true, 0});
    if (parser.isSet(runOption)) {
        try {
            auto spec = mgrpo::core::loadExperimentSpec(parser.value(runOption).toStdString());
            if (parser.isSet(stepsOption)) spec.training.steps = parser.value(stepsOption).toInt();
            std::optional<mgrpo::core::dist::DecoupledOptions> decoupled;
            if (parser.isSet(decoupledOption)) decoupled.emplace();
            window.runs()->launch(spec, {}, decoupled);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "mgrpo-workbench: %s\n", e.what());
            return 2;
        }
    }
    if (parser.isSet(inspectOption) && !parser.isSet(runOption)) {
        const qint64 run = parser.value(inspectOption).toLongLong();
        window.runViews()->inspect(run);
        if (parser.isSet(stepOption)) window.trajectoryInspector()->setCurrentStep(parser.value(stepOption).toInt());
        if (parser.isSet(findOption) &&
            !window.trajectoryInspector()->showFirstMatching(parser.value(findOption)))
            std::fprintf(stderr, "mgrpo-workbench: no rollout of run %lld contains '%s'\n", static_cast<long long>(run),
                         qPrintable(parser.value(findOption)));
    }
    if (parser.isSet(compareOption)) {
        QList<qint64> ids;
        for (const QString& id : parser.value(compareOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) ids << id.toLongLong();
        window.history()->selectRuns(ids);
        window.history()->compare(ids);
        window.runViews()->showRunsInMonitor(ids);
    }
    window.show();
    QTimer::singleShot(0, &window, [&window] { window.topologyView()->zoomToFit(); });

    if (!screenshotPath.isEmpty() && parser.isSet(atStepOption)) {
        const int atStep = parser.value(atStepOption).toInt();
        // Set once the screenshot is scheduled: a run whose last step is `atStep`
        // ends before the delayed grab, and that end must not abort it.
        auto taken = std::make_shared<bool>(false);
        QObject::connect(window.runs(), &mgrpo::app::RunController::progressChanged, &window,
                         [&window, &screenshotPath, atStep, taken, find = parser.value(findOption)](int step) {
                             if (step < atStep) return;
                             // With --find: wait for a step that has such a rollout, then hold it on screen.
                             if (!find.isEmpty() && !window.trajectoryInspector()->showFirstMatching(find)) return;
                             window.trajectoryInspector()->setFollowLatest(false);
                             // One redraw period later, so the plots show this step.
                             if (std::exchange(*taken, true)) return;
                             QTimer::singleShot(400, &window, [&window, &screenshotPath] {
                                 const bool ok = window.saveScreenshot(screenshotPath);
                                 QCoreApplication::exit(ok ? 0 : 1);
                             });
                         });
        QObject::connect(window.runs(), &mgrpo::app::RunController::runEnded, &window, [taken] {
            if (*taken) return;
            std::fprintf(stderr, "mgrpo-workbench: the run ended before the screenshot step\n");
            QCoreApplication::exit(1);
        });
    } else if (!screenshotPath.isEmpty()) {
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
