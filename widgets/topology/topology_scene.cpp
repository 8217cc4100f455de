// TopologyScene: edits as before/after JSON undo commands, model -> item sync,
// validation marks, and the mouse gestures (move, connect, palette drops).
#include "widgets/topology/topology_scene.h"

#include "widgets/topology/node_items.h"
#include "widgets/topology/topology_layout.h"

#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneDragDropEvent>
#include <QMenu>
#include <QGraphicsSceneMouseEvent>
#include <QMimeData>
#include <QPainter>
#include <QPalette>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <set>

namespace mgrpo::widgets {

// One edit: the whole topology as JSON before and after (small, exact, simple).
class TopologyEditCommand : public QUndoCommand {
public:
    TopologyEditCommand(TopologyScene* scene, nlohmann::json before, nlohmann::json after, const QString& text)
        : QUndoCommand(text), m_scene(scene), m_before(std::move(before)), m_after(std::move(after)) {}
    void undo() override { m_scene->setTopologyFromCommand(m_before); }
    void redo() override { m_scene->setTopologyFromCommand(m_after); }

private:
    TopologyScene* m_scene;
    nlohmann::json m_before, m_after;
};

namespace {

std::string str(const QString& s) { return s.toStdString(); }

bool contains(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

TopologyScene::TopologyScene(DesignerContext context, QObject* parent)
    : QGraphicsScene(parent), m_context(std::move(context)), m_undo(new QUndoStack(this)) {
    setItemIndexMethod(QGraphicsScene::NoIndex);  // few items, constantly moving
    connect(this, &QGraphicsScene::selectionChanged, this, [this] {
        const int current = currentAgent();
        if (current != m_lastCurrent) {
            m_lastCurrent = current;
            emit currentAgentChanged(current);
        }
    });
    sync();
}

TopologyScene::~TopologyScene() {
    // Items go with the scene; make sure no callbacks reach a half-destroyed scene.
    m_syncing = true;
    blockSignals(true);
    clear();
}

nlohmann::json TopologyScene::topologyJson() const { return core::toJson(m_topology); }

QStringList TopologyScene::problemsOf(int index) const {
    QStringList out;
    if (index < 0 || index >= static_cast<int>(m_topology.agents.size())) return out;
    const std::string& id = m_topology.agents[index].id;
    for (const auto& p : m_problems)
        if (p.agentId == id && !(id.empty() && p.field.empty()))  // not the topology-wide ones
            out << (p.field.empty() ? QString::fromStdString(p.message)
                                        : QStringLiteral("%1: %2").arg(QString::fromStdString(p.field),
                                                                       QString::fromStdString(p.message)));
    return out;
}

void TopologyScene::resetTopology(const core::Topology& topology) {
    m_undo->clear();
    m_topology = topology;
    clearSelection();
    sync();
    m_undo->setClean();
}

bool TopologyScene::applyEdit(const core::Topology& after, const QString& text) {
    if (after == m_topology) return false;
    m_undo->push(new TopologyEditCommand(this, core::toJson(m_topology), core::toJson(after), text));
    return true;
}

void TopologyScene::setTopologyFromCommand(const nlohmann::json& json) {
    m_topology = core::topologyFromJson(json);  // our own JSON: always well-formed
    sync();
}

// ---- edits ------------------------------------------------------------------

QString TopologyScene::newAgentId(core::AgentRole role) const {
    auto used = [this](const std::string& id) { return m_topology.find(id) != nullptr; };
    if (role == core::AgentRole::Main) {
        if (!used("main")) return QStringLiteral("main");
    } else {
        for (const auto& name : m_context.validation.delegateNames)
            if (!used(name)) return QString::fromStdString(name);
    }
    const std::string stem = role == core::AgentRole::Main ? "main" : "agent";
    for (int i = 1;; ++i)
        if (!used(stem + std::to_string(i))) return QString::fromStdString(stem + std::to_string(i));
}

int TopologyScene::addAgent(core::AgentRole role, QPointF pos) {
    // New agents start from the paper template's agent of the same role (core's defaults).
    const core::Topology paper = core::paperTopology();
    core::AgentSpec a = role == core::AgentRole::Main ? paper.agents[0] : paper.agents[1];
    a.role = role;
    a.id = str(newAgentId(role));
    a.tools.clear();
    a.delegates.clear();
    const QPointF p = m_snap ? layout::snapToGrid(pos) : pos;
    a.x = p.x();
    a.y = p.y();
    core::Topology t = m_topology;
    t.agents.push_back(a);
    applyEdit(t, role == core::AgentRole::Main ? tr("Add main agent") : tr("Add sub-agent"));
    selectAgent(static_cast<int>(m_topology.agents.size()) - 1);
    return static_cast<int>(m_topology.agents.size()) - 1;
}

bool TopologyScene::addTool(int agent, const QString& tool) {
    if (agent < 0 || agent >= static_cast<int>(m_topology.agents.size()) || tool.isEmpty()) return false;
    core::Topology t = m_topology;
    auto& tools = t.agents[agent].tools;
    if (contains(tools, str(tool))) {
        emit statusMessage(tr("'%1' may already call %2").arg(QString::fromStdString(t.agents[agent].id), tool));
        return false;
    }
    tools.push_back(str(tool));
    return applyEdit(t, tr("Add tool %1").arg(tool));
}

bool TopologyScene::connectAgents(int from, int to) {
    const int n = static_cast<int>(m_topology.agents.size());
    if (from < 0 || from >= n || to < 0 || to >= n) return false;
    if (from == to) {
        emit statusMessage(tr("An agent cannot delegate to itself"));
        return false;
    }
    core::Topology t = m_topology;
    const std::string target = t.agents[to].id;
    auto& d = t.agents[from].delegates;
    if (contains(d, target)) {
        emit statusMessage(tr("'%1' already delegates to '%2'")
                               .arg(QString::fromStdString(t.agents[from].id), QString::fromStdString(target)));
        return false;
    }
    d.push_back(target);
    return applyEdit(t, tr("Connect %1 \u2192 %2")
                            .arg(QString::fromStdString(t.agents[from].id), QString::fromStdString(target)));
}

bool TopologyScene::removeAgents(QList<int> indices) {
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    core::Topology t = m_topology;
    std::set<std::string> removed;
    for (auto it = indices.rbegin(); it != indices.rend(); ++it) {
        if (*it < 0 || *it >= static_cast<int>(t.agents.size())) continue;
        removed.insert(t.agents[*it].id);
        t.agents.erase(t.agents.begin() + *it);
    }
    for (auto& a : t.agents) {
        // Drop delegations to removed ids unless another agent still has that id.
        std::erase_if(a.delegates, [&](const std::string& d) { return removed.count(d) && !t.find(d); });
    }
    return applyEdit(t, indices.size() == 1 ? tr("Delete agent") : tr("Delete %1 agents").arg(indices.size()));
}

bool TopologyScene::removeTool(int agent, const QString& tool) {
    if (agent < 0 || agent >= static_cast<int>(m_topology.agents.size())) return false;
    core::Topology t = m_topology;
    std::erase(t.agents[agent].tools, str(tool));
    return applyEdit(t, tr("Remove tool %1").arg(tool));
}

bool TopologyScene::removeDelegation(int from, const QString& to) {
    if (from < 0 || from >= static_cast<int>(m_topology.agents.size())) return false;
    core::Topology t = m_topology;
    std::erase(t.agents[from].delegates, str(to));
    return applyEdit(t, tr("Disconnect %1").arg(to));
}

bool TopologyScene::updateAgent(int index, const core::AgentSpec& agent, const QString& text) {
    if (index < 0 || index >= static_cast<int>(m_topology.agents.size())) return false;
    core::Topology t = m_topology;
    const std::string oldId = t.agents[index].id;
    t.agents[index] = agent;
    const bool oldIdUnique =
        std::count_if(m_topology.agents.begin(), m_topology.agents.end(),
                      [&](const core::AgentSpec& a) { return a.id == oldId; }) == 1;
    if (agent.id != oldId && oldIdUnique)
        for (auto& a : t.agents)
            std::replace(a.delegates.begin(), a.delegates.end(), oldId, agent.id);
    return applyEdit(t, text.isEmpty() ? tr("Edit %1").arg(QString::fromStdString(agent.id)) : text);
}

bool TopologyScene::setTopologyName(const QString& name) {
    core::Topology t = m_topology;
    t.name = str(name);
    return applyEdit(t, tr("Rename topology"));
}

bool TopologyScene::autoLayout() {
    core::Topology t = m_topology;
    const auto pos = layout::autoLayout(t);
    for (size_t i = 0; i < pos.size(); ++i) {
        t.agents[i].x = pos[i].x();
        t.agents[i].y = pos[i].y();
    }
    return applyEdit(t, tr("Auto-layout"));
}

bool TopologyScene::deleteSelection() {
    QList<int> agents;
    core::Topology t = m_topology;
    bool other = false;
    for (QGraphicsItem* item : selectedItems()) {
        if (item->type() == kAgentItemType) agents << static_cast<AgentNodeItem*>(item)->index();
    }
    // Tools and edges of agents that stay.
    for (QGraphicsItem* item : selectedItems()) {
        if (item->type() == kToolItemType) {
            auto* tool = static_cast<ToolNodeItem*>(item);
            const int a = tool->agentIndex();
            if (a >= 0 && !agents.contains(a)) {
                std::erase(t.agents[a].tools, str(tool->tool()));
                other = true;
            }
        } else if (item->type() == kDelegationEdgeType) {
            auto* edge = static_cast<DelegationEdgeItem*>(item);
            if (!agents.contains(edge->from())) {
                std::erase(t.agents[edge->from()].delegates, str(edge->to()));
                other = true;
            }
        }
    }
    if (agents.isEmpty() && !other) {
        emit statusMessage(tr("Nothing selected to delete"));
        return false;
    }
    std::sort(agents.begin(), agents.end());
    std::set<std::string> removed;
    for (auto it = agents.rbegin(); it != agents.rend(); ++it) {
        removed.insert(t.agents[*it].id);
        t.agents.erase(t.agents.begin() + *it);
    }
    for (auto& a : t.agents)
        std::erase_if(a.delegates, [&](const std::string& d) { return removed.count(d) && !t.find(d); });
    clearSelection();
    return applyEdit(t, tr("Delete"));
}

bool TopologyScene::addFromPalette(const QString& entry, std::optional<QPointF> pos) {
    const int current = currentAgent();
    if (entry.startsWith(QLatin1String("agent:"))) {
        const bool main = entry == QLatin1String("agent:main");
        if (pos) return addAgent(main ? core::AgentRole::Main : core::AgentRole::Sub, *pos) >= 0;
        if (!main && current >= 0) {
            // A sub-agent under the selected agent, connected to it, in one undo step.
            m_undo->beginMacro(tr("Add sub-agent"));
            const auto& parent = m_topology.agents[current];
            const int siblings = static_cast<int>(parent.delegates.size());
            const int added = addAgent(core::AgentRole::Sub,
                                       {parent.x + siblings * (layout::kAgentSize.width() + 60), parent.y + layout::kLevelGap});
            connectAgents(current, added);
            m_undo->endMacro();
            selectAgent(added);
            return true;
        }
        const QRectF r = contentRect();
        const QPointF at = m_topology.agents.empty() ? QPointF(0, 0) : QPointF(r.center().x(), r.bottom() + 80);
        return addAgent(main ? core::AgentRole::Main : core::AgentRole::Sub, at) >= 0;
    }
    if (entry.startsWith(QLatin1String("tool:"))) {
        const QString tool = entry.mid(5);
        int target = current;
        if (pos) {
            AgentNodeItem* item = agentAt(*pos);
            target = item ? item->index() : -1;
        }
        if (target < 0) {
            emit statusMessage(pos ? tr("Drop the tool '%1' onto the agent that may call it").arg(tool)
                                   : tr("Select the agent that may call '%1' first").arg(tool));
            return false;
        }
        return addTool(target, tool);
    }
    return false;
}

// ---- lookup and selection -----------------------------------------------------

int TopologyScene::indexOf(const QString& id) const {
    for (int i = 0; i < static_cast<int>(m_topology.agents.size()); ++i)
        if (m_topology.agents[i].id == str(id)) return i;
    return -1;
}

AgentNodeItem* TopologyScene::agentItem(int index) const {
    return index >= 0 && index < m_agentItems.size() ? m_agentItems[index] : nullptr;
}

ToolNodeItem* TopologyScene::toolItem(int agent, const QString& tool) const {
    AgentNodeItem* a = agentItem(agent);
    if (!a) return nullptr;
    for (QGraphicsItem* child : a->childItems())
        if (child->type() == kToolItemType && static_cast<ToolNodeItem*>(child)->tool() == tool)
            return static_cast<ToolNodeItem*>(child);
    return nullptr;
}

DelegationEdgeItem* TopologyScene::delegationItem(int from, const QString& to) const {
    for (QGraphicsItem* item : m_edgeItems)
        if (item->type() == kDelegationEdgeType) {
            auto* e = static_cast<DelegationEdgeItem*>(item);
            if (e->from() == from && e->to() == to) return e;
        }
    return nullptr;
}

QList<int> TopologyScene::selectedAgents() const {
    QList<int> out;
    for (QGraphicsItem* item : selectedItems())
        if (item->type() == kAgentItemType) out << static_cast<AgentNodeItem*>(item)->index();
    std::sort(out.begin(), out.end());
    return out;
}

int TopologyScene::currentAgent() const {
    const QList<int> s = selectedAgents();
    return s.size() == 1 ? s.front() : -1;
}

void TopologyScene::selectAgent(int index) {
    clearSelection();
    if (AgentNodeItem* item = agentItem(index)) item->setSelected(true);
}

void TopologyScene::setSnapToGrid(bool on) {
    m_snap = on;
    update();
}

QRectF TopologyScene::contentRect() const {
    QRectF r;
    for (AgentNodeItem* a : m_agentItems) r = r.united(a->sceneBoundingRect()).united(a->mapRectToScene(a->childrenBoundingRect()));
    for (QGraphicsItem* e : m_edgeItems) r = r.united(e->sceneBoundingRect());
    return r;
}

// ---- model -> items -----------------------------------------------------------

void TopologyScene::sync() {
    m_syncing = true;
    const QList<int> selected = selectedAgents();
    const int n = static_cast<int>(m_topology.agents.size());
    while (m_agentItems.size() > n) delete m_agentItems.takeLast();
    while (m_agentItems.size() < n) {
        auto* item = new AgentNodeItem;
        addItem(item);
        m_agentItems << item;
    }
    m_problems = core::validateTopology(m_topology, m_context.validation);
    for (int i = 0; i < n; ++i)
        m_agentItems[i]->setAgent(i, m_topology.agents[i], problemsOf(i), m_context.validation.knownTools);
    rebuildDelegationEdges();
    // Keep the selection on the same indices where they still exist.
    for (int i : selected)
        if (AgentNodeItem* item = agentItem(i)) item->setSelected(true);
    setSceneRect(contentRect().adjusted(-800, -600, 800, 600));
    m_syncing = false;
    emit problemsChanged();
    emit topologyChanged();
    const int current = currentAgent();
    m_lastCurrent = current;
    emit currentAgentChanged(current);  // the inspector refreshes its fields
}

void TopologyScene::rebuildDelegationEdges() {
    qDeleteAll(m_edgeItems);
    m_edgeItems.clear();
    // Ghosts of missing agents go right of everything, so they never cover a real node.
    double right = 0;
    for (const auto& a : m_topology.agents) right = std::max(right, layout::agentFootprint(a).right());
    double ghostX = right + 40 + 75;
    for (int i = 0; i < m_agentItems.size(); ++i) {
        const auto& a = m_topology.agents[i];
        for (const auto& d : a.delegates) {
            const int to = indexOf(QString::fromStdString(d));
            auto* edge = new DelegationEdgeItem(i, QString::fromStdString(d), to < 0);
            addItem(edge);
            m_edgeItems << edge;
            if (to >= 0) {
                edge->setEnds(m_agentItems[i]->outPortScenePos(), m_agentItems[to]->inPortScenePos());
            } else {
                auto* ghost = new GhostNodeItem(QString::fromStdString(d));
                ghost->setPos(ghostX, a.y + layout::kLevelGap);
                ghostX += 170;
                addItem(ghost);
                m_edgeItems << ghost;
                edge->setEnds(m_agentItems[i]->outPortScenePos(), ghost->pos() - QPointF(0, 22));
            }
        }
    }
}

void TopologyScene::agentItemMoved(AgentNodeItem* item) {
    if (m_syncing) return;
    for (QGraphicsItem* e : m_edgeItems) {
        if (e->type() != kDelegationEdgeType) continue;
        auto* edge = static_cast<DelegationEdgeItem*>(e);
        const int to = indexOf(edge->to());
        if (edge->from() != item->index() && to != item->index()) continue;
        AgentNodeItem* src = agentItem(edge->from());
        AgentNodeItem* dst = agentItem(to);
        if (src && dst) edge->setEnds(src->outPortScenePos(), dst->inPortScenePos());
    }
}

void TopologyScene::commitMoves() {
    core::Topology t = m_topology;
    int moved = 0;
    for (AgentNodeItem* item : m_agentItems) {
        auto& a = t.agents[item->index()];
        if (a.x != item->pos().x() || a.y != item->pos().y()) {
            a.x = item->pos().x();
            a.y = item->pos().y();
            ++moved;
        }
    }
    if (moved) applyEdit(t, moved == 1 ? tr("Move agent") : tr("Move %1 agents").arg(moved));
}

// ---- mouse and drops --------------------------------------------------------

AgentNodeItem* TopologyScene::agentAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos)) {
        for (QGraphicsItem* i = item; i; i = i->parentItem())
            if (i->type() == kAgentItemType && i->contains(i->mapFromScene(scenePos)))
                return static_cast<AgentNodeItem*>(i);
    }
    return nullptr;
}

