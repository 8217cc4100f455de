// The trajectory tree model against a hand-built rollout: its structure
// (turns, delegations nested under the turn that made them, results, answers),
// its columns (reward, advantage, alignment), QAbstractItemModelTester; and the
// inspector's rollout list, ranking and filters on JSON rollouts.
#include "widgets/trajectory/rollout_comparison.h"
#include "widgets/trajectory/trajectory_inspector.h"
#include "widgets/trajectory/trajectory_tree_model.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTreeView>

using namespace mgrpo;
using Model = widgets::TrajectoryTreeModel;

namespace {

core::Segment seg(core::SegmentKind kind, const std::string& text, std::vector<float> logProbs = {}) {
    core::Segment s;
    s.kind = kind;
    s.text = text;
    for (size_t i = 0; i < std::max<size_t>(1, logProbs.size()); ++i) s.tokens.push_back(static_cast<int>(i) + 5);
    s.logProbs = std::move(logProbs);
    return s;
}

// main: prompt, call search (+obs), delegate (searcher #1 + result), delegate (searcher #2 + result), answer.
core::Rollout knownRollout(int query = 0, int sample = 0, double reward = 1.0, bool correct = true) {
    using K = core::SegmentKind;
    core::Rollout r;
    r.query = query;
    r.sample = sample;
    r.correct = correct;
    r.rewardMain = reward;
    core::Invocation main;
    main.id = 0;
    main.agentId = "main";
    main.task = "what is the population of the capital of aurelia";
    main.segments = {seg(K::Prompt, "<question> what is ... </question>"),
                     seg(K::Action, "<call> search aurelia </call>", {-0.1f, -0.2f, -0.3f, -0.4f}),
                     seg(K::Observation, "<obs> aurelia capital velm </obs>"),
                     seg(K::Action, "<delegate> agent1 capital of aurelia </delegate>", {-1, -1, -1, -1, -1, -1}),
                     seg(K::Result, "<result> velm </result>"),
                     seg(K::Action, "<delegate> agent1 population of velm </delegate>", {-1, -1, -1, -1, -1, -1}),
                     seg(K::Result, "<result> none </result>"),
                     seg(K::Action, "<answer> 42 </answer>", {-0.5f, -0.5f, -0.5f})};
    main.children = {1, 2};
    main.turns = 4;
    main.finished = true;
    main.answer = "42";
    main.reward = reward;
    main.advantage = 0.75;
    core::Invocation sub1;
    sub1.id = 1;
    sub1.parent = 0;
    sub1.agentId = "searcher";
    sub1.task = "capital of aurelia";
    sub1.segments = {seg(K::Prompt, "<task> capital of aurelia </task>"), seg(K::Action, "<call> open aurelia </call>"),
                     seg(K::Observation, "<obs> capital velm </obs>"), seg(K::Action, "<answer> velm </answer>")};
    sub1.turns = 2;
    sub1.finished = true;
    sub1.answer = "velm";
    sub1.reward = 0.9;
    sub1.advantage = 0.5;
    sub1.alignment = "original+1 duplicates";
    core::Invocation sub2;
    sub2.id = 2;
    sub2.parent = 0;
    sub2.agentId = "searcher";
    sub2.task = "population of velm";
    sub2.segments = {seg(K::Prompt, "<task> population of velm </task>"), seg(K::Action, "<answer> </answer>")};
    sub2.turns = 1;
    sub2.finished = true;
    sub2.formatValid = false;
    sub2.formatError = "malformed action: empty answer";
    sub2.reward = 0.0;
    sub2.alignment = "dropped";
    r.invocations = {main, sub1, sub2};
    return r;
}

QString text(const QModelIndex& i, int column = 0) { return i.siblingAtColumn(column).data().toString(); }

}  // namespace

