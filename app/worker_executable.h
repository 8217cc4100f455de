// Where the workbench finds the `mgrpo` executable that a decoupled run starts
// as its worker processes (`mgrpo serve --role sub:<agent> ...`): $MGRPO_CLI
// when set, else next to the workbench (an install), else the build tree's
// ../cli/mgrpo. Qt-only; the core only gets the resulting path.
#pragma once

#include <QString>
#include <QStringList>

namespace mgrpo::app {

struct WorkerExecutable {
    QString path;       // empty when none was found
    QStringList tried;  // every place looked at, in order
    bool fromEnvironment = false;
    // Why `path` is empty, naming what was looked for ("" when found).
    QString error() const;
};

// Looks now (call on the UI thread: it reads the application's directory).
WorkerExecutable findWorkerExecutable();

}  // namespace mgrpo::app
