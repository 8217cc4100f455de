// TopologyView: zoom limited to 15 %..400 %, panning by scroll bars.
#include "widgets/topology/topology_view.h"

#include "widgets/topology/node_items.h"
#include "widgets/topology/topology_scene.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace mgrpo::widgets {

namespace {
constexpr double kMinZoom = 0.15, kMaxZoom = 4.0, kStep = 1.2;
}

TopologyView::TopologyView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
    setObjectName(QStringLiteral("topologyView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setAcceptDrops(true);
    setFrameShape(QFrame::NoFrame);
}

double TopologyView::zoom() const { return transform().m11(); }

void TopologyView::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double f = target / zoom();
    if (std::abs(f - 1) > 1e-9) scale(f, f);
}

void TopologyView::zoomIn() {
    const auto anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    zoomBy(kStep);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut() {
    const auto anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    zoomBy(1 / kStep);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomToFit() {
    auto* s = qobject_cast<TopologyScene*>(scene());
    QRectF r = s ? s->contentRect() : scene()->itemsBoundingRect();
    if (r.isEmpty()) r = QRectF(-200, -150, 400, 300);
    fitInView(r.adjusted(-40, -40, 40, 40), Qt::KeepAspectRatio);
    if (zoom() > 1.25) {
        const double f = 1.25 / zoom();
        scale(f, f);
    } else if (zoom() < kMinZoom) {
        const double f = kMinZoom / zoom();
        scale(f, f);
    }
    centerOn(r.center());
}

void TopologyView::centreOnAgent(int index) {
    auto* s = qobject_cast<TopologyScene*>(scene());
    if (!s) return;
    if (auto* item = s->agentItem(index)) {
        s->selectAgent(index);
        centerOn(item);
        item->ensureVisible();
    }
}

void TopologyView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(kStep, steps));
    event->accept();
}

void TopologyView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (m_spaceHeld && event->button() == Qt::LeftButton)) {
        m_panning = true;
        m_panStart = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint d = event->position().toPoint() - m_panStart;
        m_panStart = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void TopologyView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void TopologyView::drawForeground(QPainter* painter, const QRectF& rect) {
    QGraphicsView::drawForeground(painter, rect);
    auto* s = qobject_cast<TopologyScene*>(scene());
    if (!s || !s->topology().agents.empty()) return;
    // Empty canvas: say how to start, in view coordinates so zoom does not matter.
    painter->save();
    painter->resetTransform();
    QColor c = palette().color(QPalette::Text);
    c.setAlphaF(0.55);
    painter->setPen(c);
    painter->drawText(viewport()->rect().adjusted(40, 40, -40, -40), Qt::AlignCenter | Qt::TextWordWrap,
                      tr("Drag a Main agent from the Palette onto the canvas,\n"
                         "or start from File \u2192 New from Template."));
    painter->restore();
}

}  // namespace mgrpo::widgets
