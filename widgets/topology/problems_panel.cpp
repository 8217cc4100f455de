// ProblemsPanel: rebuilt whenever the scene's problems change.
#include "widgets/topology/problems_panel.h"

#include "widgets/topology/topology_scene.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyle>

namespace mgrpo::widgets {

ProblemsPanel::ProblemsPanel(TopologyScene* scene, QWidget* parent) : QTreeWidget(parent), m_scene(scene) {
    setObjectName(QStringLiteral("problemsPanel"));
    setColumnCount(3);
    setHeaderLabels({tr("Where"), tr("Field"), tr("Problem")});
    setRootIsDecorated(false);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
    connect(scene, &TopologyScene::problemsChanged, this, &ProblemsPanel::refresh);
    connect(this, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const int agent = item->data(0, Qt::UserRole).toInt();
        if (agent >= 0) emit jumpToAgent(agent);
    });
    refresh();
}

QStringList ProblemsPanel::rowTexts() const {
    QStringList out;
    for (int i = 0; i < topLevelItemCount(); ++i) out << topLevelItem(i)->data(0, Qt::UserRole + 1).toString();
    return out;
}

int ProblemsPanel::agentOfRow(int row) const {
    const QTreeWidgetItem* item = topLevelItem(row);
    return item ? item->data(0, Qt::UserRole).toInt() : -1;
}

void ProblemsPanel::setFileProblem(const QString& text) {
    m_fileProblem = text;
    refresh();
}

void ProblemsPanel::clearFileProblem() {
    if (m_fileProblem.isEmpty()) return;
    m_fileProblem.clear();
    refresh();
}

void ProblemsPanel::paintEvent(QPaintEvent* event) {
    QTreeWidget::paintEvent(event);
    if (topLevelItemCount() > 0) return;
    QPainter p(viewport());
    QColor c = palette().color(QPalette::Text);
    c.setAlphaF(0.6);
    p.setPen(c);
    p.drawText(viewport()->rect(), Qt::AlignCenter, tr("\u2714 No problems: the validator accepts this topology"));
}

void ProblemsPanel::refresh() {
    clear();
    const QIcon error = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    auto addRow = [&](const QString& where, const QString& field, const QString& message, const QString& full,
                      int agent) {
        auto* item = new QTreeWidgetItem(this, {where, field, message});
        item->setIcon(0, error);
        item->setToolTip(2, message);
        item->setData(0, Qt::UserRole, agent);
        item->setData(0, Qt::UserRole + 1, full);
    };
    if (!m_fileProblem.isEmpty()) addRow(tr("file"), QString(), m_fileProblem, m_fileProblem, -1);
    for (const auto& p : m_scene->problems()) {
        const QString id = QString::fromStdString(p.agentId);
        const int agent = p.agentId.empty() ? -1 : m_scene->indexOf(id);
        addRow(p.agentId.empty() ? tr("topology") : tr("agent '%1'").arg(id), QString::fromStdString(p.field),
               QString::fromStdString(p.message), QString::fromStdString(core::describe(p)), agent);
    }
    emit countChanged(topLevelItemCount());
}

}  // namespace mgrpo::widgets
