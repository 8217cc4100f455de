// What the designer checks and offers besides the topology itself: the core
// validator's context (known tools, delegation names), the tools the palette
// shows with a line each, and the devices an agent may run on. The app fills it
// from core (app/core_designer_context.*); tests may build it by hand.
#pragma once

#include "core/agents/topology.h"
#include "widgets/common/machine_info.h"

#include <QList>
#include <QString>

namespace mgrpo::widgets {

struct ToolEntry {
    QString name;         // what AgentSpec::tools holds, e.g. "search"
    QString description;  // one line for people (palette tooltip, inspector)
};

struct DesignerContext {
    core::ValidationContext validation;  // what validateTopology checks against
    QList<ToolEntry> tools;              // the palette's tools, in registry order
    QList<DeviceEntry> devices;          // "cpu" first, then "cuda:N"
};

}  // namespace mgrpo::widgets
