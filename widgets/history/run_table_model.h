// Runs of the history database as a table model (id, experiment, algorithm,
// status, steps, seed, device, created, tags, notes). setRuns() diffs the new
// list against the shown one, so inserts and deletes arrive as row
// insertions/removals and views keep their selection. RunFilterProxy filters
// by status, algorithm, tag and free text and sorts numbers as numbers.
#pragma once

#include "core/store/records.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace mgrpo::widgets {

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { IdColumn, ExperimentColumn, AlgorithmColumn, StatusColumn, StepsColumn, SeedColumn,
                  DeviceColumn, CreatedColumn, TagsColumn, NotesColumn, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1, SortRole, StatusRole, TagsRole, SearchTextRole };

    explicit RunTableModel(QObject* parent = nullptr);

    void setRuns(std::vector<store::RunInfo> runs);
    const std::vector<store::RunInfo>& runs() const { return m_runs; }
    int rowOf(store::RunId id) const;  // -1 when absent
    const store::RunInfo* run(store::RunId id) const;
    QStringList algorithms() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<store::RunInfo> m_runs;
};

class RunFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit RunFilterProxy(QObject* parent = nullptr);
    // Empty strings do not filter.
    void setStatusFilter(const QString& status);
    void setAlgorithmFilter(const QString& algorithm);
    void setTagFilter(const QString& tag);
    void setTextFilter(const QString& text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_status, m_algorithm, m_tag, m_text;
};

}  // namespace mgrpo::widgets
