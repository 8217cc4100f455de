// The Monitor's data model (appends, a resumed run's replaced tail, EMA with
// debiasing, CSV) and the dashboard drawn from it: curves per panel, several
// runs overlaid with run labels, incremental appends, smoothing and log scale,
// legend toggling, export to PNG/PDF/CSV.
#include "widgets/plots/metric_series_model.h"
#include "widgets/plots/monitor_dashboard.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace mgrpo::widgets;

namespace {
QMap<QString, double> step(double reward, double sub, double loss) {
    return {{"main/reward_mean", reward}, {"sub.searcher/reward_mean", sub}, {"main/loss", loss},
            {"align.searcher/dk_1", 3}, {"align.searcher/dk_2", 5}, {"perf/rollout_s", 0.5}};
}
}  // namespace

class TestMonitorDashboard : public QObject {
    Q_OBJECT

private slots:
    void modelAppendsAndReplacesATail() {
        MetricSeriesModel m;
        const auto r0 = m.revision();
        m.appendStep(1, 1, {{"main/loss", 3.0}});
        m.appendStep(1, 2, {{"main/loss", 2.0}});
        m.appendStep(1, 3, {{"main/loss", 1.0}});
        QVERIFY(m.revision() > r0);
        QCOMPARE(m.series(1, "main/loss")->values, (QVector<double>{3, 2, 1}));
        // A resumed run repeats step 3 after a checkpoint at 2.
        m.appendStep(1, 3, {{"main/loss", 1.5}});
        QCOMPARE(m.series(1, "main/loss")->steps, (QVector<double>{1, 2, 3}));
        QCOMPARE(m.series(1, "main/loss")->values.back(), 1.5);
        m.addEvaluation(1, 2, {{"accuracy", 0.25}});
        QCOMPARE(m.series(1, "eval/accuracy")->values, (QVector<double>{0.25}));
        QCOMPARE(m.pointCount(), 4);
        m.removeRun(1);
        QVERIFY(!m.series(1, "main/loss"));
        QCOMPARE(m.runs().size(), 0);
    }

    void smoothingIsDebiasedEma() {
        const auto s = MetricSeriesModel::smooth({1.0, 3.0, 3.0}, 0.5);
        QCOMPARE(s.size(), 3);
        QCOMPARE(s[0], 1.0);                    // debiased: the first value itself
        QVERIFY(qFuzzyCompare(s[1], 1.75 / 0.75));  // (0.25 + 1.5) / (1 - 0.25)
        QVERIFY(qFuzzyCompare(MetricSeriesModel::smooth({1.0, 3.0}, 0.0)[1], 3.0));
    }

