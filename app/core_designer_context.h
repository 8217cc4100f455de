// Bridge from core to the designer: the validator's context (the built-in tool
// registry and the tokenizer's delegation names), each tool's description and
// the devices. Uses only torch-free core headers.
#pragma once

#include "widgets/common/machine_info.h"
#include "widgets/topology/designer_context.h"

namespace mgrpo::app {

widgets::DesignerContext designerContextFromCore(const widgets::MachineInfo& machine);

}  // namespace mgrpo::app
