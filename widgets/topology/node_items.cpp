// Painting of the designer's nodes and edges. Colours come from the scene's
// palette (so light and dark themes both work) plus a few fixed accents.
#include "widgets/topology/node_items.h"

#include "widgets/topology/topology_layout.h"
#include "widgets/topology/topology_scene.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace mgrpo::widgets {

namespace colors {
QColor mainAccent() { return QColor(0x3a, 0x6e, 0xc4); }
QColor subAccent() { return QColor(0x1f, 0x8a, 0x78); }
QColor toolAccent() { return QColor(0xc0, 0x7d, 0x12); }
QColor problem() { return QColor(0xd6, 0x2f, 0x2f); }
}  // namespace colors

namespace {

constexpr double kHeader = 24;
constexpr double kRadius = 7;

QPalette paletteOf(const QGraphicsItem* item) {
    return item->scene() ? item->scene()->palette() : QApplication::palette();
}

QRectF centred(QSizeF size) { return {-size.width() / 2, -size.height() / 2, size.width(), size.height()}; }

QPainterPath arrowHead(QPointF tip, QPointF from, double size) {
    const QPointF d = tip - from;
    const double len = std::hypot(d.x(), d.y());
    QPainterPath p;
    if (len < 1e-6) return p;
    const QPointF u = d / len, n(-u.y(), u.x());
    p.moveTo(tip);
    p.lineTo(tip - u * size + n * size * 0.5);
    p.lineTo(tip - u * size - n * size * 0.5);
    p.closeSubpath();
    return p;
}

// A vertical S-curve from a port to a port, as node editors draw links.
QPainterPath curve(QPointF a, QPointF b) {
    QPainterPath p(a);
    const double dy = std::max(40.0, std::abs(b.y() - a.y()) / 2);
    p.cubicTo(a + QPointF(0, dy), b - QPointF(0, dy), b);
    return p;
}

}  // namespace

QString modelSummary(const core::ModelConfig& m) {
    return QStringLiteral("d%1 L%2 \u00b7 ctx %3").arg(m.dModel).arg(m.nLayers).arg(m.contextLength);
}

// ---- PortItem ---------------------------------------------------------------

PortItem::PortItem(QGraphicsItem* parent) : QGraphicsEllipseItem(-6, -6, 12, 12, parent) {
    setCursor(Qt::CrossCursor);
    setToolTip(QObject::tr("Drag to an agent (delegates to) or to a tool node (may call)"));
    setAcceptHoverEvents(true);
}

// ---- AgentNodeItem ----------------------------------------------------------

AgentNodeItem::AgentNodeItem() {
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(2);
    m_outPort = new PortItem(this);
    m_outPort->setPos(0, layout::kAgentSize.height() / 2);
    m_outPort->setZValue(3);
}

void AgentNodeItem::setAgent(int index, const core::AgentSpec& agent, const QStringList& problems,
                             const std::vector<std::string>& knownTools) {
    prepareGeometryChange();
    m_index = index;
    m_agent = agent;
    m_problems = problems;
    setPos(agent.x, agent.y);
    QStringList tip;
    tip << QObject::tr("%1 agent '%2'").arg(agent.role == core::AgentRole::Main ? QObject::tr("Main")
                                                                                : QObject::tr("Sub-"),
                                            QString::fromStdString(agent.id));
    for (const QString& p : problems) tip << QStringLiteral("\u26a0 ") + p;
    setToolTip(tip.join(QLatin1Char('\n')));

    qDeleteAll(m_toolChildren);
    m_toolChildren.clear();
    const QRectF body = centred(layout::kAgentSize);
    for (int i = 0; i < static_cast<int>(agent.tools.size()); ++i) {
        const QString name = QString::fromStdString(agent.tools[i]);
        const bool known = std::find(knownTools.begin(), knownTools.end(), agent.tools[i]) != knownTools.end();
        const QPointF c = layout::toolCentre(agent, i) - QPointF(agent.x, agent.y);
        // The may-call edge: from the bottom port down to a tool row, or from the left side to a tool column.
        QPointF start, end;
        if (agent.delegates.empty()) {
            start = {0, body.bottom()};
            end = c - QPointF(0, layout::kToolSize.height() / 2);
        } else {
            start = {body.left(), 0};
            end = c + QPointF(layout::kToolSize.width() / 2, 0);
        }
        auto* edge = new QGraphicsPathItem(this);
        QPainterPath path(start);
        if (agent.delegates.empty()) path.cubicTo(start + QPointF(0, 14), end - QPointF(0, 10), end);
        else path.lineTo(end);
        edge->setPath(path);
        QPen pen(known ? colors::toolAccent() : colors::problem(), 1.4, Qt::DashLine);
        edge->setPen(pen);
        edge->setZValue(-1);
        edge->setFlag(ItemStacksBehindParent);
        m_toolChildren << edge;
        auto* tool = new ToolNodeItem(name, known, this);
        tool->setPos(c);
        m_toolChildren << tool;
    }
    update();
}

