// The designer's palette: main agent, sub-agent and every registry tool. Drag
// an entry onto the canvas, or double-click it (adds near or onto the
// selected agent). Emits the entry key ("agent:sub", "tool:calc").
#pragma once

#include "widgets/topology/designer_context.h"

#include <QListWidget>

namespace mgrpo::widgets {

class NodePalette : public QListWidget {
    Q_OBJECT

public:
    explicit NodePalette(const QList<ToolEntry>& tools, QWidget* parent = nullptr);
    // The entry key of row `row`.
    QString entryAt(int row) const;

signals:
    void entryActivated(const QString& entry);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
};

}  // namespace mgrpo::widgets
