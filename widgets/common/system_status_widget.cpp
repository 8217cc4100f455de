// SystemStatusWidget: formats versions and devices into one status-bar line
// and a per-device tooltip. Pure formatting; no queries, no timers.
#include "widgets/common/system_status_widget.h"

#include <QStringList>

namespace mgrpo::widgets {

SystemStatusWidget::SystemStatusWidget(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("systemStatus"));
    setTextFormat(Qt::PlainText);
    setContentsMargins(4, 0, 4, 0);
}

SystemStatusWidget::SystemStatusWidget(const QString& libtorchVersion, const QList<DeviceEntry>& devices,
                                       int cpuThreads, QWidget* parent)
    : SystemStatusWidget(parent) {
    setStatus(libtorchVersion, devices, cpuThreads);
}

void SystemStatusWidget::setStatus(const QString& libtorchVersion, const QList<DeviceEntry>& devices,
                                   int cpuThreads) {
    setText(statusText(libtorchVersion, devices, cpuThreads));
    QStringList lines;
    lines << tr("LibTorch %1").arg(libtorchVersion.isEmpty() ? tr("unknown") : libtorchVersion);
    for (const DeviceEntry& d : devices)
        lines << QStringLiteral("%1: %2").arg(d.id, d.description);
    setToolTip(lines.join(QLatin1Char('\n')));
}

QString SystemStatusWidget::statusText(const QString& libtorchVersion, const QList<DeviceEntry>& devices,
                                       int cpuThreads) {
    QStringList ids;
    for (const DeviceEntry& d : devices) {
        if (d.id == QLatin1String("cpu") && cpuThreads > 0)
            ids << (cpuThreads == 1 ? tr("cpu (1 thread)") : tr("cpu (%1 threads)").arg(cpuThreads));
        else
            ids << d.id;
    }
    const QString version = libtorchVersion.isEmpty() ? tr("unknown") : libtorchVersion;
    const QString deviceText = ids.isEmpty() ? tr("none") : ids.join(QStringLiteral(", "));
    return tr("LibTorch %1 \u00b7 devices: %2").arg(version, deviceText);
}

}  // namespace mgrpo::widgets
