#include "app/worker_executable.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace mgrpo::app {

namespace {
bool isExecutableFile(const QString& path) {
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}
}  // namespace

QString WorkerExecutable::error() const {
    if (!path.isEmpty()) return {};
    if (fromEnvironment)
        return QStringLiteral("decoupled training starts `mgrpo serve` worker processes, but MGRPO_CLI names '%1', "
                              "which is not an executable file")
            .arg(tried.value(0));
    return QStringLiteral("decoupled training starts `mgrpo serve` worker processes, but no mgrpo executable was "
                          "found (looked for %1); build or install the mgrpo command, or set MGRPO_CLI to its path")
        .arg(tried.join(QStringLiteral(", ")));
}

WorkerExecutable findWorkerExecutable() {
    WorkerExecutable found;
    // An explicit choice is the only candidate: falling back would hide a typo.
    if (const QString env = qEnvironmentVariable("MGRPO_CLI"); !env.isEmpty()) {
        found.fromEnvironment = true;
        found.tried << env;
        if (isExecutableFile(env)) found.path = QFileInfo(env).absoluteFilePath();
        return found;
    }
    const QDir here(QCoreApplication::applicationDirPath());
    // Installed side by side; in the build tree app/ and cli/ are siblings.
    const QStringList candidates{here.filePath(QStringLiteral("mgrpo")), here.filePath(QStringLiteral("../cli/mgrpo"))};
    for (const QString& candidate : candidates) {
        const QString path = QDir::cleanPath(candidate);
        found.tried << path;
        if (isExecutableFile(path)) {
            found.path = path;
            break;
        }
    }
    return found;
}

}  // namespace mgrpo::app