class TestTrajectoryTreeModel : public QObject {
    Q_OBJECT

private slots:
    void structureMatchesTheRollout() {
        Model model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRollout(knownRollout());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex main = model.index(0, 0);
        QVERIFY(text(main).startsWith("Main agent main"));
        QCOMPARE(text(main, Model::RewardColumn), QString("1.000"));
        QCOMPARE(text(main, Model::AdvantageColumn), QString("+0.750"));
        // Prompt, four turns, final answer.
        QCOMPARE(model.rowCount(main), 6);
        QCOMPARE(model.kind(model.index(0, 0, main)), Model::Kind::Prompt);
        const QModelIndex turn1 = model.index(1, 0, main);
        QVERIFY(text(turn1).startsWith("Turn 1: <call> search aurelia"));
        QCOMPARE(model.rowCount(turn1), 1);
        QCOMPARE(model.kind(model.index(0, 0, turn1)), Model::Kind::Observation);
        // The first delegation: the sub-agent's invocation, then the result it returned.
        const QModelIndex turn2 = model.index(2, 0, main);
        QCOMPARE(model.rowCount(turn2), 2);
        const QModelIndex sub1 = model.index(0, 0, turn2);
        QCOMPARE(model.kind(sub1), Model::Kind::Invocation);
        QVERIFY(text(sub1).startsWith("Sub-agent searcher #1"));
        QCOMPARE(text(sub1, Model::AgentColumn), QString("searcher"));
        QCOMPARE(text(sub1, Model::RewardColumn), QString("0.900"));
        QCOMPARE(text(sub1, Model::AlignmentColumn), QString("original, duplicated 1x"));
        QCOMPARE(model.kind(model.index(1, 0, turn2)), Model::Kind::Result);
        QVERIFY(text(model.index(1, 0, turn2)).contains("velm"));
        // The sub-agent's own turns: prompt, call (+ observation), answer, and what it returns.
        QCOMPARE(model.rowCount(sub1), 4);
        QCOMPARE(model.rowCount(model.index(1, 0, sub1)), 1);
        QCOMPARE(text(model.index(3, 0, sub1)), QString("Returns: velm"));
        // The second delegation was dropped by alignment and has a format error.
        const QModelIndex sub2 = model.index(0, 0, model.index(3, 0, main));
        QCOMPARE(text(sub2, Model::AlignmentColumn), QString("dropped"));
        QCOMPARE(text(sub2, Model::AdvantageColumn), QString("\u2014"));
        QVERIFY(text(model.index(model.rowCount(sub2) - 1, 0, sub2)).startsWith("Format error: malformed action"));
        QCOMPARE(text(model.index(5, 0, main)), QString("Final answer: 42 (correct)"));
        QCOMPARE(model.invocationIndex(2), sub2);
        QCOMPARE(model.parent(sub2).parent(), main);
        QCOMPARE(text(main, Model::TokensColumn), QString::number(4 + 6 + 6 + 3));
    }

    void jsonRoundTripGivesTheSameTree() {
        Model a, b;
        const auto r = knownRollout();
        a.setRollout(r);
        b.setRollout(core::rolloutFromJson(nlohmann::json::parse(core::toJson(r).dump())));
        QStringList la, lb;
        std::function<void(const Model&, const QModelIndex&, QStringList&)> walk = [&](const Model& m, const QModelIndex& p,
                                                                                    QStringList& out) {
            for (int i = 0; i < m.rowCount(p); ++i) {
                const QModelIndex c = m.index(i, 0, p);
                out << text(c) + "|" + text(c, Model::AlignmentColumn) + "|" + text(c, Model::AdvantageColumn);
                walk(m, c, out);
            }
        };
        walk(a, {}, la);
        walk(b, {}, lb);
        QCOMPARE(la.size(), 20);
        QCOMPARE(lb, la);
    }

