#include "widgets/plots/metric_series_model.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace mgrpo::widgets {

MetricSeriesData& MetricSeriesModel::slot(qint64 run, const QString& name) {
    if (!m_order.contains(run)) m_order.append(run);
    return m_data[run][name];
}

void MetricSeriesModel::appendStep(qint64 run, int step, const QMap<QString, double>& values) {
    ++m_revision;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        MetricSeriesData& s = slot(run, it.key());
        // A resumed run repeats steps after its checkpoint: drop the stale tail.
        while (!s.steps.isEmpty() && s.steps.back() >= step) {
            s.steps.removeLast();
            s.values.removeLast();
        }
        s.steps.append(step);
        s.values.append(it.value());
        s.revision = m_revision;
    }
}

void MetricSeriesModel::setSeries(qint64 run, const QString& name, QVector<double> steps, QVector<double> values) {
    ++m_revision;
    MetricSeriesData& s = slot(run, name);
    s.steps = std::move(steps);
    s.values = std::move(values);
    s.values.resize(s.steps.size());
    s.revision = m_revision;
}

void MetricSeriesModel::addEvaluation(qint64 run, int step, const QMap<QString, double>& metrics) {
    QMap<QString, double> prefixed;
    for (auto it = metrics.cbegin(); it != metrics.cend(); ++it) prefixed.insert(QStringLiteral("eval/") + it.key(), it.value());
    appendStep(run, step, prefixed);
}

void MetricSeriesModel::removeRun(qint64 run) {
    if (!m_order.removeOne(run)) return;
    m_data.remove(run);
    m_labels.remove(run);
    ++m_revision;
}

void MetricSeriesModel::clear() {
    m_order.clear();
    m_data.clear();
    m_labels.clear();
    ++m_revision;
}

void MetricSeriesModel::setRunLabel(qint64 run, const QString& label) {
    m_labels.insert(run, label);
    ++m_revision;
}

QString MetricSeriesModel::runLabel(qint64 run) const {
    return m_labels.value(run, QStringLiteral("run %1").arg(run));
}

QStringList MetricSeriesModel::names(qint64 run) const {
    const auto it = m_data.constFind(run);
    return it == m_data.cend() ? QStringList() : QStringList(it->keys());
}

const MetricSeriesData* MetricSeriesModel::series(qint64 run, const QString& name) const {
    const auto it = m_data.constFind(run);
    if (it == m_data.cend()) return nullptr;
    const auto s = it->constFind(name);
    return s == it->cend() ? nullptr : &*s;
}

int MetricSeriesModel::pointCount() const {
    int n = 0;
    for (const auto& run : m_data)
        for (const auto& s : run) n += static_cast<int>(s.steps.size());
    return n;
}

QVector<double> MetricSeriesModel::smooth(const QVector<double>& values, double weight) {
    weight = std::clamp(weight, 0.0, 0.999);
    QVector<double> out;
    out.reserve(values.size());
    double last = 0.0;
    int counted = 0;
    for (double v : values) {
        if (!std::isfinite(v)) {
            out.append(v);
            continue;
        }
        last = last * weight + (1.0 - weight) * v;
        ++counted;
        const double debias = 1.0 - std::pow(weight, counted);
        out.append(debias > 0 ? last / debias : v);
    }
    return out;
}

QString MetricSeriesModel::toCsv() const {
    QString text;
    QTextStream out(&text);
    out << "run,label,metric,step,value\n";
    for (qint64 run : m_order) {
        QString label = runLabel(run);
        label.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        const auto& metrics = m_data.value(run);
        for (auto it = metrics.cbegin(); it != metrics.cend(); ++it)
            for (qsizetype i = 0; i < it->steps.size(); ++i)
                out << run << ",\"" << label << "\"," << it.key() << ',' << it->steps[i] << ','
                    << QString::number(it->values[i], 'g', 10) << '\n';
    }
    return text;
}

}  // namespace mgrpo::widgets
