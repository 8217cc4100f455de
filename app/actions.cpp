// createActions(): standard key bindings where the platform has them, with a
// fallback so every action has a shortcut on every platform.
#include "app/actions.h"

#include <QAction>
#include <QKeySequence>
#include <QStyle>
#include <QApplication>
#include <QUndoStack>

namespace mgrpo::app {

namespace {

QAction* make(QObject* parent, const QString& text, const char* name, const QString& tip,
              QKeySequence::StandardKey standard = QKeySequence::UnknownKey, QKeySequence fallback = {}) {
    auto* a = new QAction(text, parent);
    a->setObjectName(QString::fromLatin1(name));
    a->setStatusTip(tip);
    QList<QKeySequence> keys;
    if (standard != QKeySequence::UnknownKey) keys = QKeySequence::keyBindings(standard);
    if (keys.isEmpty() && !fallback.isEmpty()) keys << fallback;
    a->setShortcuts(keys);
    return a;
}

QIcon icon(QStyle::StandardPixmap p) { return QApplication::style()->standardIcon(p); }

}  // namespace

WorkbenchActions createActions(QObject* parent, QUndoStack* undo) {
    WorkbenchActions a;
    a.newFile = make(parent, QObject::tr("&New Topology"), "newAction", QObject::tr("Start an empty topology"),
                     QKeySequence::New, QKeySequence(Qt::CTRL | Qt::Key_N));
    a.newFile->setIcon(icon(QStyle::SP_FileIcon));
    a.open = make(parent, QObject::tr("&Open\u2026"), "openAction", QObject::tr("Open a topology JSON file"),
                  QKeySequence::Open, QKeySequence(Qt::CTRL | Qt::Key_O));
    a.open->setIcon(icon(QStyle::SP_DialogOpenButton));
    a.save = make(parent, QObject::tr("&Save"), "saveAction", QObject::tr("Save the topology"), QKeySequence::Save,
                  QKeySequence(Qt::CTRL | Qt::Key_S));
    a.save->setIcon(icon(QStyle::SP_DialogSaveButton));
    a.saveAs = make(parent, QObject::tr("Save &As\u2026"), "saveAsAction",
                    QObject::tr("Save the topology under a new name"), QKeySequence::SaveAs,
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    a.templatePaper = make(parent, QObject::tr("&Paper: main + search sub-agent"), "templatePaperAction",
                           QObject::tr("The paper's setup: a planner delegating to one search sub-agent"));
    a.templateSingle = make(parent, QObject::tr("&Single agent"), "templateSingleAction",
                            QObject::tr("One agent with every tool, no delegation (plain GRPO)"));
    a.templateTwo = make(parent, QObject::tr("Main + &two specialists"), "templateTwoAction",
                         QObject::tr("A planner with a search sub-agent and an analyst sub-agent"));
    a.quit = make(parent, QObject::tr("&Quit"), "quitAction", QObject::tr("Close the workbench"), QKeySequence::Quit,
                  QKeySequence(Qt::CTRL | Qt::Key_Q));
    a.quit->setMenuRole(QAction::QuitRole);

    a.undo = undo->createUndoAction(parent, QObject::tr("&Undo"));
    a.undo->setObjectName(QStringLiteral("undoAction"));
    a.undo->setShortcuts(QKeySequence::keyBindings(QKeySequence::Undo).isEmpty()
                             ? QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Z)}
                             : QKeySequence::keyBindings(QKeySequence::Undo));
    a.undo->setIcon(icon(QStyle::SP_ArrowBack));
    a.redo = undo->createRedoAction(parent, QObject::tr("&Redo"));
    a.redo->setObjectName(QStringLiteral("redoAction"));
    a.redo->setShortcuts(QKeySequence::keyBindings(QKeySequence::Redo).isEmpty()
                             ? QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)}
                             : QKeySequence::keyBindings(QKeySequence::Redo));
    a.redo->setIcon(icon(QStyle::SP_ArrowForward));
    a.del = make(parent, QObject::tr("&Delete"), "deleteAction",
                 QObject::tr("Delete the selected agents, tools and connections"), QKeySequence::Delete,
                 QKeySequence(Qt::Key_Delete));
    a.del->setIcon(icon(QStyle::SP_TrashIcon));
    a.selectAll = make(parent, QObject::tr("Select &All"), "selectAllAction", QObject::tr("Select every node"),
                       QKeySequence::SelectAll, QKeySequence(Qt::CTRL | Qt::Key_A));

    a.zoomIn = make(parent, QObject::tr("Zoom &In"), "zoomInAction", QObject::tr("Magnify the canvas"),
                    QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Plus));
    a.zoomOut = make(parent, QObject::tr("Zoom &Out"), "zoomOutAction", QObject::tr("Shrink the canvas"),
                     QKeySequence::ZoomOut, QKeySequence(Qt::CTRL | Qt::Key_Minus));
    a.zoomFit = make(parent, QObject::tr("Zoom to &Fit"), "zoomFitAction", QObject::tr("Show every node"),
                     QKeySequence::UnknownKey, QKeySequence(Qt::CTRL | Qt::Key_0));
    a.autoLayout = make(parent, QObject::tr("Auto-&Layout"), "autoLayoutAction",
                        QObject::tr("Arrange the hierarchy as a top-down tree"), QKeySequence::UnknownKey,
                        QKeySequence(Qt::CTRL | Qt::Key_L));
    a.snapToGrid = make(parent, QObject::tr("Snap to &Grid"), "snapToGridAction",
                        QObject::tr("Moved nodes land on the 20-pixel grid"));
    a.snapToGrid->setCheckable(true);
    a.snapToGrid->setChecked(true);

    a.runStart = make(parent, QObject::tr("&Run Experiment"), "runStartAction",
                      QObject::tr("Train the designed topology with the Launch dock's settings (queued if a run is training)"),
                      QKeySequence::UnknownKey, QKeySequence(Qt::Key_F5));
    a.runStart->setIcon(icon(QStyle::SP_MediaPlay));
    a.runPause = make(parent, QObject::tr("&Pause"), "runPauseAction",
                      QObject::tr("Pause the training run after its current step"), QKeySequence::UnknownKey,
                      QKeySequence(Qt::Key_F6));
    a.runPause->setIcon(icon(QStyle::SP_MediaPause));
    a.runResume = make(parent, QObject::tr("Res&ume"), "runResumeAction", QObject::tr("Continue the paused run"),
                       QKeySequence::UnknownKey, QKeySequence(Qt::SHIFT | Qt::Key_F6));
    a.runResume->setIcon(icon(QStyle::SP_MediaSeekForward));
    a.runStop = make(parent, QObject::tr("&Stop"), "runStopAction",
                     QObject::tr("Finish the current step, checkpoint and stop (resumable from History)"),
                     QKeySequence::UnknownKey, QKeySequence(Qt::SHIFT | Qt::Key_F5));
    a.runStop->setIcon(icon(QStyle::SP_MediaStop));
    for (QAction* act : {a.runPause, a.runResume, a.runStop}) act->setEnabled(false);

    a.about = make(parent, QObject::tr("&About M-GRPO Workbench..."), "aboutAction",
                   QObject::tr("Versions, devices and what M-GRPO is"));
    a.about->setMenuRole(QAction::AboutRole);
    a.aboutQt = make(parent, QObject::tr("About &Qt"), "aboutQtAction", QObject::tr("Qt's version and licence"));
    a.aboutQt->setMenuRole(QAction::AboutQtRole);
    return a;
}

}  // namespace mgrpo::app
