// The designer's canvas view: wheel zoom around the cursor, middle-button (or
// Space + drag) pan, rubber-band selection, zoom in/out/fit.
#pragma once

#include <QGraphicsView>

namespace mgrpo::widgets {

class TopologyView : public QGraphicsView {
    Q_OBJECT

public:
    explicit TopologyView(QGraphicsScene* scene, QWidget* parent = nullptr);

    double zoom() const;  // 1 = 100 %

public slots:
    void zoomIn();
    void zoomOut();
    void zoomToFit();  // every node in view, never magnified past 125 %
    void centreOnAgent(int index);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    void zoomBy(double factor);
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPoint m_panStart;
};

}  // namespace mgrpo::widgets
