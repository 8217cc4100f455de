// The Monitor: a grid of QCustomPlot panels (reward R_M and each R_S, accuracy,
// format rate, loss, KL, entropy, clip fraction, grad norm, alignment
// fractions, the latest d_k histogram, throughput, rollout/update time) drawn
// from a MetricSeriesModel. New points are appended incrementally and the
// plots are redrawn at most every kRedrawMs; EMA smoothing with the raw curve
// faint behind, log scale, mouse zoom/pan (double-click resets), hover
// tooltips, legend entries that toggle their series, several runs overlaid,
// export to PNG, PDF and CSV.
#pragma once

#include "widgets/plots/metric_series_model.h"

#include <QHash>
#include <QPointer>
#include <QRegularExpression>
#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QCPGraph;
class QCPBars;
class QGridLayout;
class QLabel;
class QSlider;
class QTimer;

namespace mgrpo::widgets {

class MonitorDashboard : public QWidget {
    Q_OBJECT

public:
    static constexpr int kRedrawMs = 200;
    // Above this many points in a panel its curves are drawn without antialiasing.
    static constexpr int kFastPoints = 20000;

    explicit MonitorDashboard(QWidget* parent = nullptr);

    MetricSeriesModel& model() { return m_model; }
    const MetricSeriesModel& model() const { return m_model; }
    // Call after changing the model: the plots follow within kRedrawMs.
    void notifyChanged();
    // Redraws now (tests, export).
    void refreshNow();

    void setSmoothing(double weight);  // 0 (raw) .. 0.99
    double smoothing() const { return m_smoothing; }
    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    // Panel titles in grid order, and a panel's plot.
    QStringList panelTitles() const;
    QCustomPlot* plot(const QString& title) const;
    // Series drawn in a panel (legend names), visible or not.
    QStringList seriesNames(const QString& title) const;
    int redrawCount() const { return m_redraws; }

    bool exportPng(const QString& path);
    bool exportPdf(const QString& path);
    bool exportCsv(const QString& path) const;

signals:
    void statusMessage(const QString& text);

private:
    struct Curve {
        qint64 run = 0;
        QString name;
        QCPGraph* raw = nullptr;     // faint, unsmoothed (hidden when smoothing is off)
        QCPGraph* smooth = nullptr;  // the visible curve and legend entry
        int added = 0;               // points appended so far
        double lastStep = 0;
        double ema = 0;              // running EMA state for incremental appends
        int emaCount = 0;
        bool userHidden = false;
    };
    struct Panel {
        QString title;
        QList<QRegularExpression> patterns;
        bool histogram = false;      // d_k: bars of the latest step
        bool unit = false;           // a fraction: y spans at least [0, 1]
        QCustomPlot* plot = nullptr;
        QHash<QString, Curve> curves;  // "<run>\n<name>"
        QCPBars* bars = nullptr;
        bool autoRange = true;
        int colours = 0;
    };

    void buildPanels();
    void updatePanel(Panel& panel, bool rebuild);
    void updateHistogram(Panel& panel);
    void appendPoints(Curve& c, const MetricSeriesData& s, bool eval);
    Curve& curveFor(Panel& panel, qint64 run, const QString& name, bool eval);
    void showTooltip(Panel& panel, QPoint pos);
    QWidget* exportArea() const;

    MetricSeriesModel m_model;
    QList<Panel> m_panels;
    QWidget* m_grid = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_sliderLabel = nullptr;
    QCheckBox* m_logBox = nullptr;
    QLabel* m_empty = nullptr;
    QTimer* m_timer = nullptr;
    double m_smoothing = 0.6;
    bool m_log = false;
    bool m_needRebuild = true;
    quint64 m_drawnRevision = 0;
    int m_redraws = 0;
    int m_drawnRuns = -1;
};

}  // namespace mgrpo::widgets
