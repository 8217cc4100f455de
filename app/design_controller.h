// The designer's document: which file the topology came from, whether it has
// unsaved changes (the undo stack's clean state), open / save / save as, the
// templates, recent files (QSettings) and the unsaved-changes prompt. Errors
// come back as signals with a message naming the file and the problem; the
// current document is never replaced by a file that cannot be read.
#pragma once

#include "widgets/topology/designer_context.h"

#include <QMessageBox>
#include <QObject>
#include <QStringList>

#include <functional>

namespace mgrpo::widgets {
class TopologyScene;
}

namespace mgrpo::app {

class DesignController : public QObject {
    Q_OBJECT

public:
    enum class Template { Paper, SingleAgent, TwoSpecialists };

    DesignController(widgets::DesignerContext context, QWidget* dialogParent, QObject* parent = nullptr);

    widgets::TopologyScene* scene() const { return m_scene; }
    QString currentPath() const { return m_path; }
    bool isModified() const;
    // "paper.json", or "untitled" before the first save.
    QString documentName() const;
    QStringList recentFiles() const;

    // Asks Save / Discard / Cancel when there are unsaved changes; true = go on.
    bool maybeSave();
    // Dialog hooks, replaceable by tests (default: QMessageBox / QFileDialog).
    std::function<QMessageBox::StandardButton()> askSaveChanges;
    std::function<QString(bool forSaving)> askPath;

public slots:
    void newDocument();
    void loadTemplate(Template which);
    // Opens without asking (callers ask maybeSave first). False: nothing changed, loadFailed emitted.
    bool openFile(const QString& path);
    bool openWithDialog();
    bool save();
    bool saveAs(const QString& path);
    bool saveAsWithDialog();

signals:
    void documentChanged();                          // path or modified flag
    void statusMessage(const QString& text);
    void loadFailed(const QString& message);         // file that could not be read
    void loadSucceeded();
    void recentFilesChanged();

private:
    void addRecent(const QString& path);

    QWidget* m_dialogParent;
    widgets::TopologyScene* m_scene;
    QString m_path;
};

// The templates as core defines them.
core::Topology templateTopology(DesignController::Template which);

}  // namespace mgrpo::app
