// Property editor for the designer's selection: the selected agent's id, role,
// model (or checkpoint to start from), tools, sampling, limits, trained/frozen
// and device (from the devices LibTorch reports); the topology's name when no
// single agent is selected. Each committed field is one undoable edit through
// TopologyScene::updateAgent. Fields the validator complains about get a red
// frame and the message as tooltip; the agent's problems are listed on top.
#pragma once

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace mgrpo::core {
struct AgentSpec;
}

namespace mgrpo::widgets {

class TopologyScene;

class AgentInspector : public QWidget {
    Q_OBJECT

public:
    explicit AgentInspector(TopologyScene* scene, QWidget* parent = nullptr);

    int agentIndex() const { return m_index; }
    // The widget that edits `field` (a TopologyProblem::field such as "max_turns"), or null.
    QWidget* fieldWidget(const QString& field) const;
    // True when `field`'s widget is marked with a problem.
    bool fieldMarked(const QString& field) const;

private:
    void refresh();
    void buildAgentPage(QWidget* page);
    void edit(const QString& text, const std::function<void(core::AgentSpec&)>& change);
    void markFields();

    TopologyScene* m_scene;
    int m_index = -1;
    bool m_updating = false;
    QStackedWidget* m_pages = nullptr;
    QLineEdit* m_topologyName = nullptr;
    QLabel* m_topologySummary = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_problems = nullptr;
    QLineEdit* m_id = nullptr;
    QComboBox* m_role = nullptr;
    QSpinBox* m_dModel = nullptr;
    QSpinBox* m_nLayers = nullptr;
    QSpinBox* m_nHeads = nullptr;
    QSpinBox* m_context = nullptr;
    QSpinBox* m_dMlp = nullptr;
    QDoubleSpinBox* m_dropout = nullptr;
    QCheckBox* m_tie = nullptr;
    QCheckBox* m_smear = nullptr;
    QLabel* m_params = nullptr;
    QLineEdit* m_checkpoint = nullptr;
    QToolButton* m_browse = nullptr;
    QListWidget* m_tools = nullptr;
    QLabel* m_delegates = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QDoubleSpinBox* m_topP = nullptr;
    QSpinBox* m_maxTurns = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    QCheckBox* m_trained = nullptr;
    QDoubleSpinBox* m_lrScale = nullptr;
    QComboBox* m_device = nullptr;
};

}  // namespace mgrpo::widgets
