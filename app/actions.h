// Every QAction of the main window, created in one place with its text,
// standard shortcut, status tip and object name (tests find them by name).
// Menus and toolbars are assembled from these in MainWindow.
#pragma once

#include <QList>

class QAction;
class QObject;
class QUndoStack;

namespace mgrpo::app {

struct WorkbenchActions {
    // File
    QAction* newFile = nullptr;
    QAction* open = nullptr;
    QAction* save = nullptr;
    QAction* saveAs = nullptr;
    QAction* templatePaper = nullptr;
    QAction* templateSingle = nullptr;
    QAction* templateTwo = nullptr;
    QAction* quit = nullptr;
    // Edit (undo/redo follow the designer's undo stack)
    QAction* undo = nullptr;
    QAction* redo = nullptr;
    QAction* del = nullptr;
    QAction* selectAll = nullptr;
    // View / designer
    QAction* zoomIn = nullptr;
    QAction* zoomOut = nullptr;
    QAction* zoomFit = nullptr;
    QAction* autoLayout = nullptr;
    QAction* snapToGrid = nullptr;
    // Run (the experiment in the Launch dock; see RunController)
    QAction* runStart = nullptr;
    QAction* runPause = nullptr;
    QAction* runResume = nullptr;
    QAction* runStop = nullptr;
    // Help
    QAction* about = nullptr;
    QAction* aboutQt = nullptr;
};

WorkbenchActions createActions(QObject* parent, QUndoStack* undoStack);

}  // namespace mgrpo::app
