#include "widgets/plots/monitor_dashboard.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mgrpo::widgets {

namespace {

const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                           QColor(0x17, 0xbe, 0xcf)};

struct PanelDef {
    const char* title;
    QStringList patterns;
    bool histogram = false;
    bool unit = false;  // a fraction: the y axis spans at least [0, 1]
};

QList<PanelDef> panelDefs() {
    const QString agent = QStringLiteral("(main|sub\\.[^/]+)");
    return {
        {"Reward (R_M main, R_S sub-agents)", {"^" + agent + "/reward_mean$"}},
        {"Accuracy (held-out evaluations as diamonds)", {"^main/accuracy$", "^eval/accuracy$"}, false, true},
        {"Format rate", {"^" + agent + "/format_rate$", "^eval/format_rate$"}, false, true},
        {"Loss", {"^" + agent + "/loss$"}},
        {"KL (approx, to reference)", {"^" + agent + "/(approx_kl|kl_ref)$"}},
        {"Entropy", {"^" + agent + "/entropy$"}},
        {"Clip fraction", {"^" + agent + "/clipfrac$"}, false, true},
        {"Gradient norm", {"^" + agent + "/grad_norm$"}},
        {"Alignment: duplicated / dropped / masked", {"^align\\.[^/]+/(duplicated_frac|dropped_frac|masked_frac)$"}, false, true},
        {"Sub-agent calls per rollout d_k (latest step)", {"^align\\.[^/]+/dk_\\d+$"}, true},
        {"Throughput (generated tokens/s)", {"^perf/generated_tokens_per_s$"}},
        {"Time per step: rollout vs update (s)", {"^perf/(rollout_s|update_s)$"}},
    };
}

QString curveKey(qint64 run, const QString& name) { return QString::number(run) + QLatin1Char('\n') + name; }

bool isEval(const QString& name) { return name.startsWith(QLatin1String("eval/")); }

}  // namespace

