// DesignController: file I/O with nlohmann::json's own parse message (line and
// column), core::topologyFromJson for structure, and the validator for meaning.
#include "app/design_controller.h"

#include "widgets/topology/topology_scene.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QUndoStack>

namespace mgrpo::app {

namespace {
const QString kRecentKey = QStringLiteral("designer/recentFiles");
constexpr int kMaxRecent = 8;
}  // namespace

core::Topology templateTopology(DesignController::Template which) {
    switch (which) {
        case DesignController::Template::Paper: return core::paperTopology();
        case DesignController::Template::SingleAgent: return core::singleAgentTopology();
        case DesignController::Template::TwoSpecialists: return core::twoSpecialistTopology();
    }
    return core::paperTopology();
}

DesignController::DesignController(widgets::DesignerContext context, QWidget* dialogParent, QObject* parent)
    : QObject(parent), m_dialogParent(dialogParent), m_scene(new widgets::TopologyScene(std::move(context), this)) {
    askSaveChanges = [this] {
        return QMessageBox::warning(m_dialogParent, tr("Unsaved changes"),
                                    tr("The topology '%1' has unsaved changes. Save them?").arg(documentName()),
                                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
    askPath = [this](bool forSaving) {
        const QString filter = tr("Topology JSON (*.json);;All files (*)");
        return forSaving ? QFileDialog::getSaveFileName(m_dialogParent, tr("Save topology"),
                                                        m_path.isEmpty() ? QStringLiteral("topology.json") : m_path, filter)
                         : QFileDialog::getOpenFileName(m_dialogParent, tr("Open topology"), QFileInfo(m_path).path(), filter);
    };
    connect(m_scene->undoStack(), &QUndoStack::cleanChanged, this, &DesignController::documentChanged);
    connect(m_scene, &widgets::TopologyScene::statusMessage, this, &DesignController::statusMessage);
}

bool DesignController::isModified() const { return !m_scene->undoStack()->isClean(); }

QString DesignController::documentName() const {
    return m_path.isEmpty() ? tr("untitled") : QFileInfo(m_path).fileName();
}

QStringList DesignController::recentFiles() const { return QSettings().value(kRecentKey).toStringList(); }

void DesignController::addRecent(const QString& path) {
    QStringList list = recentFiles();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent) list.removeLast();
    QSettings().setValue(kRecentKey, list);
    emit recentFilesChanged();
}

bool DesignController::maybeSave() {
    if (!isModified()) return true;
    switch (askSaveChanges()) {
        case QMessageBox::Save: return save();
        case QMessageBox::Discard: return true;
        default: return false;
    }
}

void DesignController::newDocument() {
    core::Topology t;
    t.name = tr("untitled").toStdString();
    m_scene->resetTopology(t);
    m_path.clear();
    emit documentChanged();
    emit statusMessage(tr("New topology: drag a main agent from the palette, or start from a template"));
}

void DesignController::loadTemplate(Template which) {
    m_scene->resetTopology(templateTopology(which));
    m_path.clear();
    emit documentChanged();
    emit statusMessage(tr("Template '%1' loaded").arg(QString::fromStdString(m_scene->topology().name)));
}

bool DesignController::openFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        emit loadFailed(tr("Cannot open '%1': %2").arg(path, file.errorString()));
        return false;
    }
    const QByteArray bytes = file.readAll();
    core::Topology topology;
    try {
        const nlohmann::json json = nlohmann::json::parse(bytes.begin(), bytes.end());
        topology = core::topologyFromJson(json);
    } catch (const nlohmann::json::parse_error& e) {
        // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
        QString what = QString::fromUtf8(e.what());
        what.remove(QRegularExpression(QStringLiteral("^\\[json\\.exception\\.[a-z_]+\\.\\d+\\]\\s*")));
        emit loadFailed(tr("'%1' is not valid JSON: %2").arg(path, what));
        return false;
    } catch (const std::exception& e) {
        emit loadFailed(tr("'%1' is not a topology: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    m_scene->resetTopology(topology);
    m_path = path;
    addRecent(path);
    emit documentChanged();
    emit loadSucceeded();
    const int problems = static_cast<int>(m_scene->problems().size());
    emit statusMessage(problems ? tr("Opened %1 with %n problem(s), listed under Problems", nullptr, problems).arg(path)
                                : tr("Opened %1").arg(path));
    return true;
}

bool DesignController::openWithDialog() {
    if (!maybeSave()) return false;
    const QString path = askPath(false);
    return !path.isEmpty() && openFile(path);
}

bool DesignController::save() { return m_path.isEmpty() ? saveAsWithDialog() : saveAs(m_path); }

bool DesignController::saveAs(const QString& path) {
    const std::string text = core::toJson(m_scene->topology()).dump(2) + "\n";
    QSaveFile file(path);  // written to a temporary file and renamed: never half a file
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !file.commit()) {
        emit statusMessage(tr("Cannot save '%1': %2").arg(path, file.errorString()));
        return false;
    }
    m_path = path;
    m_scene->undoStack()->setClean();
    addRecent(path);
    emit documentChanged();
    const int problems = static_cast<int>(m_scene->problems().size());
    emit statusMessage(problems ? tr("Saved %1 (it still has %n problem(s))", nullptr, problems).arg(path)
                                : tr("Saved %1").arg(path));
    return true;
}

bool DesignController::saveAsWithDialog() {
    const QString path = askPath(true);
    return !path.isEmpty() && saveAs(path);
}

}  // namespace mgrpo::app
