// The tree of one rollout for a QTreeView: the main agent's invocation with
// its prompt and turns; a delegation turn holds the sub-agent's own invocation
// (its turns, tool calls and observations) and the result returned to the
// caller; every invocation ends with its final answer / returned result (or
// its format error). Columns show agent, reward (R_M or R_S), advantage,
// alignment status and generated tokens. Built from a core::Rollout, the
// trajectory JSON the trainer records. Read-only.
#pragma once

#include "core/agents/trajectory.h"

#include <QAbstractItemModel>
#include <QVector>

class QTreeView;

namespace mgrpo::widgets {

class TrajectoryTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { NodeColumn, AgentColumn, RewardColumn, AdvantageColumn, AlignmentColumn, TokensColumn, ColumnCount };
    enum class Kind { Invocation, Prompt, Turn, Observation, Result, Answer };
    enum Role {
        KindRole = Qt::UserRole + 1,  // int(Kind)
        InvocationRole,               // invocation id in the rollout
        SegmentRole,                  // segment index in its invocation, -1 for none
        FullTextRole,                 // untruncated text of the node
    };

    explicit TrajectoryTreeModel(QObject* parent = nullptr);

    void setRollout(const core::Rollout& rollout);
    void clear();
    bool isEmpty() const { return m_nodes.size() <= 1; }
    const core::Rollout& rollout() const { return m_rollout; }

    Kind kind(const QModelIndex& index) const;
    // The item of an invocation (column 0), or invalid.
    QModelIndex invocationIndex(int invocation) const;
    // "original", "original, duplicated 2x", "dropped", "masked ...", "unaligned".
    static QString alignmentText(const std::string& alignment);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        Kind kind = Kind::Invocation;
        int parent = -1;     // node index; 0 is the invisible root
        int row = 0;         // row under its parent
        QVector<int> children;
        int invocation = -1;
        int segment = -1;
        int turn = 0;        // Turn: 1-based number in its invocation
    };
    int add(Kind kind, int parent, int invocation, int segment, int turn = 0);
    void build(int invocation, int parentNode);
    QString label(const Node& node) const;
    QString fullText(const Node& node) const;

    core::Rollout m_rollout;
    QVector<Node> m_nodes;
};

// Shows `model` in `view` as the inspector does: the node column stretches, the
// numeric columns fit their contents, alternating rows.
void showTrajectoryTree(QTreeView* view, TrajectoryTreeModel* model);

}  // namespace mgrpo::widgets