MonitorDashboard::MonitorDashboard(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("monitorDashboard"));
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    v->setSpacing(4);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Smoothing")));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setObjectName(QStringLiteral("smoothingSlider"));
    m_slider->setRange(0, 99);
    m_slider->setValue(static_cast<int>(m_smoothing * 100));
    m_slider->setMaximumWidth(160);
    m_slider->setToolTip(tr("Exponential moving average of the curves; the raw values stay faint behind"));
    bar->addWidget(m_slider);
    m_sliderLabel = new QLabel(QString::number(m_smoothing, 'f', 2));
    m_sliderLabel->setMinimumWidth(32);
    bar->addWidget(m_sliderLabel);
    m_logBox = new QCheckBox(tr("Log scale"));
    m_logBox->setObjectName(QStringLiteral("logScaleBox"));
    bar->addWidget(m_logBox);
    auto* reset = new QPushButton(tr("Reset zoom"));
    reset->setToolTip(tr("Fit every plot to its data again (double-click a plot for one)"));
    bar->addWidget(reset);
    auto* clear = new QPushButton(tr("Clear"));
    clear->setObjectName(QStringLiteral("clearMonitorButton"));
    clear->setToolTip(tr("Remove every run from the plots (the history keeps them)"));
    bar->addWidget(clear);
    auto* exportButton = new QToolButton;
    exportButton->setObjectName(QStringLiteral("exportMonitorButton"));
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(exportButton);
    menu->addAction(tr("Plots as PNG..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plots"), QStringLiteral("monitor.png"),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty()) emit statusMessage(exportPng(path) ? tr("Saved %1").arg(path) : tr("Cannot write %1").arg(path));
    });
    menu->addAction(tr("Plots as PDF..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plots"), QStringLiteral("monitor.pdf"),
                                                          tr("PDF documents (*.pdf)"));
        if (!path.isEmpty()) emit statusMessage(exportPdf(path) ? tr("Saved %1").arg(path) : tr("Cannot write %1").arg(path));
    });
    menu->addAction(tr("Data as CSV..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export data"), QStringLiteral("metrics.csv"),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty()) emit statusMessage(exportCsv(path) ? tr("Saved %1").arg(path) : tr("Cannot write %1").arg(path));
    });
    exportButton->setMenu(menu);
    bar->addWidget(exportButton);
    bar->addStretch(1);
    auto* hint = new QLabel(tr("wheel: zoom \u00b7 drag: pan \u00b7 double-click: fit \u00b7 legend click: hide"));
    hint->setEnabled(false);
    bar->addWidget(hint);
    v->addLayout(bar);

    m_empty = new QLabel(tr("No run shown yet. Press Run in the Launch dock, or pick runs in History and press "
                            "\u201cShow in Monitor\u201d."));
    m_empty->setObjectName(QStringLiteral("monitorEmptyHint"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    v->addWidget(m_empty);

    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_grid = new QWidget;
    m_grid->setObjectName(QStringLiteral("monitorGrid"));
    scroll->setWidget(m_grid);
    v->addWidget(scroll, 1);
    buildPanels();

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setInterval(kRedrawMs);
    connect(m_timer, &QTimer::timeout, this, &MonitorDashboard::refreshNow);
    connect(m_slider, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    connect(m_logBox, &QCheckBox::toggled, this, &MonitorDashboard::setLogScale);
    connect(reset, &QPushButton::clicked, this, [this] {
        for (Panel& p : m_panels) p.autoRange = true;
        m_needRebuild = true;
        refreshNow();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        m_model.clear();
        notifyChanged();
    });
}

void MonitorDashboard::buildPanels() {
    auto* grid = new QGridLayout(m_grid);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    const int columns = 3;
    int index = 0;
    for (const PanelDef& def : panelDefs()) {
        Panel p;
        p.title = tr(def.title);
        for (const QString& pattern : def.patterns) p.patterns.append(QRegularExpression(pattern));
        p.histogram = def.histogram;
        p.unit = def.unit;
        auto* plot = new QCustomPlot;
        plot->setObjectName(QStringLiteral("plot%1").arg(index));
        plot->setMinimumSize(260, 200);

        plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        plot->plotLayout()->insertRow(0);
        QFont titleFont = font();
        titleFont.setBold(true);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, p.title, titleFont));
        plot->xAxis->setLabel(p.histogram ? tr("d_k (calls in one rollout)") : tr("step"));
        if (p.histogram) plot->yAxis->setLabel(tr("rollouts"));
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        plot->xAxis->setLabelFont(small);
        plot->yAxis->setLabelFont(small);
        plot->xAxis->setTickLabelFont(small);
        plot->yAxis->setTickLabelFont(small);
        plot->legend->setVisible(true);
        plot->legend->setFont(small);
        plot->legend->setBrush(QColor(255, 255, 255, 200));
        plot->legend->setRowSpacing(-3);
        plot->legend->setBorderPen(Qt::NoPen);
        // The legend goes under the axes, two entries per row, so it never hides a curve.
        plot->axisRect()->insetLayout()->take(plot->legend);
        plot->plotLayout()->addElement(2, 0, plot->legend);
        plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
        plot->legend->setWrap(2);
        plot->plotLayout()->setRowStretchFactor(2, 0.001);
        plot->plotLayout()->setRowSpacing(0);
        p.plot = plot;
        m_panels.append(p);
        const int panelIndex = static_cast<int>(m_panels.size()) - 1;
        connect(plot, &QCustomPlot::mouseMove, this,
                [this, panelIndex](QMouseEvent* e) { showTooltip(m_panels[panelIndex], e->position().toPoint()); });
        connect(plot, &QCustomPlot::mousePress, this, [this, panelIndex](QMouseEvent*) { m_panels[panelIndex].autoRange = false; });
        connect(plot, &QCustomPlot::mouseWheel, this, [this, panelIndex](QWheelEvent*) { m_panels[panelIndex].autoRange = false; });
        connect(plot, &QCustomPlot::mouseDoubleClick, this, [this, panelIndex](QMouseEvent*) {
            Panel& panel = m_panels[panelIndex];
            panel.autoRange = true;
            panel.plot->rescaleAxes(true);
            panel.plot->replot();
        });
        connect(plot, &QCustomPlot::legendClick, this,
                [this, panelIndex](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
                    auto* pli = qobject_cast<QCPPlottableLegendItem*>(item);
                    if (!pli) return;
                    for (Curve& c : m_panels[panelIndex].curves) {
                        if (c.smooth != pli->plottable()) continue;
                        c.userHidden = !c.userHidden;
                        c.smooth->setVisible(!c.userHidden);
                        if (c.raw) c.raw->setVisible(!c.userHidden && m_smoothing > 0);
                        pli->setTextColor(c.userHidden ? QColor(Qt::gray) : QColor(Qt::black));
                    }
                    m_panels[panelIndex].plot->replot();
                });
        grid->addWidget(plot, index / columns, index % columns);
        ++index;
    }
}

