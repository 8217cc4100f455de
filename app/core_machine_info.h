// Bridge from core to widgets: fills widgets::MachineInfo (plain Qt values) from
// core/system/system_info.h. The only place in the app that asks core about the
// machine, so widgets stay core-free and tests can compare against core directly.
#pragma once

#include "widgets/common/machine_info.h"

namespace mgrpo::app {

// Versions and devices as core reports them; cpuThreads is what
// core::configureThreads() returned (0 = unknown).
widgets::MachineInfo machineInfoFromCore(int cpuThreads);

}  // namespace mgrpo::app
