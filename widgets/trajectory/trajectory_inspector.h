// The Inspect area: choose a run, a step and a query; the K rollouts of that
// query are listed by reward with correctness, advantage, delegations and
// format; the selected one opens as a TrajectoryTreeModel tree; the detail
// pane shows the selected node's text with generated tokens coloured by
// log-prob (or by advantage) and context tokens (loss mask 0) greyed. Filters:
// incorrect only, format errors only, and a text search. The app feeds it
// (from the history or live from the running trainer) through setRuns /
// setSteps / setTrajectories and answers its runChosen / stepChosen signals.
#pragma once

#include "core/agents/trajectory.h"

#include <QList>
#include <QPair>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTextBrowser;
class QTreeView;

namespace mgrpo::widgets {

class TrajectoryTreeModel;
class RolloutComparison;

class TrajectoryInspector : public QWidget {
    Q_OBJECT

public:
    enum class Filter { All, Incorrect, FormatErrors };
    enum class Colouring { LogProb, Advantage };

    explicit TrajectoryInspector(QWidget* parent = nullptr);

    // (run id, label), newest first. Keeps the chosen run when it is still listed.
    void setRuns(const QList<QPair<qint64, QString>>& runs);
    void setSteps(qint64 run, const QList<int>& steps);
    // Every stored rollout of a step, as trajectory-tree JSON; bad JSON is skipped.
    void setTrajectories(qint64 run, int step, const QList<QByteArray>& rolloutsJson);
    // Follow the newest step of a live run (on by default).
    bool followsLatest() const;
    void setFollowLatest(bool follow);

    qint64 currentRun() const;
    int currentStep() const;
    int currentQuery() const;
    void setCurrentRun(qint64 run);
    void setCurrentStep(int step);
    void setCurrentQuery(int query);
    void setFilter(Filter filter);
    void setSearchText(const QString& text);
    void setColouring(Colouring colouring);
    // Rows of the rollout list (after filtering), sorted by reward, best first.
    int visibleRollouts() const;
    // Selects the listed rollout at `row` and shows its tree (expanded).
    void selectRollout(int row);
    // Shows the first rollout (any query) whose text or alignment contains `text`.
    bool showFirstMatching(const QString& text);
    // The sample index k of the rollout shown in the tree, -1 when none.
    int shownSample() const;
    // Selects several listed rollouts (rows of the table).
    void selectRollouts(const QList<int>& rows);
    // With exactly two rollouts selected: opens them side by side (the
    // "Compare" button); nullptr otherwise.
    RolloutComparison* compareSelected();
    QPushButton* compareButton() const { return m_compare; }

    TrajectoryTreeModel* treeModel() const { return m_model; }
    QTreeView* treeView() const { return m_tree; }
    QTableWidget* rolloutTable() const { return m_table; }
    QString detailHtml() const;

signals:
    void runChosen(qint64 run);
    void stepChosen(qint64 run, int step);

private:
    void rebuildQueries();
    void rebuildTable();
    void showDetail();
    QString segmentHtml(const core::Invocation& inv, const core::Segment& seg) const;

    qint64 m_run = 0;
    int m_step = -1;
    std::vector<core::Rollout> m_rollouts;
    QList<int> selectedRolloutIndices() const;
    QComboBox* m_runBox = nullptr;
    QComboBox* m_stepBox = nullptr;
    QComboBox* m_queryBox = nullptr;
    QComboBox* m_filterBox = nullptr;
    QComboBox* m_colourBox = nullptr;
    QCheckBox* m_follow = nullptr;
    QLineEdit* m_search = nullptr;
    QPushButton* m_compare = nullptr;
    QTableWidget* m_table = nullptr;
    QTreeView* m_tree = nullptr;
    QTextBrowser* m_detail = nullptr;
    TrajectoryTreeModel* m_model = nullptr;
    bool m_updating = false;
};

}  // namespace mgrpo::widgets
