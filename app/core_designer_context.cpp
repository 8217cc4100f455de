// designerContextFromCore(): core::builtinValidationContext() plus the tool
// registry's descriptions; devices come from MachineInfo (already from core).
#include "app/core_designer_context.h"

#include "core/agents/env_task.h"
#include "core/env/tools.h"

namespace mgrpo::app {

widgets::DesignerContext designerContextFromCore(const widgets::MachineInfo& machine) {
    widgets::DesignerContext ctx;
    ctx.validation = core::builtinValidationContext();
    for (const auto& tool : core::env::ToolRegistry::builtin().tools())
        ctx.tools.append({QString::fromStdString(tool->name()), QString::fromStdString(tool->describe())});
    ctx.devices = machine.devices;
    if (ctx.devices.isEmpty()) ctx.devices.append({QStringLiteral("cpu"), QStringLiteral("CPU")});
    return ctx;
}

}  // namespace mgrpo::app
