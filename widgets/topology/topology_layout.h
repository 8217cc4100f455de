// Where things go on the designer canvas, as pure functions of a Topology:
// node sizes, tool-node positions (derived, never stored) and the top-down
// auto-layout of the delegation tree. No Qt items here, so tests can check it.
#pragma once

#include "core/agents/topology.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <vector>

namespace mgrpo::widgets::layout {

inline constexpr double kGrid = 20;            // snap-to-grid step
inline constexpr QSizeF kAgentSize{184, 76};   // agent node, centred on AgentSpec::x/y
inline constexpr QSizeF kToolSize{78, 26};     // tool node
inline constexpr double kToolGap = 10;         // between tool nodes of one agent
inline constexpr double kLevelGap = 200;       // vertical distance between tree levels (auto-layout)

// Centre of tool `toolIndex` of agent `agent`: a row under a leaf agent, a
// column on the left of an agent that delegates (its bottom edge carries the
// delegation edges).
QPointF toolCentre(const core::AgentSpec& agent, int toolIndex);
// Bounding rectangle of an agent together with its tool nodes.
QRectF agentFootprint(const core::AgentSpec& agent);

// Rounds to the nearest grid point.
QPointF snapToGrid(QPointF p);

// Top-down tree: the main agent on top, each delegate one level below its
// first caller, siblings side by side wide enough for their tool rows; agents
// nobody reaches go on a last row. Returns new x/y for every agent, in order.
std::vector<QPointF> autoLayout(const core::Topology& topology);

}  // namespace mgrpo::widgets::layout
