// Tests for app::DesignController: save/open round trip (the file is exactly
// core's JSON and loads back identically), templates equal core's, a bad-JSON
// file reports file and parse position and changes nothing, a valid-JSON but
// invalid topology opens with its problems listed, a structurally broken one
// names the field, recent files, and the unsaved-changes prompt.
#include "app/design_controller.h"
#include "designer_test_support.h"
#include "widgets/topology/topology_scene.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using mgrpo::app::DesignController;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TstTopologyFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("settings"));
        QCoreApplication::setOrganizationName(QStringLiteral("M-GRPO-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_topology_files"));
    }

    void templatesAreCores() {
        DesignController c(testDesignerContext(), nullptr);
        const std::pair<DesignController::Template, mgrpo::core::Topology> cases[] = {
            {DesignController::Template::Paper, mgrpo::core::paperTopology()},
            {DesignController::Template::SingleAgent, mgrpo::core::singleAgentTopology()},
            {DesignController::Template::TwoSpecialists, mgrpo::core::twoSpecialistTopology()},
        };
        for (const auto& [which, expected] : cases) {
            c.loadTemplate(which);
            QCOMPARE(c.scene()->topologyJson().dump(), mgrpo::core::toJson(expected).dump());
            QVERIFY(!c.isModified());
            QVERIFY(c.currentPath().isEmpty());
            QCOMPARE(c.scene()->undoStack()->count(), 0);
        }
    }

    void saveOpenRoundTrip() {
        DesignController c(testDesignerContext(), nullptr);
        c.loadTemplate(DesignController::Template::TwoSpecialists);
        auto* scene = c.scene();
        scene->addTool(2, "search");
        auto a = scene->topology().agents[1];
        a.trained = false;
        a.device = "cuda:0";
        a.checkpoint = "runs/warm/searcher";
        a.sampling.topP = 0.9;
        a.x = 37.5;  // off-grid positions survive too
        scene->updateAgent(1, a);
        QVERIFY(c.isModified());
        const QString path = m_dir.filePath("two.json");
        QVERIFY(c.saveAs(path));
        QVERIFY(!c.isModified());
        QCOMPARE(c.currentPath(), path);
        QCOMPARE(c.documentName(), QStringLiteral("two.json"));

        // The file is core's JSON of the topology, and core reads it back equal.
        const QByteArray bytes = readFile(path);
        QCOMPARE(bytes.toStdString(), mgrpo::core::toJson(scene->topology()).dump(2) + "\n");
        QCOMPARE(mgrpo::core::loadTopologyFile(path.toStdString()), scene->topology());

        // A second controller opens it identically, and saving again changes no byte.
        DesignController d(testDesignerContext(), nullptr);
        QVERIFY(d.openFile(path));
        QCOMPARE(d.scene()->topology(), scene->topology());
        QVERIFY(!d.isModified());
        const QString again = m_dir.filePath("again.json");
        QVERIFY(d.saveAs(again));
        QCOMPARE(readFile(again), bytes);
        QCOMPARE(d.recentFiles().front(), QFileInfo(again).absoluteFilePath());
        QCOMPARE(d.recentFiles().at(1), QFileInfo(path).absoluteFilePath());
    }

    void badJsonChangesNothing() {
        DesignController c(testDesignerContext(), nullptr);
        c.loadTemplate(DesignController::Template::Paper);
        c.scene()->addTool(1, "calc");
        const std::string before = c.scene()->topologyJson().dump();
        const QString path = m_dir.filePath("broken.json");
        writeFile(path, "{\n  \"name\": \"x\",\n  \"agents\": [ {\"id\": \"main\",, } ]\n}\n");
        QSignalSpy failed(&c, &DesignController::loadFailed);
        QVERIFY(!c.openFile(path));
        QCOMPARE(failed.count(), 1);
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(path), qPrintable(message));
        QVERIFY2(message.contains("not valid JSON"), qPrintable(message));
        QVERIFY2(message.contains("line 3"), qPrintable(message));  // nlohmann's parse position
        // Nothing lost: same topology, still modified, same (empty) path.
        QCOMPARE(c.scene()->topologyJson().dump(), before);
        QVERIFY(c.isModified());
        QVERIFY(c.currentPath().isEmpty());

        QVERIFY(!c.openFile(m_dir.filePath("missing.json")));
        QVERIFY(failed.at(1).at(0).toString().contains("missing.json"));
    }

    void wrongStructureNamesTheField() {
        DesignController c(testDesignerContext(), nullptr);
        const QString path = m_dir.filePath("role.json");
        writeFile(path, R"({"name": "t", "agents": [{"id": "main", "role": "boss"}]})");
        QSignalSpy failed(&c, &DesignController::loadFailed);
        QVERIFY(!c.openFile(path));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(path) && message.contains("role") && message.contains("boss"), qPrintable(message));
    }

    void invalidTopologyOpensWithProblems() {
        auto t = mgrpo::core::paperTopology();
        t.agents[1].role = mgrpo::core::AgentRole::Main;      // two mains
        t.agents[0].delegates.push_back("nobody");           // dangling
        t.agents[1].tools.push_back("browse");               // unknown tool
        const QString path = m_dir.filePath("invalid.json");
        mgrpo::core::saveTopologyFile(t, path.toStdString());
        DesignController c(testDesignerContext(), nullptr);
        QSignalSpy ok(&c, &DesignController::loadSucceeded);
        QVERIFY(c.openFile(path));
        QCOMPARE(ok.count(), 1);
        QCOMPARE(c.scene()->topology(), t);
        const auto expected = mgrpo::core::validateTopology(t, mgrpo::core::builtinValidationContext());
        QCOMPARE(c.scene()->problems().size(), expected.size());
        QVERIFY(expected.size() >= 4);
    }

    void shippedBrokenExampleListsEveryProblem() {
        // The file behind docs/designer-broken.png: four problems, each on its node.
        const QString path = QFINDTESTDATA("data/broken_topology.json");
        QVERIFY(!path.isEmpty());
        DesignController c(testDesignerContext(), nullptr);
        QVERIFY(c.openFile(path));
        const auto expected = mgrpo::core::validateTopology(mgrpo::core::loadTopologyFile(path.toStdString()),
                                                            mgrpo::core::builtinValidationContext());
        QCOMPARE(c.scene()->problems().size(), expected.size());
        QCOMPARE(expected.size(), size_t(4));
        for (const auto& p : expected) {
            const int index = c.scene()->indexOf(QString::fromStdString(p.agentId));
            QVERIFY(index >= 0);
            QVERIFY(c.scene()->problemsOf(index).join('\n').contains(QString::fromStdString(p.message)));
        }
    }

    void unsavedChangesPrompt() {
        DesignController c(testDesignerContext(), nullptr);
        c.loadTemplate(DesignController::Template::Paper);
        int asked = 0;
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        c.askSaveChanges = [&] {
            ++asked;
            return answer;
        };
        QVERIFY(c.maybeSave());  // nothing changed: no question
        QCOMPARE(asked, 0);
        c.scene()->addTool(0, "search");
        QVERIFY(!c.maybeSave());  // Cancel
        QCOMPARE(asked, 1);
        answer = QMessageBox::Discard;
        QVERIFY(c.maybeSave());
        // Save with no path asks for one; an empty answer (dialog cancelled) does not go on.
        answer = QMessageBox::Save;
        c.askPath = [](bool) { return QString(); };
        QVERIFY(!c.maybeSave());
        const QString path = m_dir.filePath("prompt.json");
        c.askPath = [&](bool forSaving) { return forSaving ? path : QString(); };
        QVERIFY(c.maybeSave());
        QVERIFY(!c.isModified());
        QCOMPARE(mgrpo::core::loadTopologyFile(path.toStdString()), c.scene()->topology());
        // Undo after saving makes it modified again; redo returns to the saved state.
        c.scene()->undoStack()->undo();
        QVERIFY(c.isModified());
        c.scene()->undoStack()->redo();
        QVERIFY(!c.isModified());
    }
};

QTEST_MAIN(TstTopologyFiles)
#include "tst_topology_files.moc"
