// Lists every problem core::validateTopology reports for the scene's topology,
// one row each ("agent 'main' (tools): unknown tool 'browse'"), plus load
// errors the app adds. Double-click a row to jump to its node.
#pragma once

#include <QTreeWidget>

namespace mgrpo::widgets {

class TopologyScene;

class ProblemsPanel : public QTreeWidget {
    Q_OBJECT

public:
    explicit ProblemsPanel(TopologyScene* scene, QWidget* parent = nullptr);

    // Rows as shown, in order ("agent 'x' (field): message").
    QStringList rowTexts() const;
    // Agent index of row `row`, -1 for topology-wide or file problems.
    int agentOfRow(int row) const;
    // A problem that is not the validator's (e.g. "cannot read file ..."), kept until clearFileProblem().
    void setFileProblem(const QString& text);
    void clearFileProblem();

signals:
    void jumpToAgent(int index);
    void countChanged(int count);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    TopologyScene* m_scene;
    QString m_fileProblem;
};

}  // namespace mgrpo::widgets
