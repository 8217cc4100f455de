// UI responsiveness of the workbench: (1) the lateness of a 10 ms timer on the
// UI thread while a real training run (experiments/smoke.json) executes on the
// RunController's worker and its batched signals feed the Monitor, Inspect and
// History views, against the same timer with nothing running (the baseline,
// measured in the same process); (2) Monitor redraw time with 5 runs x N points.
//   bench_ui_latency [--steps 40] [--points 100000] [--experiment FILE]
// Runs with QT_QPA_PLATFORM=offscreen when no display is set.
#include "app/run_controller.h"
#include "app/run_views.h"
#include "widgets/history/history_browser.h"
#include "widgets/plots/monitor_dashboard.h"
#include "widgets/trajectory/trajectory_inspector.h"

#include "core/system/system_info.h"
#include "core/train/experiment_spec.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Lateness {
    double p50 = 0, p99 = 0, max = 0;
    size_t samples = 0;
};

Lateness summarise(std::vector<double> v) {
    Lateness l;
    if (v.empty()) return l;
    std::sort(v.begin(), v.end());
    l.samples = v.size();
    l.p50 = v[v.size() / 2];
    l.p99 = v[std::min(v.size() - 1, static_cast<size_t>(v.size() * 0.99))];
    l.max = v.back();
    return l;
}

// Samples the lateness of a 10 ms timer until `done` returns true.
template <typename Done>
std::vector<double> sampleLateness(Done done) {
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(10);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.push_back(std::max(0.0, (now - last) / 1e6 - 10.0));
        last = now;
        if (done()) QCoreApplication::exit(0);
    });
    timer.start();
    QApplication::exec();
    return late;
}

const char* arg(int argc, char** argv, const char* name, const char* fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (!qEnvironmentVariableIsSet("DISPLAY") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    mgrpo::core::configureThreads();
    const int steps = std::atoi(arg(argc, argv, "--steps", "40"));
    const int points = std::atoi(arg(argc, argv, "--points", "100000"));
    const std::string experiment = arg(argc, argv, "--experiment", MGRPO_SOURCE_DIR "/experiments/smoke.json");
    QTemporaryDir dir;

    using namespace mgrpo;
    app::RunController runs(dir.filePath("history.sqlite"));
    widgets::MonitorDashboard monitor;
    widgets::TrajectoryInspector inspector;
    widgets::HistoryBrowser history;
    app::RunViews views(&runs, &monitor, &inspector, &history);
    views.setDatabasePath(runs.databasePath());
    monitor.resize(1200, 700);
    inspector.resize(1200, 500);
    monitor.show();
    inspector.show();
    history.show();

    // Baseline: the same views, nothing training.
    QElapsedTimer idleClock;
    idleClock.start();
    const Lateness idle = summarise(sampleLateness([&] { return idleClock.elapsed() > 3000; }));

    auto spec = core::loadExperimentSpec(experiment);
    spec.training.steps = steps;
    bool ended = false;
    QObject::connect(&runs, &app::RunController::runEnded, [&] { ended = true; });
    QElapsedTimer runClock;
    runClock.start();
    runs.launch(spec);
    const Lateness busy = summarise(sampleLateness([&] { return ended; }));
    const double runSeconds = runClock.elapsed() / 1000.0;

    std::printf("UI event-loop latency (lateness of a 10 ms timer), %s, %d steps, %.1f s\n\n", experiment.c_str(), steps,
                runSeconds);
    std::printf("| condition | samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
    std::printf("| idle (baseline) | %zu | %.2f | %.2f | %.2f |\n", idle.samples, idle.p50, idle.p99, idle.max);
    std::printf("| training run | %zu | %.2f | %.2f | %.2f |\n", busy.samples, busy.p50, busy.p99, busy.max);
    std::printf("\nredraws of the Monitor during the run: %d (at most one per %d ms)\n\n", monitor.redrawCount(),
                widgets::MonitorDashboard::kRedrawMs);

    // Redraw with 5 runs x `points` points in every reward curve.
    widgets::MonitorDashboard big;
    big.resize(1500, 1000);
    big.show();
    auto& model = big.model();
    for (int run = 1; run <= 5; ++run) {
        QVector<double> x(points), y(points), z(points);
        for (int i = 0; i < points; ++i) {
            x[i] = i + 1;
            y[i] = 0.5 + 0.4 * std::sin(i * 0.001 * run) + 0.05 * ((i * 7919 % 1000) / 1000.0 - 0.5);
            z[i] = 1.0 / (1 + i * 0.0001 * run);
        }
        model.setSeries(run, "main/reward_mean", x, y);
        model.setSeries(run, "main/loss", x, z);
    }
    QElapsedTimer t;
    t.start();
    big.refreshNow();  // builds graphs (EMA) and queues replots
    QCustomPlot* reward = big.plot(big.panelTitles().front());
    const double build = t.nsecsElapsed() / 1e6;
    t.restart();
    reward->replot(QCustomPlot::rpImmediateRefresh);
    const double replot = t.nsecsElapsed() / 1e6;
    std::vector<double> replots;
    for (int i = 0; i < 5; ++i) {
        t.restart();
        reward->replot(QCustomPlot::rpImmediateRefresh);
        replots.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(replots.begin(), replots.end());
    // One live step appended to each of the 5 runs.
    t.restart();
    for (int run = 1; run <= 5; ++run)
        model.appendStep(run, points + 1, {{"main/reward_mean", 0.5}, {"main/loss", 0.1}});
    big.refreshNow();
    reward->replot(QCustomPlot::rpImmediateRefresh);
    const double append = t.nsecsElapsed() / 1e6;
    big.setSmoothing(0.9);  // a full rebuild
    t.restart();
    big.setSmoothing(0.5);
    const double rebuild = t.nsecsElapsed() / 1e6;

    std::printf("Monitor redraw, 5 runs x %d points (reward and loss panels)\n\n", points);
    std::printf("| operation | ms |\n|---|---|\n");
    std::printf("| first build of every panel (EMA + graph data) | %.1f |\n", build);
    std::printf("| first replot of the reward panel | %.1f |\n", replot);
    std::printf("| replot of the reward panel (median of 5) | %.1f |\n", replots[2]);
    std::printf("| append one step to 5 runs + refresh + replot | %.1f |\n", append);
    std::printf("| change smoothing (rebuild every curve) | %.1f |\n", rebuild);
    return 0;
}
