// Tests for live validation in the designer: each invalid case (no main, two
// mains, a cycle, an unknown tool, a dangling delegation, out-of-range limits)
// is marked on the node it concerns (red outline, tooltip), listed in the
// problems panel with core::describe()'s text, and marked on the inspector
// field; the expected problems come from core::validateTopology directly.
#include "designer_test_support.h"
#include "widgets/topology/agent_inspector.h"
#include "widgets/topology/node_items.h"
#include "widgets/topology/problems_panel.h"
#include "widgets/topology/topology_scene.h"

#include <QUndoStack>
#include <QtTest>

using mgrpo::core::AgentRole;
using mgrpo::core::Topology;
using mgrpo::widgets::AgentInspector;
using mgrpo::widgets::ProblemsPanel;
using mgrpo::widgets::TopologyScene;

Q_DECLARE_METATYPE(mgrpo::core::Topology)

namespace {

Topology paper() { return mgrpo::core::paperTopology(); }

}  // namespace

class TstTopologyValidation : public QObject {
    Q_OBJECT

private slots:
    void validTemplatesHaveNoMarks() {
        TopologyScene scene(testDesignerContext());
        ProblemsPanel panel(&scene);
        for (const Topology& t : {mgrpo::core::paperTopology(), mgrpo::core::singleAgentTopology(),
                                  mgrpo::core::twoSpecialistTopology()}) {
            scene.resetTopology(t);
            QVERIFY(scene.problems().empty());
            QCOMPARE(panel.topLevelItemCount(), 0);
            for (size_t i = 0; i < t.agents.size(); ++i) QVERIFY(!scene.agentItem(int(i))->hasProblems());
        }
    }

    void invalidCaseIsMarked_data() {
        QTest::addColumn<Topology>("topology");
        QTest::addColumn<QString>("agent");     // the node that must be marked ("" = topology-wide)
        QTest::addColumn<QString>("field");     // the problem's field
        QTest::addColumn<QString>("fragment");  // part of the message

        Topology noMain = paper();
        noMain.agents[0].role = AgentRole::Sub;
        noMain.agents[0].id = "agent1";
        QTest::newRow("no main") << noMain << "" << "" << "there is no main agent";

        Topology twoMains = paper();
        twoMains.agents[1].role = AgentRole::Main;
        QTest::newRow("two mains") << twoMains << "searcher" << "role" << "one of 2 main agents";

        Topology cycle = mgrpo::core::twoSpecialistTopology();
        cycle.agents[1].delegates = {"analyst"};
        cycle.agents[2].delegates = {"searcher"};
        QTest::newRow("cycle") << cycle << "analyst" << "delegates" << "delegation cycle";

        Topology unknownTool = paper();
        unknownTool.agents[1].tools.push_back("browse");
        QTest::newRow("unknown tool") << unknownTool << "searcher" << "tools" << "unknown tool 'browse'";

        Topology dangling = paper();
        dangling.agents[0].delegates.push_back("agent3");
        QTest::newRow("dangling edge") << dangling << "main" << "delegates" << "unknown agent 'agent3'";

        Topology turns = paper();
        turns.agents[1].maxTurns = 0;
        QTest::newRow("max turns too small") << turns << "searcher" << "max_turns" << "[1, 64]";

        Topology tokens = paper();
        tokens.agents[0].maxTokensPerTurn = 5000;
        QTest::newRow("max tokens too large") << tokens << "main" << "max_tokens_per_turn" << "[2, 1024]";

        Topology context = paper();
        context.agents[1].model.contextLength = 32;
        QTest::newRow("context too small") << context << "searcher" << "model.context_length" << "below the minimum";
    }

