#include "widgets/trajectory/trajectory_tree_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QHeaderView>
#include <QTreeView>

#include <numeric>

namespace mgrpo::widgets {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString shortText(const QString& text, int max = 90) {
    const QString simple = text.simplified();
    return simple.size() <= max ? simple : simple.left(max - 1) + QChar(0x2026);
}

}  // namespace

TrajectoryTreeModel::TrajectoryTreeModel(QObject* parent) : QAbstractItemModel(parent) { m_nodes.append(Node{}); }

void TrajectoryTreeModel::clear() {
    beginResetModel();
    m_rollout = {};
    m_nodes.clear();
    m_nodes.append(Node{});
    endResetModel();
}

int TrajectoryTreeModel::add(Kind kind, int parent, int invocation, int segment, int turn) {
    Node n;
    n.kind = kind;
    n.parent = parent;
    n.invocation = invocation;
    n.segment = segment;
    n.turn = turn;
    n.row = static_cast<int>(m_nodes[parent].children.size());
    m_nodes.append(n);
    const int id = static_cast<int>(m_nodes.size()) - 1;
    m_nodes[parent].children.append(id);
    return id;
}

void TrajectoryTreeModel::build(int invocation, int parentNode) {
    const core::Invocation& inv = m_rollout.invocations[static_cast<size_t>(invocation)];
    const int node = add(Kind::Invocation, parentNode, invocation, -1);
    size_t nextChild = 0;
    int turn = 0;
    const auto& segs = inv.segments;
    for (size_t i = 0; i < segs.size(); ++i) {
        const auto kind = segs[i].kind;
        if (kind == core::SegmentKind::Prompt) {
            add(Kind::Prompt, node, invocation, static_cast<int>(i));
        } else if (kind == core::SegmentKind::Action) {
            const int t = add(Kind::Turn, node, invocation, static_cast<int>(i), ++turn);
            if (i + 1 < segs.size() && segs[i + 1].kind == core::SegmentKind::Result) {
                // A delegation: the sub-agent's invocation, then what it returned.
                if (nextChild < inv.children.size()) build(inv.children[nextChild++], t);
                add(Kind::Result, t, invocation, static_cast<int>(++i));
            } else if (i + 1 < segs.size() && segs[i + 1].kind == core::SegmentKind::Observation) {
                add(Kind::Observation, t, invocation, static_cast<int>(++i));
            }
        } else {
            add(kind == core::SegmentKind::Observation ? Kind::Observation : Kind::Result, node, invocation,
                static_cast<int>(i));
        }
    }
    for (; nextChild < inv.children.size(); ++nextChild) build(inv.children[nextChild], node);
    if (inv.finished || !inv.answer.empty() || !inv.formatValid) add(Kind::Answer, node, invocation, -1);
}

void TrajectoryTreeModel::setRollout(const core::Rollout& rollout) {
    beginResetModel();
    m_rollout = rollout;
    m_nodes.clear();
    m_nodes.append(Node{});
    if (!m_rollout.invocations.empty()) build(0, 0);
    endResetModel();
}

TrajectoryTreeModel::Kind TrajectoryTreeModel::kind(const QModelIndex& index) const {
    return index.isValid() ? m_nodes[static_cast<int>(index.internalId())].kind : Kind::Invocation;
}

QModelIndex TrajectoryTreeModel::invocationIndex(int invocation) const {
    for (int i = 1; i < m_nodes.size(); ++i)
        if (m_nodes[i].kind == Kind::Invocation && m_nodes[i].invocation == invocation)
            return createIndex(m_nodes[i].row, 0, static_cast<quintptr>(i));
    return {};
}

QString TrajectoryTreeModel::alignmentText(const std::string& alignment) {
    const QString a = qs(alignment);
    if (a.startsWith(QLatin1String("original+"))) {
        const int n = a.mid(9).section(QLatin1Char(' '), 0, 0).toInt();
        return tr("original, duplicated %1x").arg(n);
    }
    return a;
}

QModelIndex TrajectoryTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0) return {};
    const int p = parent.isValid() ? static_cast<int>(parent.internalId()) : 0;
    if (parent.isValid() && parent.column() != 0) return {};
    if (row >= m_nodes[p].children.size()) return {};
    return createIndex(row, column, static_cast<quintptr>(m_nodes[p].children[row]));
}

QModelIndex TrajectoryTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int p = m_nodes[static_cast<int>(child.internalId())].parent;
    if (p <= 0) return {};
    return createIndex(m_nodes[p].row, 0, static_cast<quintptr>(p));
}

int TrajectoryTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    const int p = parent.isValid() ? static_cast<int>(parent.internalId()) : 0;
    return static_cast<int>(m_nodes[p].children.size());
}

int TrajectoryTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QString TrajectoryTreeModel::label(const Node& n) const {
    const core::Invocation& inv = m_rollout.invocations[static_cast<size_t>(n.invocation)];
    const auto segText = [&] { return qs(inv.segments[static_cast<size_t>(n.segment)].text); };
    switch (n.kind) {
        case Kind::Invocation:
            return inv.parent < 0 ? tr("Main agent %1: %2").arg(qs(inv.agentId), shortText(qs(inv.task), 70))
                                  : tr("Sub-agent %1 #%2: %3").arg(qs(inv.agentId)).arg(inv.id).arg(shortText(qs(inv.task), 70));
        case Kind::Prompt: return tr("Prompt: %1").arg(shortText(segText()));
        case Kind::Turn: return tr("Turn %1: %2").arg(n.turn).arg(shortText(segText()));
        case Kind::Observation: return tr("Observation: %1").arg(shortText(segText()));
        case Kind::Result: return tr("Result returned: %1").arg(shortText(segText()));
        case Kind::Answer:
            if (!inv.formatValid) return tr("Format error: %1").arg(qs(inv.formatError));
            return inv.parent < 0 ? tr("Final answer: %1 (%2)").arg(qs(inv.answer), m_rollout.correct ? tr("correct") : tr("wrong"))
                                  : tr("Returns: %1").arg(qs(inv.answer));
    }
    return {};
}

QString TrajectoryTreeModel::fullText(const Node& n) const {
    const core::Invocation& inv = m_rollout.invocations[static_cast<size_t>(n.invocation)];
    if (n.segment >= 0) return qs(inv.segments[static_cast<size_t>(n.segment)].text);
    if (n.kind == Kind::Invocation) return qs(inv.task);
    return label(n);
}

QVariant TrajectoryTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Node& n = m_nodes[static_cast<int>(index.internalId())];
    const core::Invocation& inv = m_rollout.invocations[static_cast<size_t>(n.invocation)];
    const bool isInv = n.kind == Kind::Invocation;
    switch (role) {
        case KindRole: return static_cast<int>(n.kind);
        case InvocationRole: return n.invocation;
        case SegmentRole: return n.segment;
        case FullTextRole: return fullText(n);
        case Qt::ToolTipRole: return index.column() == NodeColumn ? fullText(n) : QVariant();
        case Qt::DisplayRole:
            switch (index.column()) {
                case NodeColumn: return label(n);
                case AgentColumn: return isInv ? qs(inv.agentId) : QVariant();
                case RewardColumn:
                    if (!isInv) return {};
                    return QString::number(inv.parent < 0 ? m_rollout.rewardMain : inv.reward, 'f', 3);
                case AdvantageColumn:
                    if (!isInv || inv.alignment == "dropped") return isInv ? QStringLiteral("\u2014") : QVariant();
                    return QString::asprintf("%+.3f", inv.advantage);
                case AlignmentColumn: return isInv ? alignmentText(inv.alignment) : QVariant();
                case TokensColumn: {
                    if (n.segment >= 0) return static_cast<int>(inv.segments[static_cast<size_t>(n.segment)].tokens.size());
                    if (!isInv) return {};
                    int generated = 0;
                    for (const auto& s : inv.segments)
                        if (s.kind == core::SegmentKind::Action) generated += static_cast<int>(s.tokens.size());
                    return generated;
                }
            }
            return {};
        case Qt::ForegroundRole:
            if (n.kind == Kind::Answer && !inv.formatValid) return QBrush(QColor(0xc0, 0x20, 0x20));
            if (isInv && index.column() == AlignmentColumn) {
                if (inv.alignment == "dropped") return QBrush(QColor(0xc0, 0x20, 0x20));
                if (inv.alignment.rfind("original+", 0) == 0) return QBrush(QColor(0x1f, 0x60, 0xc0));
                if (inv.alignment.rfind("masked", 0) == 0) return QBrush(QColor(0x80, 0x80, 0x80));
            }
            if (n.kind == Kind::Prompt || n.kind == Kind::Observation || n.kind == Kind::Result)
                return QBrush(QColor(0x55, 0x55, 0x55));
            return {};
        case Qt::FontRole:
            if (isInv && index.column() == NodeColumn) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() >= RewardColumn && index.column() != AlignmentColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
    }
    return {};
}

QVariant TrajectoryTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case NodeColumn: return tr("Step of the trajectory");
        case AgentColumn: return tr("Agent");
        case RewardColumn: return tr("Reward");
        case AdvantageColumn: return tr("Advantage");
        case AlignmentColumn: return tr("Alignment");
        case TokensColumn: return tr("Tokens");
    }
    return {};
}

void showTrajectoryTree(QTreeView* view, TrajectoryTreeModel* model) {
    view->setModel(model);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->header()->setStretchLastSection(false);
    view->header()->setSectionResizeMode(TrajectoryTreeModel::NodeColumn, QHeaderView::Stretch);
    for (int c = 1; c < TrajectoryTreeModel::ColumnCount; ++c)
        view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
}

}  // namespace mgrpo::widgets
