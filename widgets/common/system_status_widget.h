// Compact status-bar label: "LibTorch 1.13.1 · devices: cpu (2 threads), cuda:0".
// The tooltip lists each device's description. Values are passed in (no core
// dependency); it does not poll or refresh by itself.
#pragma once

#include "widgets/common/machine_info.h"

#include <QLabel>

namespace mgrpo::widgets {

class SystemStatusWidget : public QLabel {
    Q_OBJECT

public:
    explicit SystemStatusWidget(QWidget* parent = nullptr);
    SystemStatusWidget(const QString& libtorchVersion, const QList<DeviceEntry>& devices, int cpuThreads = 0,
                       QWidget* parent = nullptr);

    // Replaces the text and tooltip. cpuThreads <= 0 leaves the thread count out.
    void setStatus(const QString& libtorchVersion, const QList<DeviceEntry>& devices, int cpuThreads = 0);

    // The label text for these values (what setStatus() shows).
    static QString statusText(const QString& libtorchVersion, const QList<DeviceEntry>& devices, int cpuThreads = 0);
};

}  // namespace mgrpo::widgets
