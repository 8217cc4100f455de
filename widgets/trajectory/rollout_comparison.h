// Two rollouts of the same query side by side: each as its own expanded
// trajectory tree under a header with its reward, correctness, advantage,
// delegations and final answer, so a user sees where a good and a bad
// rollout diverged. Opened from the Inspect area's "Compare" button.
#pragma once

#include "core/agents/trajectory.h"

#include <QDialog>

class QLabel;
class QTreeView;

namespace mgrpo::widgets {

class TrajectoryTreeModel;

class RolloutComparison : public QDialog {
    Q_OBJECT

public:
    RolloutComparison(const core::Rollout& left, const core::Rollout& right, QWidget* parent = nullptr);

    TrajectoryTreeModel* model(int side) const { return side == 0 ? m_left : m_right; }
    QString header(int side) const;
    // One line per difference: reward, correctness, delegations, answers.
    QStringList differences() const;

private:
    TrajectoryTreeModel* m_left = nullptr;
    TrajectoryTreeModel* m_right = nullptr;
    QLabel* m_headers[2] = {nullptr, nullptr};
    QStringList m_differences;
};

// "k=3 · R_M 0.100 · correct · A_M +0.500 · 2 delegations · answer: ...".
QString rolloutSummary(const core::Rollout& rollout);

}  // namespace mgrpo::widgets
