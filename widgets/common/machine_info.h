// Plain Qt value types describing the machine the workbench runs on (versions,
// devices, threads). The app fills them from core; widgets only read them, which
// keeps widgets free of core/LibTorch and lets tests build them by hand.
#pragma once

#include <QList>
#include <QString>

namespace mgrpo::widgets {

// One compute device, as core::DeviceInfo reports it.
struct DeviceEntry {
    QString id;           // "cpu", "cuda:0", ...: what configs and --device take
    QString description;  // human text, e.g. "CPU (2 threads)"
};

// Everything the About dialog and the status bar show about this machine.
struct MachineInfo {
    QString workbenchVersion;   // e.g. "0.1.0"
    QString libtorchVersion;    // e.g. "1.13.1"
    QList<DeviceEntry> devices; // "cpu" first, then "cuda:N"
    int cpuThreads = 0;         // LibTorch intra-op threads; 0 = unknown
};

}  // namespace mgrpo::widgets
