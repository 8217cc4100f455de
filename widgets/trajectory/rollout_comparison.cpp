#include "widgets/trajectory/rollout_comparison.h"

#include "widgets/trajectory/trajectory_tree_model.h"

#include <QLabel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace mgrpo::widgets {

namespace {

int delegationsOf(const core::Rollout& r) { return static_cast<int>(r.invocations.size()) - 1; }

QString answerOf(const core::Rollout& r) {
    return r.invocations.empty() ? QString() : QString::fromStdString(r.main().answer);
}

QWidget* sidePanel(QLabel* header, TrajectoryTreeModel* model) {
    auto* panel = new QWidget;
    auto* v = new QVBoxLayout(panel);
    v->setContentsMargins(0, 0, 0, 0);
    header->setWordWrap(true);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(header);
    auto* tree = new QTreeView;
    showTrajectoryTree(tree, model);
    tree->expandAll();
    v->addWidget(tree, 1);
    return panel;
}

}  // namespace

QString rolloutSummary(const core::Rollout& r) {
    const double advantage = r.invocations.empty() ? 0.0 : r.main().advantage;
    return QStringLiteral("k=%1 · R_M %2 · %3 · A_M %4 · %5 delegations · answer: %6")
        .arg(r.sample)
        .arg(r.rewardMain, 0, 'f', 3)
        .arg(r.correct ? QStringLiteral("correct") : QStringLiteral("incorrect"))
        .arg(QString::asprintf("%+.3f", advantage))
        .arg(delegationsOf(r))
        .arg(answerOf(r).isEmpty() ? QStringLiteral("(none)") : answerOf(r));
}

RolloutComparison::RolloutComparison(const core::Rollout& left, const core::Rollout& right, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Compare rollouts k=%1 and k=%2 of query %3").arg(left.sample).arg(right.sample).arg(left.query));
    m_left = new TrajectoryTreeModel(this);
    m_right = new TrajectoryTreeModel(this);
    m_left->setRollout(left);
    m_right->setRollout(right);
    for (int side = 0; side < 2; ++side)
        m_headers[side] = new QLabel(QStringLiteral("<b>%1</b>").arg(rolloutSummary(side == 0 ? left : right).toHtmlEscaped()));

    if (left.rewardMain != right.rewardMain)
        m_differences << tr("reward R_M %1 vs %2").arg(left.rewardMain, 0, 'f', 3).arg(right.rewardMain, 0, 'f', 3);
    if (left.correct != right.correct) m_differences << tr("correctness differs");
    if (delegationsOf(left) != delegationsOf(right))
        m_differences << tr("delegations %1 vs %2").arg(delegationsOf(left)).arg(delegationsOf(right));
    if (answerOf(left) != answerOf(right))
        m_differences << tr("answers '%1' vs '%2'").arg(answerOf(left), answerOf(right));

    auto* v = new QVBoxLayout(this);
    auto* summary = new QLabel(m_differences.isEmpty() ? tr("The two rollouts agree on reward, correctness, "
                                                            "delegations and answer.")
                                                       : tr("Differences: %1").arg(m_differences.join(QStringLiteral("; "))));
    summary->setWordWrap(true);
    v->addWidget(summary);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(sidePanel(m_headers[0], m_left));
    split->addWidget(sidePanel(m_headers[1], m_right));
    v->addWidget(split, 1);
    resize(1200, 700);
}

QString RolloutComparison::header(int side) const { return m_headers[side == 0 ? 0 : 1]->text(); }
QStringList RolloutComparison::differences() const { return m_differences; }

}  // namespace mgrpo::widgets
