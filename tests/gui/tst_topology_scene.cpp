// Tests for widgets::TopologyScene: building a topology by API calls (add
// agents and tools, connect, delete), undo/redo restoring the exact JSON,
// deleting a selection, palette drops, and the connect-by-dragging gesture.
#include "designer_test_support.h"
#include "widgets/topology/node_items.h"
#include "widgets/topology/topology_scene.h"
#include "widgets/topology/topology_view.h"

#include <QGraphicsSceneDragDropEvent>
#include <QMenu>
#include <QMimeData>
#include <QWheelEvent>
#include <cmath>
#include <memory>
#include <QUndoStack>
#include <QtTest>

using mgrpo::core::AgentRole;
using mgrpo::widgets::TopologyScene;

class TstTopologyScene : public QObject {
    Q_OBJECT

private slots:
    void buildByApi() {
        TopologyScene scene(testDesignerContext());
        QVERIFY(scene.topology().agents.empty());
        const int main = scene.addAgent(AgentRole::Main, {0, 0});
        const int sub = scene.addAgent(AgentRole::Sub, {0, 200});
        QCOMPARE(main, 0);
        QCOMPARE(sub, 1);
        QCOMPARE(scene.topology().agents[0].id, std::string("main"));
        // Sub-agents take the first free delegation name the tokenizer knows.
        QCOMPARE(scene.topology().agents[1].id, mgrpo::core::builtinValidationContext().delegateNames.front());
        QVERIFY(scene.connectAgents(main, sub));
        QVERIFY(scene.addTool(sub, "search"));
        QVERIFY(scene.addTool(sub, "open"));
        QVERIFY(scene.addTool(main, "calc"));
        QVERIFY(!scene.addTool(main, "calc"));        // already there: no edit
        QVERIFY(!scene.connectAgents(main, main));   // self-delegation refused

        // The same structure as core's paper template (ids, roles, edges, tools).
        const auto paper = mgrpo::core::paperTopology();
        const auto& t = scene.topology();
        QCOMPARE(t.agents.size(), paper.agents.size());
        for (size_t i = 0; i < t.agents.size(); ++i) {
            QCOMPARE(t.agents[i].id, paper.agents[i].id);
            QVERIFY(t.agents[i].role == paper.agents[i].role);
            QCOMPARE(t.agents[i].tools, paper.agents[i].tools);
            QCOMPARE(t.agents[i].delegates, paper.agents[i].delegates);
            QCOMPARE(t.agents[i].model, paper.agents[i].model);  // new agents start from the template's model
        }
        QVERIFY(scene.problems().empty());
        // Items mirror the model: one node per agent, one tool node per tool, one edge per delegation.
        QVERIFY(scene.agentItem(0) && scene.agentItem(1) && !scene.agentItem(2));
        QVERIFY(scene.toolItem(1, "search") && scene.toolItem(1, "open") && scene.toolItem(0, "calc"));
        QVERIFY(scene.delegationItem(0, "searcher"));
        QCOMPARE(scene.agentItem(1)->pos(), QPointF(0, 200));

        // Deleting the sub-agent drops the delegation to it.
        QVERIFY(scene.removeAgents({sub}));
        QCOMPARE(scene.topology().agents.size(), size_t(1));
        QVERIFY(scene.topology().agents[0].delegates.empty());
        QVERIFY(!scene.delegationItem(0, "searcher"));
        QVERIFY(scene.removeTool(0, "calc"));
        QVERIFY(scene.topology().agents[0].tools.empty());
    }