ToolNodeItem* TopologyScene::toolAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos))
        if (item->type() == kToolItemType) return static_cast<ToolNodeItem*>(item);
    return nullptr;
}

void TopologyScene::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect, palette().color(QPalette::Window));
    QColor minor = palette().color(QPalette::Text);
    minor.setAlphaF(0.07);
    QColor major = palette().color(QPalette::Text);
    major.setAlphaF(0.13);
    const double g = layout::kGrid;
    const double left = std::floor(rect.left() / g) * g, top = std::floor(rect.top() / g) * g;
    QVector<QLineF> minorLines, majorLines;
    for (double x = left; x < rect.right(); x += g)
        (std::fmod(std::abs(x), 5 * g) < 0.5 ? majorLines : minorLines) << QLineF(x, rect.top(), x, rect.bottom());
    for (double y = top; y < rect.bottom(); y += g)
        (std::fmod(std::abs(y), 5 * g) < 0.5 ? majorLines : minorLines) << QLineF(rect.left(), y, rect.right(), y);
    painter->setPen(QPen(minor, 0));
    painter->drawLines(minorLines);
    painter->setPen(QPen(major, 0));
    painter->drawLines(majorLines);
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        for (QGraphicsItem* item : items(event->scenePos())) {
            if (item->type() != kPortItemType) continue;
            auto* agent = static_cast<AgentNodeItem*>(item->parentItem());
            m_connectFrom = agent->index();
            m_connectLine = addPath(QPainterPath(), QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
            m_connectLine->setZValue(10);
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_connectLine) {
        AgentNodeItem* from = agentItem(m_connectFrom);
        QPainterPath p(from ? from->outPortScenePos() : event->scenePos());
        p.lineTo(event->scenePos());
        m_connectLine->setPath(p);
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_connectLine) {
        delete m_connectLine;
        m_connectLine = nullptr;
        const int from = m_connectFrom;
        m_connectFrom = -1;
        if (ToolNodeItem* tool = toolAt(event->scenePos())) {
            addTool(from, tool->tool());
        } else if (AgentNodeItem* to = agentAt(event->scenePos())) {
            connectAgents(from, to->index());
        } else {
            emit statusMessage(tr("Release on an agent (delegates to) or on a tool node (may call)"));
        }
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton) commitMoves();
}

