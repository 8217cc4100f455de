// The data behind the Monitor: every metric series of every shown run as
// (step, value) arrays, appended step by step from a live run or loaded whole
// from the history. No widgets: the dashboard draws from it, tests read it,
// export writes it as CSV. A revision counter tells the dashboard what changed.
#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

namespace mgrpo::widgets {

struct MetricSeriesData {
    QVector<double> steps;   // ascending
    QVector<double> values;
    quint64 revision = 0;    // model revision of the last change
};

class MetricSeriesModel {
public:
    // Appends one step of a run (keys like "main/reward_mean"). A step at or
    // before the series' last step replaces the tail from there (a resumed run).
    void appendStep(qint64 run, int step, const QMap<QString, double>& values);
    // Replaces one whole series (from the history).
    void setSeries(qint64 run, const QString& name, QVector<double> steps, QVector<double> values);
    // Evaluation points, drawn as markers: "eval/<metric>" series.
    void addEvaluation(qint64 run, int step, const QMap<QString, double>& metrics);
    void removeRun(qint64 run);
    void clear();

    void setRunLabel(qint64 run, const QString& label);
    QString runLabel(qint64 run) const;
    QList<qint64> runs() const { return m_order; }
    QStringList names(qint64 run) const;  // sorted
    const MetricSeriesData* series(qint64 run, const QString& name) const;
    int pointCount() const;
    quint64 revision() const { return m_revision; }

    // Exponential moving average with TensorBoard's debiasing; weight in [0, 1).
    static QVector<double> smooth(const QVector<double>& values, double weight);
    // One row per (run, metric, step): run,label,metric,step,value.
    QString toCsv() const;

private:
    MetricSeriesData& slot(qint64 run, const QString& name);

    QList<qint64> m_order;
    QHash<qint64, QString> m_labels;
    QHash<qint64, QMap<QString, MetricSeriesData>> m_data;
    quint64 m_revision = 0;
};

}  // namespace mgrpo::widgets
