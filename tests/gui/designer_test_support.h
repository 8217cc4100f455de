// Shared by the designer tests: the DesignerContext the app would build, made
// here straight from core (builtin validation context and tool registry).
#pragma once

#include "core/agents/env_task.h"
#include "core/env/tools.h"
#include "widgets/topology/designer_context.h"

inline mgrpo::widgets::DesignerContext testDesignerContext() {
    mgrpo::widgets::DesignerContext ctx;
    ctx.validation = mgrpo::core::builtinValidationContext();
    for (const auto& tool : mgrpo::core::env::ToolRegistry::builtin().tools())
        ctx.tools.append({QString::fromStdString(tool->name()), QString::fromStdString(tool->describe())});
    ctx.devices = {{QStringLiteral("cpu"), QStringLiteral("CPU")}, {QStringLiteral("cuda:0"), QStringLiteral("GPU 0")}};
    return ctx;
}

inline std::string dumpOf(const mgrpo::core::Topology& t) { return mgrpo::core::toJson(t).dump(); }