    void undoRedoRestoresExactJson() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::twoSpecialistTopology());
        QVERIFY(scene.undoStack()->isClean());
        std::vector<std::string> states{dumpOf(scene.topology())};
        scene.addTool(1, "calc");
        states.push_back(dumpOf(scene.topology()));
        mgrpo::core::AgentSpec a = scene.topology().agents[2];
        a.id = "agent1";  // renamed: main's delegation follows
        a.maxTurns = 5;
        a.trained = false;
        a.device = "cuda:0";
        scene.updateAgent(2, a);
        QCOMPARE(scene.topology().agents[0].delegates, (std::vector<std::string>{"searcher", "agent1"}));
        states.push_back(dumpOf(scene.topology()));
        scene.autoLayout();
        states.push_back(dumpOf(scene.topology()));
        scene.removeAgents({1});
        states.push_back(dumpOf(scene.topology()));
        scene.setTopologyName("renamed");
        states.push_back(dumpOf(scene.topology()));
        QCOMPARE(scene.undoStack()->count(), 5);
        for (int i = static_cast<int>(states.size()) - 2; i >= 0; --i) {
            scene.undoStack()->undo();
            QCOMPARE(dumpOf(scene.topology()), states[i]);
        }
        QVERIFY(scene.undoStack()->isClean());
        QCOMPARE(dumpOf(scene.topology()), dumpOf(mgrpo::core::twoSpecialistTopology()));
        for (size_t i = 1; i < states.size(); ++i) {
            scene.undoStack()->redo();
            QCOMPARE(dumpOf(scene.topology()), states[i]);
        }
        // Items follow undo: the deleted agent's node comes back.
        scene.undoStack()->undo();
        scene.undoStack()->undo();
        QCOMPARE(scene.topology().agents.size(), size_t(3));
        QVERIFY(scene.agentItem(2));
        QCOMPARE(scene.agentItem(2)->agent().id, std::string("agent1"));
    }

    void deleteSelectionRemovesAgentsToolsAndEdges() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::twoSpecialistTopology());
        // A tool node and a delegation edge together: one undo step.
        scene.toolItem(1, "open")->setSelected(true);
        scene.delegationItem(0, "analyst")->setSelected(true);
        QVERIFY(scene.deleteSelection());
        QCOMPARE(scene.topology().agents[1].tools, std::vector<std::string>{"search"});
        QCOMPARE(scene.topology().agents[0].delegates, std::vector<std::string>{"searcher"});
        QCOMPARE(scene.undoStack()->count(), 1);
        // Multi-select of agents.
        scene.agentItem(1)->setSelected(true);
        scene.agentItem(2)->setSelected(true);
        QCOMPARE(scene.selectedAgents(), (QList<int>{1, 2}));
        QCOMPARE(scene.currentAgent(), -1);
        QVERIFY(scene.deleteSelection());
        QCOMPARE(scene.topology().agents.size(), size_t(1));
        QVERIFY(scene.topology().agents[0].delegates.empty());
        QVERIFY(!scene.deleteSelection());  // nothing selected
        scene.undoStack()->undo();
        scene.undoStack()->undo();
        QCOMPARE(dumpOf(scene.topology()), dumpOf(mgrpo::core::twoSpecialistTopology()));
    }

    void paletteEntries() {
        TopologyScene scene(testDesignerContext());
        QSignalSpy status(&scene, &TopologyScene::statusMessage);
        QVERIFY(scene.addFromPalette("agent:main", QPointF(13, 27)));
        QCOMPARE(scene.topology().agents[0].x, 20.0);  // snapped to the 20 px grid
        QCOMPARE(scene.topology().agents[0].y, 20.0);
        // A tool dropped on empty canvas is refused with a hint; dropped on the agent it is added.
        QVERIFY(!scene.addFromPalette("tool:calc", QPointF(900, 900)));
        QCOMPARE(status.count(), 1);
        QVERIFY(scene.addFromPalette("tool:calc", QPointF(30, 30)));
        QCOMPARE(scene.topology().agents[0].tools, std::vector<std::string>{"calc"});
        // "Sub-agent" with the main agent selected: added below it and connected, one undo step.
        scene.selectAgent(0);
        const int before = scene.undoStack()->count();
        QVERIFY(scene.addFromPalette("agent:sub"));
        QCOMPARE(scene.undoStack()->count(), before + 1);
        QCOMPARE(scene.topology().agents.size(), size_t(2));
        QCOMPARE(scene.topology().agents[0].delegates, std::vector<std::string>{scene.topology().agents[1].id});
        QVERIFY(scene.topology().agents[1].y > scene.topology().agents[0].y);
        QCOMPARE(scene.currentAgent(), 1);
        // A selected agent receives a double-clicked tool.
        QVERIFY(scene.addFromPalette("tool:search"));
        QCOMPARE(scene.topology().agents[1].tools, std::vector<std::string>{"search"});
    }

    void dragFromPortConnectsAndMoves() {
        TopologyScene scene(testDesignerContext());
        core_reset(scene);
        mgrpo::widgets::TopologyView view(&scene);
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.centerOn(0, 100);
        auto toView = [&](QPointF p) { return view.mapFromScene(p); };

        // Drag from main's out-port to the unconnected sub-agent.
        const QPointF port = scene.agentItem(0)->outPortScenePos();
        const QPointF target = scene.agentItem(1)->pos();
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, toView(port));
        QTest::mouseMove(view.viewport(), toView((port + target) / 2));
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, toView(target));
        QCOMPARE(scene.topology().agents[0].delegates, std::vector<std::string>{"searcher"});

        // Drag a node by its body: the position lands on the grid and is one undo step.
        const int before = scene.undoStack()->count();
        const QPointF grab = scene.agentItem(1)->pos() + QPointF(0, 5);
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, toView(grab));
        QTest::mouseMove(view.viewport(), toView(grab + QPointF(30, 10)));
        QTest::mouseMove(view.viewport(), toView(grab + QPointF(67, 43)));
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, toView(grab + QPointF(67, 43)));
        QCOMPARE(scene.undoStack()->count(), before + 1);
        const auto& moved = scene.topology().agents[1];
        QCOMPARE(std::fmod(moved.x, 20.0), 0.0);
        QCOMPARE(std::fmod(moved.y, 20.0), 0.0);
        QVERIFY(moved.x >= 40 && moved.x <= 80);
        QVERIFY(moved.y >= 200 && moved.y <= 260);
    }

    void dropFromPalette() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::paperTopology());
        auto drop = [&](const QByteArray& entry, QPointF at) {
            QMimeData data;
            data.setData(mgrpo::widgets::kPaletteMimeType, entry);
            QGraphicsSceneDragDropEvent event(QEvent::GraphicsSceneDrop);
            event.setMimeData(&data);
            event.setScenePos(at);
            event.setProposedAction(Qt::CopyAction);
            event.setPossibleActions(Qt::CopyAction);
            QCoreApplication::sendEvent(&scene, &event);
        };
        drop("tool:calc", {0, 200});  // onto the searcher node
        QCOMPARE(scene.topology().agents[1].tools, (std::vector<std::string>{"search", "open", "calc"}));
        drop("agent:sub", {400, 200});
        QCOMPARE(scene.topology().agents.size(), size_t(3));
        QVERIFY(scene.topology().agents[2].role == mgrpo::core::AgentRole::Sub);
        QCOMPARE(scene.topology().agents[2].x, 400.0);
        QCOMPARE(scene.currentAgent(), 2);  // the new node is selected for the inspector
        QCOMPARE(scene.undoStack()->count(), 2);
    }

    void viewZoomsAndFits() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::twoSpecialistTopology());
        mgrpo::widgets::TopologyView view(&scene);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.zoomToFit();
        const QRect visible = view.mapFromScene(scene.contentRect()).boundingRect();
        QVERIFY2(view.viewport()->rect().contains(visible), "every node is in view after fit");
        QVERIFY(view.zoom() <= 1.25);
        const double fit = view.zoom();
        view.zoomIn();
        QVERIFY(view.zoom() > fit);
        view.zoomOut();
        view.zoomOut();
        QVERIFY(view.zoom() < fit);
        // The wheel zooms; the zoom stays within its limits.
        for (int i = 0; i < 40; ++i) {
            QWheelEvent wheel(QPointF(400, 300), view.viewport()->mapToGlobal(QPointF(400, 300)), {}, {0, 120},
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(view.viewport(), &wheel);
        }
        QCOMPARE(view.zoom(), 4.0);
    }

    void contextMenus() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::paperTopology());
        auto actionNamed = [](QMenu* menu, const QString& prefix) -> QAction* {
            for (QAction* a : menu->actions()) {
                if (a->text().startsWith(prefix)) return a;
                if (a->menu())
                    for (QAction* sub : a->menu()->actions())
                        if (sub->text() == prefix) return sub;
            }
            return nullptr;
        };
        // On an agent: give it a tool, then delete it.
        std::unique_ptr<QMenu> menu(scene.createContextMenu({0, 160}));
        QAction* calc = actionNamed(menu.get(), "calc");
        QVERIFY(calc && calc->isCheckable() && !calc->isChecked());
        QVERIFY(actionNamed(menu.get(), "search")->isChecked());
        calc->trigger();
        QCOMPARE(scene.topology().agents[1].tools, (std::vector<std::string>{"search", "open", "calc"}));
        // On a tool node.
        const QPointF openTool = scene.toolItem(1, "open")->scenePos();
        menu.reset(scene.createContextMenu(openTool));
        actionNamed(menu.get(), "Remove tool 'open'")->trigger();
        QCOMPARE(scene.topology().agents[1].tools, (std::vector<std::string>{"search", "calc"}));
        // On the canvas.
        menu.reset(scene.createContextMenu({600, 600}));
        actionNamed(menu.get(), "Add sub-agent here")->trigger();
        QCOMPARE(scene.topology().agents.size(), size_t(3));
        menu.reset(scene.createContextMenu({0, 160}));
        actionNamed(menu.get(), "Delete agent")->trigger();
        QCOMPARE(scene.topology().agents.size(), size_t(2));
        QVERIFY(scene.topology().agents[0].delegates.empty());
    }

private:
    static void core_reset(TopologyScene& scene) {
        auto t = mgrpo::core::paperTopology();
        t.agents[0].delegates.clear();  // main and searcher, not yet connected
        t.agents[1].x = 0;
        t.agents[1].y = 200;
        scene.resetTopology(t);
    }
};

QTEST_MAIN(TstTopologyScene)
#include "tst_topology_scene.moc"