    void invalidCaseIsMarked() {
        QFETCH(Topology, topology);
        QFETCH(QString, agent);
        QFETCH(QString, field);
        QFETCH(QString, fragment);

        TopologyScene scene(testDesignerContext());
        ProblemsPanel panel(&scene);
        AgentInspector inspector(&scene);
        scene.resetTopology(topology);

        // The expected problems, straight from the core validator.
        const auto expected = mgrpo::core::validateTopology(topology, mgrpo::core::builtinValidationContext());
        QVERIFY(!expected.empty());
        QCOMPARE(scene.problems().size(), expected.size());
        QStringList expectedRows;
        for (const auto& p : expected) expectedRows << QString::fromStdString(mgrpo::core::describe(p));
        QCOMPARE(panel.rowTexts(), expectedRows);
        const auto it = std::find_if(expected.begin(), expected.end(), [&](const auto& p) {
            return QString::fromStdString(p.agentId) == agent && QString::fromStdString(p.field) == field &&
                   QString::fromStdString(p.message).contains(fragment);
        });
        QVERIFY2(it != expected.end(), "the case's problem is among the validator's");

        if (agent.isEmpty()) {
            // Topology-wide: listed, with no node to jump to.
            const int row = static_cast<int>(it - expected.begin());
            QCOMPARE(panel.agentOfRow(row), -1);
            return;
        }
        const int index = scene.indexOf(agent);
        auto* node = scene.agentItem(index);
        QVERIFY(node);
        QVERIFY(node->hasProblems());
        QVERIFY2(node->toolTip().contains(fragment), qPrintable(node->toolTip()));
        // Nodes without problems stay unmarked.
        for (size_t i = 0; i < topology.agents.size(); ++i) {
            const bool has = std::any_of(expected.begin(), expected.end(),
                                         [&](const auto& p) { return p.agentId == topology.agents[i].id; });
            QCOMPARE(scene.agentItem(int(i))->hasProblems(), has);
        }
        // Double-clicking the row asks to jump to that node.
        const int row = static_cast<int>(it - expected.begin());
        QCOMPARE(panel.agentOfRow(row), index);
        QSignalSpy jump(&panel, &ProblemsPanel::jumpToAgent);
        emit panel.itemDoubleClicked(panel.topLevelItem(row), 0);
        QCOMPARE(jump.count(), 1);
        QCOMPARE(jump.at(0).at(0).toInt(), index);

        // The inspector marks the field with the message.
        scene.selectAgent(index);
        QCOMPARE(inspector.agentIndex(), index);
        if (inspector.fieldWidget(field)) {
            QVERIFY2(inspector.fieldMarked(field), qPrintable(field));
            QVERIFY(inspector.fieldWidget(field)->toolTip().contains(fragment));
        }
    }

    void unknownToolNodeIsMarked() {
        TopologyScene scene(testDesignerContext());
        Topology t = paper();
        t.agents[1].tools.push_back("browse");
        scene.resetTopology(t);
        QVERIFY(!scene.toolItem(1, "browse")->isKnown());
        QVERIFY(scene.toolItem(1, "search")->isKnown());
    }

    void danglingEdgeIsDrawnToAGhost() {
        TopologyScene scene(testDesignerContext());
        Topology t = paper();
        t.agents[0].delegates.push_back("agent3");
        scene.resetTopology(t);
        auto* edge = scene.delegationItem(0, "agent3");
        QVERIFY(edge);
        QVERIFY(edge->isDangling());
        QVERIFY(!scene.delegationItem(0, "searcher")->isDangling());
        // Fixing it (deleting the edge) clears the marks live.
        edge->setSelected(true);
        QVERIFY(scene.deleteSelection());
        QVERIFY(scene.problems().empty());
        QVERIFY(!scene.agentItem(0)->hasProblems());
    }

    void editsRevalidateLive() {
        TopologyScene scene(testDesignerContext());
        ProblemsPanel panel(&scene);
        QSignalSpy count(&panel, &ProblemsPanel::countChanged);
        scene.resetTopology(paper());
        QCOMPARE(panel.topLevelItemCount(), 0);
        auto a = scene.topology().agents[1];
        a.maxTurns = 100;
        scene.updateAgent(1, a);
        QVERIFY(scene.agentItem(1)->hasProblems());
        QCOMPARE(panel.topLevelItemCount(), 1);
        scene.undoStack()->undo();
        QVERIFY(!scene.agentItem(1)->hasProblems());
        QCOMPARE(panel.topLevelItemCount(), 0);
        QVERIFY(count.count() >= 3);
    }
};

QTEST_MAIN(TstTopologyValidation)
#include "tst_topology_validation.moc"
