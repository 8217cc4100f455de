// Tests for widgets::AgentInspector: it shows the selected agent's values,
// each committed field is one undoable edit of exactly that field (a rename
// also renames the delegation), tools are toggled from a checklist, devices
// come from the context, and with nothing selected it edits the topology name.
#include "designer_test_support.h"
#include "widgets/topology/agent_inspector.h"
#include "widgets/topology/topology_scene.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QUndoStack>
#include <QtTest>

using mgrpo::widgets::AgentInspector;
using mgrpo::widgets::TopologyScene;

class TstAgentInspector : public QObject {
    Q_OBJECT

private slots:
    void showsTheSelectedAgent() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::paperTopology());
        AgentInspector inspector(&scene);
        QCOMPARE(inspector.agentIndex(), -1);
        scene.selectAgent(1);
        QCOMPARE(inspector.agentIndex(), 1);
        const auto& a = mgrpo::core::paperTopology().agents[1];
        QCOMPARE(inspector.findChild<QLineEdit*>("idField")->text().toStdString(), a.id);
        QCOMPARE(inspector.findChild<QSpinBox*>("model_d_modelField")->value(), a.model.dModel);
        QCOMPARE(inspector.findChild<QSpinBox*>("model_context_lengthField")->value(), a.model.contextLength);
        QCOMPARE(inspector.findChild<QSpinBox*>("max_turnsField")->value(), a.maxTurns);
        auto* device = inspector.findChild<QComboBox*>("deviceField");
        QCOMPARE(device->count(), 2);  // the context's devices
        QCOMPARE(device->itemData(1).toString(), QStringLiteral("cuda:0"));
        QCOMPARE(device->currentData().toString(), QStringLiteral("cpu"));
        auto* tools = inspector.findChild<QListWidget*>("toolsField");
        QCOMPARE(tools->count(), 3);  // every registry tool, checked where the agent has it
        QStringList checked;
        for (int i = 0; i < tools->count(); ++i)
            if (tools->item(i)->checkState() == Qt::Checked) checked << tools->item(i)->text();
        QCOMPARE(checked, (QStringList{"search", "open"}));
    }

    void eachFieldIsOneUndoableEdit() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::paperTopology());
        AgentInspector inspector(&scene);
        scene.selectAgent(1);
        const std::string original = dumpOf(scene.topology());

        inspector.findChild<QSpinBox*>("max_turnsField")->setValue(12);
        QCOMPARE(scene.topology().agents[1].maxTurns, 12);
        auto* lrScale = inspector.findChild<QDoubleSpinBox*>("learning_rate_scaleField");
        lrScale->setValue(0.25);
        QCOMPARE(scene.topology().agents[1].learningRateScale, 0.25);
        inspector.findChild<QCheckBox*>("trainedField")->setChecked(false);
        QVERIFY(!scene.topology().agents[1].trained);
        QVERIFY(!lrScale->isEnabled());  // a frozen agent has no optimizer to scale
        auto* device = inspector.findChild<QComboBox*>("deviceField");
        device->setCurrentIndex(1);
        QCOMPARE(scene.topology().agents[1].device, std::string("cuda:0"));
        auto* tools = inspector.findChild<QListWidget*>("toolsField");
        tools->item(2)->setCheckState(Qt::Checked);  // calc
        QTRY_COMPARE(scene.topology().agents[1].tools, (std::vector<std::string>{"search", "open", "calc"}));
        const bool smear = scene.topology().agents[1].model.keySmear;
        inspector.findChild<QCheckBox*>("model_key_smearField")->setChecked(!smear);
        QCOMPARE(scene.topology().agents[1].model.keySmear, !smear);
        QCOMPARE(scene.undoStack()->count(), 6);
        // Only the edited fields changed.
        auto expected = mgrpo::core::paperTopology();
        expected.agents[1].maxTurns = 12;
        expected.agents[1].learningRateScale = 0.25;
        expected.agents[1].trained = false;
        expected.agents[1].device = "cuda:0";
        expected.agents[1].tools.push_back("calc");
        expected.agents[1].model.keySmear = !smear;
        QCOMPARE(dumpOf(scene.topology()), dumpOf(expected));

        // Rename: the main agent's delegation follows; invalid characters are not accepted.
        auto* id = inspector.findChild<QLineEdit*>("idField");
        id->selectAll();
        id->setFocus();
        QTest::keyClicks(id, "agent2 x!");
        QCOMPARE(id->text(), QStringLiteral("agent2x"));
        QTest::keyClick(id, Qt::Key_Backspace);
        QTest::keyClick(id, Qt::Key_Return);
        QCOMPARE(scene.topology().agents[1].id, std::string("agent2"));
        QCOMPARE(scene.topology().agents[0].delegates, std::vector<std::string>{"agent2"});
        QVERIFY(scene.problems().empty());
        // The inspector follows undo; undoing everything restores the template exactly.
        while (scene.undoStack()->canUndo()) scene.undoStack()->undo();
        QCOMPARE(dumpOf(scene.topology()), original);
        scene.selectAgent(1);
        QCOMPARE(inspector.findChild<QSpinBox*>("max_turnsField")->value(), 8);
        QCOMPARE(id->text(), QStringLiteral("searcher"));
    }

    void unknownDeviceStaysVisibleAndMarked() {
        TopologyScene scene(testDesignerContext());
        auto t = mgrpo::core::paperTopology();
        t.agents[0].device = "tpu";
        scene.resetTopology(t);
        AgentInspector inspector(&scene);
        scene.selectAgent(0);
        auto* device = inspector.findChild<QComboBox*>("deviceField");
        QCOMPARE(device->currentData().toString(), QStringLiteral("tpu"));
        QVERIFY(device->currentText().contains("not on this machine"));
        QVERIFY(inspector.fieldMarked("device"));
        QVERIFY(!inspector.fieldMarked("max_turns"));
        device->setCurrentIndex(0);
        QCOMPARE(scene.topology().agents[0].device, std::string("cpu"));
        QVERIFY(!inspector.fieldMarked("device"));
    }

    void topologyNameWhenNothingIsSelected() {
        TopologyScene scene(testDesignerContext());
        scene.resetTopology(mgrpo::core::singleAgentTopology());
        AgentInspector inspector(&scene);
        auto* name = inspector.findChild<QLineEdit*>("topologyNameField");
        QCOMPARE(name->text().toStdString(), mgrpo::core::singleAgentTopology().name);
        name->setText("my planner");
        emit name->editingFinished();
        QCOMPARE(scene.topology().name, std::string("my planner"));
        scene.undoStack()->undo();
        QCOMPARE(name->text().toStdString(), mgrpo::core::singleAgentTopology().name);
    }
};

QTEST_MAIN(TstAgentInspector)
#include "tst_agent_inspector.moc"