    void clearAndReset() {
        Model model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRollout(knownRollout());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.isEmpty());
        model.setRollout(knownRollout());
        QCOMPARE(model.rowCount(), 1);
    }

    void inspectorListsRankedRolloutsAndFilters() {
        widgets::TrajectoryInspector inspector;
        inspector.setRuns({{7, "#7 smoke"}});
        QCOMPARE(inspector.currentRun(), qint64(7));
        QList<QByteArray> json;
        const double rewards[] = {0.2, 1.0, -0.5, 0.7};
        for (int k = 0; k < 4; ++k)
            json << QByteArray::fromStdString(core::toJson(knownRollout(0, k, rewards[k], rewards[k] > 0.5)).dump());
        json << QByteArray::fromStdString(core::toJson(knownRollout(1, 0, 0.1, false)).dump());
        json << QByteArray("{not json");
        inspector.setTrajectories(7, 3, json);
        QCOMPARE(inspector.currentStep(), 3);
        QCOMPARE(inspector.currentQuery(), 0);
        QCOMPARE(inspector.visibleRollouts(), 4);
        // Best first; the first is shown as a tree.
        QCOMPARE(inspector.rolloutTable()->item(0, 0)->text(), QString("1"));
        QCOMPARE(inspector.rolloutTable()->item(3, 0)->text(), QString("2"));
        QCOMPARE(inspector.shownSample(), 1);
        QCOMPARE(inspector.treeModel()->rowCount(), 1);
        inspector.selectRollout(2);
        QCOMPARE(inspector.shownSample(), 0);
        inspector.setFilter(widgets::TrajectoryInspector::Filter::Incorrect);
        QCOMPARE(inspector.visibleRollouts(), 2);
        inspector.setFilter(widgets::TrajectoryInspector::Filter::All);
        inspector.setSearchText("no such words");
        QCOMPARE(inspector.visibleRollouts(), 0);
        QVERIFY(inspector.treeModel()->isEmpty());
        inspector.setSearchText("");
        inspector.setCurrentQuery(1);
        QCOMPARE(inspector.visibleRollouts(), 1);
        // The detail pane shows the selected node; generated tokens carry their log-probs.
        auto* model = inspector.treeModel();
        inspector.treeView()->setCurrentIndex(model->index(1, 0, model->index(0, 0)));
        QVERIFY(inspector.detailHtml().contains("loss mask 1"));
        QVERIFY(inspector.detailHtml().contains("mean log-prob -0.25"));
    }

    void twoSelectedRolloutsOpenSideBySide() {
        widgets::TrajectoryInspector inspector;
        inspector.setRuns({{7, "#7 smoke"}});
        QList<QByteArray> json;
        const double rewards[] = {0.1, 1.0, 0.0};
        for (int k = 0; k < 3; ++k)
            json << QByteArray::fromStdString(core::toJson(knownRollout(0, k, rewards[k], rewards[k] > 0.5)).dump());
        inspector.setTrajectories(7, 1, json);
        // One rollout selected: nothing to compare.
        inspector.selectRollouts({0});
        QVERIFY(!inspector.compareButton()->isEnabled());
        QVERIFY(inspector.compareSelected() == nullptr);
        // Rows are best first: row 0 is k=1 (R 1.0), row 2 is k=2 (R 0.0).
        inspector.selectRollouts({0, 2});
        QVERIFY(inspector.compareButton()->isEnabled());
        auto* dialog = inspector.compareSelected();
        QVERIFY(dialog != nullptr);
        QCOMPARE(dialog->model(0)->rollout().sample, 1);
        QCOMPARE(dialog->model(1)->rollout().sample, 2);
        QCOMPARE(dialog->model(0)->rowCount(), 1);  // each side is a whole tree
        QVERIFY(dialog->header(0).contains("R_M 1.000"));
        QVERIFY(dialog->header(1).contains("incorrect"));
        QVERIFY(dialog->differences().contains("reward R_M 1.000 vs 0.000"));
        QVERIFY(dialog->differences().contains("correctness differs"));
        // Same rollout data on both sides: no differences are claimed.
        widgets::RolloutComparison same(knownRollout(0, 0, 0.5, false), knownRollout(0, 1, 0.5, false));
        QVERIFY(same.differences().isEmpty());
        delete dialog;
    }
};

QTEST_MAIN(TestTrajectoryTreeModel)
#include "tst_trajectory_tree_model.moc"