void MonitorDashboard::notifyChanged() {
    if (!m_timer->isActive()) m_timer->start();
}

void MonitorDashboard::setSmoothing(double weight) {
    weight = std::clamp(weight, 0.0, 0.99);
    if (weight == m_smoothing) return;
    m_smoothing = weight;
    m_sliderLabel->setText(QString::number(weight, 'f', 2));
    if (m_slider->value() != qRound(weight * 100)) m_slider->setValue(qRound(weight * 100));
    m_needRebuild = true;
    refreshNow();
}

void MonitorDashboard::setLogScale(bool on) {
    if (on == m_log) return;
    m_log = on;
    if (m_logBox->isChecked() != on) m_logBox->setChecked(on);
    for (Panel& p : m_panels) {
        if (p.histogram) continue;
        p.plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (on) p.plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
        else p.plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        p.autoRange = true;
    }
    m_needRebuild = true;
    refreshNow();
}

QStringList MonitorDashboard::panelTitles() const {
    QStringList out;
    for (const Panel& p : m_panels) out << p.title;
    return out;
}

QCustomPlot* MonitorDashboard::plot(const QString& title) const {
    for (const Panel& p : m_panels)
        if (p.title == title) return p.plot;
    return nullptr;
}

QStringList MonitorDashboard::seriesNames(const QString& title) const {
    QStringList out;
    for (const Panel& p : m_panels) {
        if (p.title != title) continue;
        if (p.histogram) {
            for (int i = 0; i < p.plot->plottableCount(); ++i) out << p.plot->plottable(i)->name();
        } else {
            for (const Curve& c : p.curves) out << c.smooth->name();
        }
    }
    out.sort();
    return out;
}

MonitorDashboard::Curve& MonitorDashboard::curveFor(Panel& panel, qint64 run, const QString& name, bool eval) {
    const QString key = curveKey(run, name);
    auto it = panel.curves.find(key);
    if (it != panel.curves.end()) return *it;
    Curve c;
    c.run = run;
    c.name = name;
    const QColor colour = kPalette[panel.colours++ % std::size(kPalette)];
    if (!eval) {
        c.raw = panel.plot->addGraph();
        QColor faint = colour;
        faint.setAlpha(60);
        c.raw->setPen(QPen(faint, 1));
        c.raw->removeFromLegend();
        c.raw->setVisible(m_smoothing > 0);
    }
    c.smooth = panel.plot->addGraph();
    c.smooth->setPen(QPen(colour, eval ? 1.5 : 2));
    if (eval) {
        c.smooth->setLineStyle(QCPGraph::lsNone);
        c.smooth->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, colour, colour, 8));
    }
    const QString label = m_model.runs().size() > 1 ? m_model.runLabel(run) + QStringLiteral(": ") + name : name;
    c.smooth->setName(eval ? label + tr(" (held-out)") : label);
    return *panel.curves.insert(key, c);
}

void MonitorDashboard::appendPoints(Curve& c, const MetricSeriesData& s, bool eval) {
    const int n = static_cast<int>(s.steps.size());
    QVector<double> keys, raw, smooth;
    for (int i = c.added; i < n; ++i) {
        const double v = s.values[i];
        keys.append(s.steps[i]);
        raw.append(v);
        if (eval || m_smoothing <= 0 || !std::isfinite(v)) {
            smooth.append(v);
            continue;
        }
        c.ema = c.ema * m_smoothing + (1.0 - m_smoothing) * v;
        ++c.emaCount;
        smooth.append(c.ema / (1.0 - std::pow(m_smoothing, c.emaCount)));
    }
    if (keys.isEmpty()) return;
    if (c.raw) c.raw->addData(keys, raw, true);
    c.smooth->addData(keys, smooth, true);
    c.added = n;
    c.lastStep = s.steps.back();
}

