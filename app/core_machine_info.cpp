// machineInfoFromCore(): converts core's std::string facts (versions, devices)
// into widgets::MachineInfo. Calls only the torch-free system_info.h API.
#include "app/core_machine_info.h"

#include "core/system/system_info.h"

namespace mgrpo::app {

widgets::MachineInfo machineInfoFromCore(int cpuThreads) {
    widgets::MachineInfo info;
    info.workbenchVersion = QString::fromStdString(core::workbenchVersion());
    info.libtorchVersion = QString::fromStdString(core::libtorchVersion());
    for (const core::DeviceInfo& d : core::availableDevices())
        info.devices.append({QString::fromStdString(d.id), QString::fromStdString(d.description)});
    info.cpuThreads = cpuThreads;
    return info;
}

}  // namespace mgrpo::app