QPointF AgentNodeItem::inPortScenePos() const { return mapToScene(0, -layout::kAgentSize.height() / 2); }
QPointF AgentNodeItem::outPortScenePos() const { return mapToScene(0, layout::kAgentSize.height() / 2); }

QRectF AgentNodeItem::boundingRect() const { return centred(layout::kAgentSize).adjusted(-4, -4, 4, 4); }

void AgentNodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QPalette pal = paletteOf(this);
    const QRectF r = centred(layout::kAgentSize);
    const bool main = m_agent.role == core::AgentRole::Main;
    const QColor accent = main ? colors::mainAccent() : colors::subAccent();
    const bool selected = option->state & QStyle::State_Selected;
    p->setRenderHint(QPainter::Antialiasing);

    // Body and header band.
    QPainterPath body;
    body.addRoundedRect(r, kRadius, kRadius);
    p->fillPath(body, pal.color(QPalette::Base));
    QPainterPath header;
    header.addRoundedRect(QRectF(r.left(), r.top(), r.width(), kHeader + kRadius), kRadius, kRadius);
    header = header.intersected(QPainterPath([&] {
        QPainterPath clip;
        clip.addRect(QRectF(r.left(), r.top(), r.width(), kHeader));
        return clip;
    }()));
    p->fillPath(header, m_agent.trained ? accent : accent.darker(135));

    // Outline: red with problems, highlight when selected, dashed when frozen.
    QPen pen(pal.color(QPalette::Mid), 1.2);
    if (!m_agent.trained) pen.setStyle(Qt::DashLine);
    if (m_problems.size()) pen = QPen(colors::problem(), 2.6);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(body);
    if (selected) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 2.2));
        p->drawRoundedRect(r.adjusted(-3.5, -3.5, 3.5, 3.5), kRadius + 2, kRadius + 2);
    }

    QFont f = p->font();
    const QFont base = f;
    // Header: role tag + id.
    f.setBold(true);
    f.setPointSizeF(base.pointSizeF() * 0.78);
    p->setFont(f);
    p->setPen(Qt::white);
    const QString tag = main ? QObject::tr("MAIN") : QObject::tr("SUB");
    const QRectF tagRect(r.left() + 8, r.top(), QFontMetricsF(f).horizontalAdvance(tag) + 2, kHeader);
    p->drawText(tagRect, Qt::AlignVCenter | Qt::AlignLeft, tag);
    f.setPointSizeF(base.pointSizeF());
    p->setFont(f);
    const QRectF idRect(tagRect.right() + 6, r.top(), r.right() - tagRect.right() - 14 - (m_problems.size() ? 18 : 0),
                        kHeader);
    const QString id = m_agent.id.empty() ? QObject::tr("(no id)") : QString::fromStdString(m_agent.id);
    p->drawText(idRect, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(f).elidedText(id, Qt::ElideRight, idRect.width()));
    if (m_problems.size()) {  // a red badge with the problem count
        const QRectF badge(r.right() - 22, r.top() + 4, 16, 16);
        p->setBrush(colors::problem());
        p->setPen(QPen(Qt::white, 1.2));
        p->drawEllipse(badge);
        QFont bf = base;
        bf.setBold(true);
        bf.setPointSizeF(base.pointSizeF() * 0.75);
        p->setFont(bf);
        p->drawText(badge, Qt::AlignCenter, QString::number(m_problems.size()));
    }

    // Body lines: model size; trained/frozen and device.
    f = base;
    p->setFont(f);
    const QRectF line1(r.left() + 10, r.top() + kHeader + 4, r.width() - 20, 20);
    p->setPen(pal.color(QPalette::Text));
    QString model = modelSummary(m_agent.model);
    if (!m_agent.checkpoint.empty()) model += QObject::tr(" \u00b7 ckpt");
    p->drawText(line1, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(f).elidedText(model, Qt::ElideRight, line1.width()));
    const QRectF line2 = line1.translated(0, 21);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.9);
    p->setFont(small);
    QString state = m_agent.trained ? QObject::tr("trained") : QObject::tr("frozen");
    if (m_agent.trained && m_agent.learningRateScale != 1.0)
        state += QStringLiteral(" \u00b7 lr \u00d7%1").arg(m_agent.learningRateScale, 0, 'g', 3);
    const QColor stateColor = m_agent.trained ? QColor(0x2e, 0x9d, 0x4f) : pal.color(QPalette::PlaceholderText);
    const double stateW = QFontMetricsF(small).horizontalAdvance(state) + 12;
    QRectF pill(line2.left(), line2.top() + 2, stateW, line2.height() - 4);
    p->setPen(Qt::NoPen);
    p->setBrush(stateColor);
    p->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    p->setPen(Qt::white);
    p->drawText(pill, Qt::AlignCenter, state);
    p->setPen(pal.color(QPalette::Text));
    const QRectF deviceRect(pill.right() + 8, line2.top(), line2.right() - pill.right() - 8, line2.height());
    p->drawText(deviceRect, Qt::AlignVCenter | Qt::AlignRight,
                QFontMetricsF(small).elidedText(QString::fromStdString(m_agent.device), Qt::ElideLeft,
                                                deviceRect.width()));
    p->setFont(base);

    // Ports: incoming on top for sub-agents, outgoing at the bottom (child item).
    m_outPort->setBrush(pal.color(QPalette::Base));
    m_outPort->setPen(QPen(accent, 2));
    if (!main) {
        p->setPen(QPen(accent, 2));
        p->setBrush(pal.color(QPalette::Base));
        p->drawEllipse(QPointF(0, r.top()), 4.5, 4.5);
    }
}