void MonitorDashboard::updatePanel(Panel& panel, bool rebuild) {
    if (panel.histogram) {
        updateHistogram(panel);
        return;
    }
    if (rebuild) {
        panel.plot->clearGraphs();
        panel.curves.clear();
        panel.colours = 0;
    }
    // Curves of runs no longer in the model go away.
    for (auto it = panel.curves.begin(); it != panel.curves.end();) {
        if (!m_model.series(it->run, it->name)) {
            panel.plot->removeGraph(it->smooth);
            if (it->raw) panel.plot->removeGraph(it->raw);
            it = panel.curves.erase(it);
        } else {
            ++it;
        }
    }
    for (qint64 run : m_model.runs()) {
        for (const QString& name : m_model.names(run)) {
            bool match = false;
            for (const auto& re : panel.patterns) match = match || re.match(name).hasMatch();
            if (!match) continue;
            const MetricSeriesData* s = m_model.series(run, name);
            const bool eval = isEval(name);
            Curve& c = curveFor(panel, run, name, eval);
            // A replaced tail (resumed run) or a shorter series: draw it again.
            if (c.added > s->steps.size() || (c.added > 0 && s->steps[c.added - 1] != c.lastStep)) {
                if (c.raw) c.raw->data()->clear();
                c.smooth->data()->clear();
                c.added = 0;
                c.ema = 0;
                c.emaCount = 0;
            }
            appendPoints(c, *s, eval);
        }
    }
    // Antialiasing dominates the replot of long series; drop it past kFastPoints points.
    int points = 0;
    for (const Curve& c : panel.curves) points += c.added;
    panel.plot->setNotAntialiasedElements(points > kFastPoints ? QCP::aePlottables : QCP::aeNone);
    if (panel.autoRange) {
        panel.plot->rescaleAxes(true);
        if (panel.unit && !m_log) {
            // Fractions: show [0, 1] (wider only if the data leave it), also for a flat series.
            double lo = -0.03, hi = 1.05;  // a little below 0 so a zero curve is not hidden by the axis
            for (const Curve& c : panel.curves) {
                bool found = false;
                const QCPRange r = c.smooth->getValueRange(found);
                if (found) lo = std::min(lo, r.lower), hi = std::max(hi, r.upper);
            }
            panel.plot->yAxis->setRange(lo, hi);
        }
    }
}

void MonitorDashboard::updateHistogram(Panel& panel) {
    panel.plot->clearPlottables();
    if (m_model.runs().isEmpty()) return;
    const qint64 run = m_model.runs().back();  // the newest run: usually the live one
    QMap<QString, QMap<int, double>> byAgent;  // agent -> d_k -> rollouts
    static const QRegularExpression re(QStringLiteral("^align\\.([^/]+)/dk_(\\d+)$"));
    for (const QString& name : m_model.names(run)) {
        const auto m = re.match(name);
        if (!m.hasMatch()) continue;
        const MetricSeriesData* s = m_model.series(run, name);
        if (s->values.isEmpty()) continue;
        byAgent[m.captured(1)][m.captured(2).toInt()] = s->values.back();
    }
    // Only the latest step's histogram: a d_k absent at that step has no rollouts then.
    int latest = -1;
    for (const QString& name : m_model.names(run))
        if (re.match(name).hasMatch()) latest = std::max(latest, static_cast<int>(m_model.series(run, name)->steps.back()));
    for (auto agent = byAgent.begin(); agent != byAgent.end(); ++agent)
        for (auto it = agent->begin(); it != agent->end(); ++it) {
            const QString name = QStringLiteral("align.%1/dk_%2").arg(agent.key()).arg(it.key());
            if (m_model.series(run, name)->steps.back() != latest) it.value() = 0;
        }
    const int agents = static_cast<int>(byAgent.size());
    int index = 0;
    for (auto it = byAgent.cbegin(); it != byAgent.cend(); ++it, ++index) {
        auto* bars = new QCPBars(panel.plot->xAxis, panel.plot->yAxis);
        const double width = 0.8 / std::max(1, agents);
        QVector<double> keys, values;
        for (auto b = it->cbegin(); b != it->cend(); ++b) {
            keys.append(b.key() - 0.4 + width * (index + 0.5));
            values.append(b.value());
        }
        bars->setWidth(width);
        bars->setData(keys, values, true);
        const QColor colour = kPalette[index % std::size(kPalette)];
        bars->setPen(QPen(colour.darker(130)));
        bars->setBrush(colour);
        bars->setName(tr("%1, step %2").arg(it.key()).arg(latest));
    }
    panel.plot->rescaleAxes();
    QCPRange x = panel.plot->xAxis->range();
    panel.plot->xAxis->setRange(x.lower - 0.6, x.upper + 0.6);
    panel.plot->yAxis->setRangeLower(0);
    panel.plot->yAxis->setRangeUpper(panel.plot->yAxis->range().upper * 1.15 + 0.5);
}