    void csvHasOneRowPerPoint() {
        MetricSeriesModel m;
        m.setRunLabel(4, "#4 \"smoke\"");
        m.appendStep(4, 1, {{"main/loss", 0.5}, {"main/accuracy", 0.25}});
        const QStringList lines = m.toCsv().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QString("run,label,metric,step,value"));
        QCOMPARE(lines[1], QString("4,\"#4 \"\"smoke\"\"\",main/accuracy,1,0.25"));
    }

    void dashboardDrawsPanelsAndOverlaysRuns() {
        MonitorDashboard d;
        d.resize(1200, 900);
        auto& m = d.model();
        m.setRunLabel(1, "#1 a");
        for (int s = 1; s <= 5; ++s) m.appendStep(1, s, step(0.1 * s, 0.2 * s, 1.0 / s));
        d.refreshNow();
        const QString reward = d.panelTitles().front();
        QCOMPARE(d.seriesNames(reward), (QStringList{"main/reward_mean", "sub.searcher/reward_mean"}));
        QCOMPARE(d.seriesNames("Loss"), (QStringList{"main/loss"}));
        // Raw + smoothed graph per curve; the raw one is not in the legend.
        QCustomPlot* plot = d.plot(reward);
        QCOMPARE(plot->graphCount(), 4);
        QCOMPARE(plot->legend->itemCount(), 2);
        QCOMPARE(plot->graph(1)->dataCount(), 5);
        // The d_k histogram: bars of the latest step.
        const QString dk = d.panelTitles().at(9);
        QCOMPARE(d.seriesNames(dk), (QStringList{"searcher, step 5"}));

        // Incremental: a new step adds one point without rebuilding the graphs.
        QCPGraph* before = plot->graph(1);
        m.appendStep(1, 6, step(0.6, 1.2, 1.0 / 6));
        d.notifyChanged();
        QTRY_COMPARE(plot->graph(1)->dataCount(), 6);
        QCOMPARE(plot->graph(1), before);

        // A second run: legend names carry the run label.
        m.setRunLabel(2, "#2 b");
        m.appendStep(2, 1, step(0.3, 0.3, 0.3));
        d.refreshNow();
        QCOMPARE(d.seriesNames("Loss"), (QStringList{"#1 a: main/loss", "#2 b: main/loss"}));

        // Smoothing off hides the raw curves and draws the values themselves.
        d.setSmoothing(0.0);
        int shown = 0;
        for (int i = 0; i < plot->graphCount(); ++i) {
            const bool curve = plot->legend->hasItemWithPlottable(plot->graph(i));
            QCOMPARE(plot->graph(i)->visible(), curve);  // raw graphs hidden, curves shown
            shown += curve;
        }
        QCOMPARE(shown, 4);
        const QCPGraph* lossCurve = nullptr;
        QCustomPlot* lossPlot = d.plot("Loss");
        for (int i = 0; i < lossPlot->graphCount(); ++i)
            if (lossPlot->graph(i)->name() == "#1 a: main/loss") lossCurve = lossPlot->graph(i);
        QVERIFY(lossCurve);
        QCOMPARE((lossCurve->data()->constEnd() - 1)->value, 1.0 / 6);
        d.setSmoothing(0.9);
        QVERIFY((lossCurve = nullptr, true));
        for (int i = 0; i < lossPlot->graphCount(); ++i)
            if (lossPlot->graph(i)->name() == "#1 a: main/loss") lossCurve = lossPlot->graph(i);
        QVERIFY((lossCurve->data()->constEnd() - 1)->value > 1.0 / 6 + 0.05);  // smoothed lags behind

        d.setLogScale(true);
        QCOMPARE(lossPlot->yAxis->scaleType(), QCPAxis::stLogarithmic);
        d.setLogScale(false);
        QCOMPARE(lossPlot->yAxis->scaleType(), QCPAxis::stLinear);

        m.removeRun(2);
        d.refreshNow();
        QCOMPARE(d.seriesNames("Loss"), (QStringList{"main/loss"}));
        m.clear();
        d.refreshNow();
        QVERIFY(d.seriesNames("Loss").isEmpty());
    }

    void legendClickHidesASeries() {
        MonitorDashboard d;
        d.resize(1200, 900);
        d.show();
        for (int s = 1; s <= 3; ++s) d.model().appendStep(1, s, step(0.1 * s, 0.2, 0.3));
        d.refreshNow();
        QCustomPlot* plot = d.plot("Loss");
        plot->replot();
        auto* item = plot->legend->item(0);
        QVERIFY(item);
        const QPoint centre = item->outerRect().center();
        QTest::mouseClick(plot, Qt::LeftButton, {}, centre);
        QCPGraph* curve = nullptr;
        for (int i = 0; i < plot->graphCount(); ++i)
            if (plot->graph(i)->name() == "main/loss") curve = plot->graph(i);
        QVERIFY(curve);
        QVERIFY(!curve->visible());
        QTest::mouseClick(plot, Qt::LeftButton, {}, centre);
        QVERIFY(curve->visible());
    }

    void exportsFiles() {
        QTemporaryDir dir;
        MonitorDashboard d;
        d.resize(1000, 800);
        for (int s = 1; s <= 4; ++s) d.model().appendStep(1, s, step(0.1 * s, 0.2, 0.3));
        QVERIFY(d.exportPng(dir.filePath("m.png")));
        QVERIFY(QImage(dir.filePath("m.png")).width() > 100);
        QVERIFY(d.exportPdf(dir.filePath("m.pdf")));
        QFile pdf(dir.filePath("m.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(4) == "%PDF");
        QVERIFY(d.exportCsv(dir.filePath("m.csv")));
        QFile csv(dir.filePath("m.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 1 + 4 * 6);
        QVERIFY(!d.exportCsv(dir.filePath("missing/dir/m.csv")));
    }
};

QTEST_MAIN(TestMonitorDashboard)
#include "tst_monitor_dashboard.moc"