void TopologyScene::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
    event->setAccepted(event->mimeData()->hasFormat(kPaletteMimeType));
}

void TopologyScene::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
    event->setAccepted(event->mimeData()->hasFormat(kPaletteMimeType));
}

void TopologyScene::dropEvent(QGraphicsSceneDragDropEvent* event) {
    if (!event->mimeData()->hasFormat(kPaletteMimeType)) {
        event->ignore();
        return;
    }
    const QString entry = QString::fromUtf8(event->mimeData()->data(kPaletteMimeType));
    event->acceptProposedAction();
    addFromPalette(entry, event->scenePos());
}

QMenu* TopologyScene::createContextMenu(QPointF scenePos) {
    auto* menu = new QMenu;
    menu->setObjectName(QStringLiteral("designerContextMenu"));
    if (ToolNodeItem* tool = toolAt(scenePos)) {
        const int agent = tool->agentIndex();
        const QString name = tool->tool();
        menu->addAction(tr("Remove tool '%1'").arg(name), this, [this, agent, name] { removeTool(agent, name); });
        return menu;
    }
    if (AgentNodeItem* item = agentAt(scenePos)) {
        const int index = item->index();
        if (!item->isSelected()) selectAgent(index);
        menu->addAction(tr("Add sub-agent below"), this, [this, index] {
            selectAgent(index);
            addFromPalette(QStringLiteral("agent:sub"));
        });
        QMenu* tools = menu->addMenu(tr("May call"));
        const auto& have = m_topology.agents[index].tools;
        for (const ToolEntry& t : m_context.tools) {
            QAction* a = tools->addAction(t.name);
            a->setCheckable(true);
            a->setChecked(contains(have, str(t.name)));
            a->setToolTip(t.description);
            connect(a, &QAction::toggled, this, [this, index, name = t.name](bool on) {
                if (on) addTool(index, name);
                else removeTool(index, name);
            });
        }
        menu->addSeparator();
        menu->addAction(tr("Delete agent"), this, [this, index] { removeAgents({index}); });
        return menu;
    }
    for (QGraphicsItem* i : items(scenePos)) {
        if (i->type() != kDelegationEdgeType) continue;
        auto* edge = static_cast<DelegationEdgeItem*>(i);
        const int from = edge->from();
        const QString to = edge->to();
        menu->addAction(tr("Remove delegation to '%1'").arg(to), this, [this, from, to] { removeDelegation(from, to); });
        return menu;
    }
    menu->addAction(tr("Add main agent here"), this, [this, scenePos] { addAgent(core::AgentRole::Main, scenePos); });
    menu->addAction(tr("Add sub-agent here"), this, [this, scenePos] { addAgent(core::AgentRole::Sub, scenePos); });
    menu->addSeparator();
    menu->addAction(tr("Auto-layout"), this, [this] { autoLayout(); });
    return menu;
}

void TopologyScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
    QMenu* menu = createContextMenu(event->scenePos());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->screenPos());
    event->accept();
}

}  // namespace mgrpo::widgets