void MonitorDashboard::refreshNow() {
    m_timer->stop();
    const bool rebuild = m_needRebuild;
    if (!rebuild && m_model.revision() == m_drawnRevision) return;
    m_needRebuild = false;
    // Legend names carry run labels once several runs are shown: relabel by rebuilding.
    const bool relabel = rebuild || m_model.runs().size() != m_drawnRuns;
    m_drawnRuns = static_cast<int>(m_model.runs().size());
    for (Panel& p : m_panels) {
        updatePanel(p, relabel);
        p.plot->replot(QCustomPlot::rpQueuedReplot);
    }
    m_empty->setVisible(m_model.runs().isEmpty());
    m_drawnRevision = m_model.revision();
    ++m_redraws;
}

void MonitorDashboard::showTooltip(Panel& panel, QPoint pos) {
    QString best;
    double bestDistance = 24.0;  // pixels
    for (int i = 0; i < panel.plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = panel.plot->plottable(i);
        if (!p->visible()) continue;
        if (auto* g = qobject_cast<QCPGraph*>(p)) {
            bool inLegend = false;
            for (const Curve& c : panel.curves) inLegend = inLegend || c.smooth == g;
            if (!inLegend) continue;
            const double x = panel.plot->xAxis->pixelToCoord(pos.x());
            auto it = g->data()->findBegin(x, false);
            for (int k = 0; k < 2 && it != g->data()->constEnd(); ++k, ++it) {
                const double px = panel.plot->xAxis->coordToPixel(it->key);
                const double py = panel.plot->yAxis->coordToPixel(it->value);
                const double d = std::hypot(px - pos.x(), py - pos.y());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = tr("%1\nstep %2: %3").arg(g->name()).arg(it->key).arg(it->value, 0, 'g', 5);
                }
            }
        } else if (auto* b = qobject_cast<QCPBars*>(p)) {
            const double x = panel.plot->xAxis->pixelToCoord(pos.x());
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                if (std::abs(it->key - x) <= b->width() / 2)
                    best = tr("%1\nd_k = %2: %3 rollouts").arg(b->name()).arg(qRound(it->key)).arg(it->value);
        }
    }
    if (best.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(panel.plot->mapToGlobal(pos), best, panel.plot);
}

QWidget* MonitorDashboard::exportArea() const { return m_grid; }

bool MonitorDashboard::exportPng(const QString& path) {
    refreshNow();
    for (Panel& p : m_panels) p.plot->replot(QCustomPlot::rpImmediateRefresh);
    return exportArea()->grab().save(path, "PNG");
}

bool MonitorDashboard::exportPdf(const QString& path) {
    refreshNow();
    for (Panel& p : m_panels) p.plot->replot(QCustomPlot::rpImmediateRefresh);
    QWidget* area = exportArea();
    QPdfWriter writer(path);
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QSizeF(area->width(), area->height()), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer)) return false;
    const double scale = std::min(painter.device()->width() / double(area->width()),
                                  painter.device()->height() / double(area->height()));
    painter.scale(scale, scale);
    area->render(&painter);
    painter.end();
    return QFileInfo(path).size() > 0;
}

bool MonitorDashboard::exportCsv(const QString& path) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    return f.write(m_model.toCsv().toUtf8()) >= 0;
}

}  // namespace mgrpo::widgets
