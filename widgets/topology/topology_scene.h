// The designer's document and canvas: a core::Topology (the model; agent
// positions live in AgentSpec::x/y, tool nodes are derived from each agent's
// tool list) drawn as graphics items, edited only through methods that push
// one QUndoStack command each (the command stores the topology JSON before and
// after). Every change re-runs core::validateTopology and marks problems on
// their nodes. Mouse gestures (move, connect from a port, drop from the
// palette) end in the same edit methods.
#pragma once

#include "widgets/topology/designer_context.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

class QMenu;
class QUndoStack;

namespace mgrpo::widgets {

class AgentNodeItem;
class ToolNodeItem;
class DelegationEdgeItem;

// Mime type of palette drags: "agent:main", "agent:sub" or "tool:<name>".
inline constexpr char kPaletteMimeType[] = "application/x-mgrpo-designer-node";

class TopologyScene : public QGraphicsScene {
    Q_OBJECT

public:
    explicit TopologyScene(DesignerContext context, QObject* parent = nullptr);
    ~TopologyScene() override;

    const core::Topology& topology() const { return m_topology; }
    nlohmann::json topologyJson() const;
    const DesignerContext& context() const { return m_context; }
    QUndoStack* undoStack() const { return m_undo; }
    const std::vector<core::TopologyProblem>& problems() const { return m_problems; }
    // Problems of agent `index` (every agent with its id, on duplicates), as text.
    QStringList problemsOf(int index) const;

    // Replaces the whole document without an undo step (new, open, template) and clears the undo stack.
    void resetTopology(const core::Topology& topology);
    // One undoable edit to `after`; no-op (returns false) if nothing changes.
    bool applyEdit(const core::Topology& after, const QString& text);

    // Edits, each one undo step. Indices are into topology().agents.
    int addAgent(core::AgentRole role, QPointF pos);  // returns the new index
    bool addTool(int agent, const QString& tool);
    bool connectAgents(int from, int to);             // from delegates to `to`
    bool removeAgents(QList<int> indices);            // also drops delegations to them
    bool removeTool(int agent, const QString& tool);
    bool removeDelegation(int from, const QString& to);
    // Replaces agent `index`; a changed id is renamed in every delegation list too.
    bool updateAgent(int index, const core::AgentSpec& agent, const QString& text = {});
    bool setTopologyName(const QString& name);
    bool autoLayout();
    bool deleteSelection();
    // Handles a palette entry ("agent:sub", "tool:calc"): placed at `pos`, or near/onto
    // the selected agent when pos is empty. Returns false with a statusMessage if it cannot.
    bool addFromPalette(const QString& entry, std::optional<QPointF> pos = std::nullopt);

    int indexOf(const QString& id) const;
    AgentNodeItem* agentItem(int index) const;
    ToolNodeItem* toolItem(int agent, const QString& tool) const;
    DelegationEdgeItem* delegationItem(int from, const QString& to) const;
    QList<int> selectedAgents() const;
    // The single selected agent, or -1.
    int currentAgent() const;
    void selectAgent(int index);

    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool on);
    bool isSyncing() const { return m_syncing; }
    void agentItemMoved(AgentNodeItem* item);  // keeps delegation edges attached while dragging

    // The right-click menu for `scenePos` (on an agent, a tool, an edge or the canvas);
    // the caller owns it. Its actions are the same edit methods.
    QMenu* createContextMenu(QPointF scenePos);

    // Bounding box of every node (for fit-to-view).
    QRectF contentRect() const;

signals:
    void topologyChanged();             // after every edit, undo, redo and reset
    void problemsChanged();
    void currentAgentChanged(int index);  // -1 when none or several are selected
    void statusMessage(const QString& text);

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
    void dropEvent(QGraphicsSceneDragDropEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

private:
    friend class TopologyEditCommand;
    void setTopologyFromCommand(const nlohmann::json& json);
    void sync();                  // model -> items, problems
    void rebuildDelegationEdges();
    QString newAgentId(core::AgentRole role) const;
    AgentNodeItem* agentAt(QPointF scenePos) const;
    ToolNodeItem* toolAt(QPointF scenePos) const;
    void commitMoves();

    DesignerContext m_context;
    core::Topology m_topology;
    std::vector<core::TopologyProblem> m_problems;
    QUndoStack* m_undo;
    QList<AgentNodeItem*> m_agentItems;
    QList<QGraphicsItem*> m_edgeItems;  // delegation edges and ghost nodes
    bool m_snap = true;
    bool m_syncing = false;
    int m_lastCurrent = -2;
    // Connection drag from an out-port.
    int m_connectFrom = -1;
    QGraphicsPathItem* m_connectLine = nullptr;
};

}  // namespace mgrpo::widgets
