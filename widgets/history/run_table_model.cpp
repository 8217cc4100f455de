#include "widgets/history/run_table_model.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <set>

namespace mgrpo::widgets {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

QString joinTags(const std::vector<std::string>& tags) {
    QStringList out;
    for (const auto& t : tags) out << qs(t);
    return out.join(QStringLiteral(", "));
}

bool sameRow(const store::RunInfo& a, const store::RunInfo& b) {
    return a.status == b.status && a.lastStep == b.lastStep && a.notes == b.notes && a.tags == b.tags &&
           a.error == b.error && a.ended == b.ended && a.started == b.started;
}
}  // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setRuns(std::vector<store::RunInfo> runs) {
    std::set<store::RunId> incoming;
    for (const auto& r : runs) incoming.insert(r.id);
    // Removed rows, from the bottom up.
    for (int row = static_cast<int>(m_runs.size()) - 1; row >= 0; --row) {
        if (incoming.count(m_runs[static_cast<size_t>(row)].id)) continue;
        beginRemoveRows({}, row, row);
        m_runs.erase(m_runs.begin() + row);
        endRemoveRows();
    }
    // Changed rows in place; new rows appended (the proxy sorts).
    for (auto& r : runs) {
        const int row = rowOf(r.id);
        if (row >= 0) {
            if (!sameRow(m_runs[static_cast<size_t>(row)], r)) {
                m_runs[static_cast<size_t>(row)] = std::move(r);
                emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        const int at = static_cast<int>(m_runs.size());
        beginInsertRows({}, at, at);
        m_runs.push_back(std::move(r));
        endInsertRows();
    }
}

int RunTableModel::rowOf(store::RunId id) const {
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id) return static_cast<int>(i);
    return -1;
}

const store::RunInfo* RunTableModel::run(store::RunId id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_runs[static_cast<size_t>(row)];
}

QStringList RunTableModel::algorithms() const {
    QStringList out;
    for (const auto& r : m_runs)
        if (!out.contains(qs(r.algorithm))) out << qs(r.algorithm);
    out.sort();
    return out;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_runs.size())) return {};
    const store::RunInfo& r = m_runs[static_cast<size_t>(index.row())];
    switch (role) {
        case RunIdRole: return QVariant::fromValue<qint64>(r.id);
        case StatusRole: return qs(store::runStatusName(r.status));
        case TagsRole: {
            QStringList tags;
            for (const auto& t : r.tags) tags << qs(t);
            return tags;
        }
        case SearchTextRole:
            return QStringList{qs(r.experiment), qs(r.algorithm), qs(r.notes), joinTags(r.tags), qs(r.error),
                               qs(r.runDir), QString::number(r.id)}
                .join(QLatin1Char('\n'));
        case SortRole:
            switch (index.column()) {
                case IdColumn: return QVariant::fromValue<qint64>(r.id);
                case StepsColumn: return r.lastStep;
                case SeedColumn: return QVariant::fromValue<qint64>(r.seed);
                default: return data(index, Qt::DisplayRole);
            }
        case Qt::ToolTipRole:
            if (index.column() == StatusColumn && !r.error.empty()) return qs(r.error);
            if (index.column() == NotesColumn) return qs(r.notes);
            return qs(r.runDir);
        case Qt::ForegroundRole:
            if (index.column() != StatusColumn) return {};
            switch (r.status) {
                case store::RunStatus::Failed: return QBrush(QColor(0xc0, 0x20, 0x20));
                case store::RunStatus::Running: return QBrush(QColor(0x1f, 0x60, 0xc0));
                case store::RunStatus::Finished: return QBrush(QColor(0x20, 0x80, 0x20));
                case store::RunStatus::Interrupted:
                case store::RunStatus::Stopped: return QBrush(QColor(0xa0, 0x60, 0x00));
                default: return {};
            }
        case Qt::DisplayRole:
            switch (index.column()) {
                case IdColumn: return QVariant::fromValue<qint64>(r.id);
                case ExperimentColumn: return qs(r.experiment);
                case AlgorithmColumn: return qs(r.algorithm);
                case StatusColumn:
                    return r.error.empty() ? qs(store::runStatusName(r.status))
                                           : qs(store::runStatusName(r.status)) + QStringLiteral(": ") +
                                                 qs(r.error).left(60);
                case StepsColumn: return r.lastStep < 0 ? QVariant(QStringLiteral("\u2014")) : QVariant(r.lastStep);
                case SeedColumn: return QVariant::fromValue<qint64>(r.seed);
                case DeviceColumn: return qs(r.device);
                case CreatedColumn: return qs(r.created).replace(QLatin1Char('T'), QLatin1Char(' ')).left(19);
                case TagsColumn: return joinTags(r.tags);
                case NotesColumn: return qs(r.notes).simplified().left(80);
            }
            return {};
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"ID", "Experiment", "Algorithm", "Status", "Steps", "Seed", "Device", "Created",
                                  "Tags", "Notes"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

RunFilterProxy::RunFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RunTableModel::SortRole);
    setDynamicSortFilter(true);
}

void RunFilterProxy::setStatusFilter(const QString& status) {
    m_status = status;
    invalidateFilter();
}
void RunFilterProxy::setAlgorithmFilter(const QString& algorithm) {
    m_algorithm = algorithm;
    invalidateFilter();
}
void RunFilterProxy::setTagFilter(const QString& tag) {
    m_tag = tag.trimmed();
    invalidateFilter();
}
void RunFilterProxy::setTextFilter(const QString& text) {
    m_text = text.trimmed();
    invalidateFilter();
}

bool RunFilterProxy::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    if (!m_status.isEmpty() && i.data(RunTableModel::StatusRole).toString() != m_status) return false;
    if (!m_algorithm.isEmpty() &&
        sourceModel()->index(row, RunTableModel::AlgorithmColumn, parent).data().toString() != m_algorithm)
        return false;
    if (!m_tag.isEmpty() && !i.data(RunTableModel::TagsRole).toStringList().contains(m_tag, Qt::CaseInsensitive))
        return false;
    if (!m_text.isEmpty() && !i.data(RunTableModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

}  // namespace mgrpo::widgets