QVariant AgentNodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    auto* s = dynamic_cast<TopologyScene*>(scene());
    if (change == ItemPositionChange && s && s->snapToGrid() && !s->isSyncing())
        return layout::snapToGrid(value.toPointF());
    if (change == ItemPositionHasChanged && s) s->agentItemMoved(this);
    return QGraphicsItem::itemChange(change, value);
}

// ---- ToolNodeItem -----------------------------------------------------------

ToolNodeItem::ToolNodeItem(const QString& tool, bool known, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_tool(tool), m_known(known) {
    setFlags(ItemIsSelectable);
    setToolTip(known ? QObject::tr("Tool '%1' (may call). Select and press Delete to remove it.").arg(tool)
                     : QObject::tr("\u26a0 unknown tool '%1': not in the tool registry").arg(tool));
}

int ToolNodeItem::agentIndex() const {
    const auto* agent = parentItem() && parentItem()->type() == kAgentItemType
                            ? static_cast<const AgentNodeItem*>(parentItem())
                            : nullptr;
    return agent ? agent->index() : -1;
}

QRectF ToolNodeItem::boundingRect() const { return centred(layout::kToolSize).adjusted(-3, -3, 3, 3); }

void ToolNodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QPalette pal = paletteOf(this);
    const QRectF r = centred(layout::kToolSize);
    p->setRenderHint(QPainter::Antialiasing);
    p->setBrush(pal.color(QPalette::Base));
    p->setPen(m_known ? QPen(colors::toolAccent(), 1.6) : QPen(colors::problem(), 2.4));
    p->drawRoundedRect(r, r.height() / 2, r.height() / 2);
    if (option->state & QStyle::State_Selected) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 2));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(r.adjusted(-3, -3, 3, 3), r.height() / 2 + 3, r.height() / 2 + 3);
    }
    p->setPen(pal.color(QPalette::Text));
    QFont f = p->font();
    f.setPointSizeF(f.pointSizeF() * 0.92);
    p->setFont(f);
    p->drawText(r.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                QFontMetricsF(f).elidedText(m_tool, Qt::ElideRight, r.width() - 12));
}

// ---- DelegationEdgeItem -----------------------------------------------------

DelegationEdgeItem::DelegationEdgeItem(int from, const QString& to, bool dangling)
    : m_from(from), m_to(to), m_dangling(dangling) {
    setFlags(ItemIsSelectable);
    setZValue(1);
    setToolTip(dangling ? QObject::tr("\u26a0 delegates to '%1', which is not in the topology").arg(to)
                        : QObject::tr("delegates to '%1' (select and press Delete to remove)").arg(to));
}

void DelegationEdgeItem::setEnds(QPointF start, QPointF end) {
    m_end = end;
    setPath(curve(start, end - QPointF(0, 7)));
}

QPainterPath DelegationEdgeItem::shape() const {
    QPainterPathStroker s;
    s.setWidth(10);
    return s.createStroke(path());
}

void DelegationEdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QPalette pal = paletteOf(this);
    const bool selected = option->state & QStyle::State_Selected;
    QColor c = m_dangling ? colors::problem() : pal.color(QPalette::Text);
    if (!m_dangling) c.setAlphaF(0.75);
    if (selected) c = pal.color(QPalette::Highlight);
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(c, selected ? 2.6 : 1.8, m_dangling ? Qt::DashLine : Qt::SolidLine));
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
    p->setPen(Qt::NoPen);
    p->setBrush(c);
    p->drawPath(arrowHead(m_end, m_end - QPointF(0, 10), 10));
}

// ---- GhostNodeItem ----------------------------------------------------------

GhostNodeItem::GhostNodeItem(const QString& id) : m_id(id) {
    setZValue(2);
    setToolTip(QObject::tr("'%1' is named as a delegate but no agent has this id").arg(id));
}

QRectF GhostNodeItem::boundingRect() const { return centred({150, 44}).adjusted(-2, -2, 2, 2); }

void GhostNodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    const QRectF r = centred({150, 44});
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(colors::problem(), 1.8, Qt::DashLine));
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(r, kRadius, kRadius);
    p->setPen(colors::problem());
    p->drawText(r, Qt::AlignCenter, QObject::tr("missing: %1").arg(m_id));
}

}  // namespace mgrpo::widgets
