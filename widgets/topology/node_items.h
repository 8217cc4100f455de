// The designer's graphics items: agent nodes (with an out-port to drag
// connections from), tool nodes, delegation and may-call edges, and the ghost
// node a dangling delegation points at. Items only draw what they are given;
// TopologyScene owns them and turns user gestures into topology edits.
#pragma once

#include "core/agents/topology.h"

#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QStringList>

namespace mgrpo::widgets {

enum ItemType {
    kAgentItemType = QGraphicsItem::UserType + 1,
    kToolItemType,
    kPortItemType,
    kDelegationEdgeType,
    kGhostItemType,
};

// The small circle under an agent: drag from it to connect.
class PortItem : public QGraphicsEllipseItem {
public:
    explicit PortItem(QGraphicsItem* parent);
    int type() const override { return kPortItemType; }
};

class AgentNodeItem : public QGraphicsItem {
public:
    AgentNodeItem();
    int type() const override { return kAgentItemType; }

    // Index into Topology::agents and what to draw; `problems` are the lines shown
    // in the tooltip (a red outline when non-empty). Rebuilds the tool nodes.
    void setAgent(int index, const core::AgentSpec& agent, const QStringList& problems,
                  const std::vector<std::string>& knownTools);
    int index() const { return m_index; }
    const core::AgentSpec& agent() const { return m_agent; }
    const QStringList& problems() const { return m_problems; }
    bool hasProblems() const { return !m_problems.isEmpty(); }
    PortItem* outPort() const { return m_outPort; }
    QPointF inPortScenePos() const;   // where incoming delegation edges end
    QPointF outPortScenePos() const;  // where outgoing delegation edges start

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    int m_index = -1;
    core::AgentSpec m_agent;
    QStringList m_problems;
    PortItem* m_outPort = nullptr;
    QList<QGraphicsItem*> m_toolChildren;  // tool nodes and their edges
};

// A tool an agent may call, drawn near that agent (child of its node).
class ToolNodeItem : public QGraphicsItem {
public:
    ToolNodeItem(const QString& tool, bool known, QGraphicsItem* parent);
    int type() const override { return kToolItemType; }
    const QString& tool() const { return m_tool; }
    bool isKnown() const { return m_known; }
    int agentIndex() const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QString m_tool;
    bool m_known;
};

// "delegates to" edge between two agents (or to a ghost); selectable, so Delete removes it.
class DelegationEdgeItem : public QGraphicsPathItem {
public:
    DelegationEdgeItem(int from, const QString& to, bool dangling);
    int type() const override { return kDelegationEdgeType; }
    int from() const { return m_from; }
    const QString& to() const { return m_to; }
    bool isDangling() const { return m_dangling; }
    void setEnds(QPointF start, QPointF end);
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    QPainterPath shape() const override;

private:
    int m_from;
    QString m_to;
    bool m_dangling;
    QPointF m_end;
};

// Stand-in for an agent that a delegation names but the topology lacks.
class GhostNodeItem : public QGraphicsItem {
public:
    explicit GhostNodeItem(const QString& id);
    int type() const override { return kGhostItemType; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QString m_id;
};

// Shared colours (role accents, problem red) chosen to read on light and dark palettes.
namespace colors {
QColor mainAccent();
QColor subAccent();
QColor toolAccent();
QColor problem();
}  // namespace colors

// "d128 L3 · ctx 384": the model's size at a glance.
QString modelSummary(const core::ModelConfig& model);

}  // namespace mgrpo::widgets
