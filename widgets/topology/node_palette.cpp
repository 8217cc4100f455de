// NodePalette: a QListWidget whose drags carry kPaletteMimeType.
#include "widgets/topology/node_palette.h"

#include "widgets/topology/node_items.h"
#include "widgets/topology/topology_scene.h"

#include <QMimeData>
#include <QPainter>

namespace mgrpo::widgets {

namespace {
constexpr int kEntryRole = Qt::UserRole + 1;

QIcon swatch(const QColor& color, bool pill) {
    QPixmap pm(18, 18);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(120), 1.5));
    p.setBrush(pill ? QColor(Qt::transparent) : color);
    p.drawRoundedRect(QRectF(2, pill ? 5 : 2, 14, pill ? 8 : 14), pill ? 4 : 3, pill ? 4 : 3);
    return QIcon(pm);
}
}  // namespace

NodePalette::NodePalette(const QList<ToolEntry>& tools, QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("nodePalette"));
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    auto add = [this](const QString& text, const QString& entry, const QString& tip, const QIcon& icon) {
        auto* item = new QListWidgetItem(icon, text, this);
        item->setData(kEntryRole, entry);
        item->setToolTip(tip);
    };
    add(tr("Main agent"), QStringLiteral("agent:main"),
        tr("The planner: answers the question and delegates subtasks (exactly one per topology)"),
        swatch(colors::mainAccent(), false));
    add(tr("Sub-agent"), QStringLiteral("agent:sub"),
        tr("A tool-using agent that solves delegated subtasks in a clean context.\n"
           "Double-click with an agent selected to add it under that agent."),
        swatch(colors::subAccent(), false));
    for (const ToolEntry& t : tools)
        add(tr("Tool: %1").arg(t.name), QStringLiteral("tool:") + t.name,
            t.description + tr("\nDrop onto an agent, or double-click to give it to the selected agent."),
            swatch(colors::toolAccent(), true));
    connect(this, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit entryActivated(item->data(kEntryRole).toString()); });
}

QString NodePalette::entryAt(int row) const {
    const QListWidgetItem* it = item(row);
    return it ? it->data(kEntryRole).toString() : QString();
}

QStringList NodePalette::mimeTypes() const { return {QString::fromLatin1(kPaletteMimeType)}; }

QMimeData* NodePalette::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty()) return nullptr;
    auto* data = new QMimeData;
    data->setData(kPaletteMimeType, items.front()->data(kEntryRole).toString().toUtf8());
    return data;
}

}  // namespace mgrpo::widgets
