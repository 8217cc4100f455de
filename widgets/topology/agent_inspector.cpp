// AgentInspector: a form per page (topology / agent); widgets are filled from
// the scene's model under m_updating so refreshes never turn into edits.
#include "widgets/topology/agent_inspector.h"

#include "widgets/topology/node_items.h"
#include "widgets/topology/topology_scene.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace mgrpo::widgets {

namespace {

const char kFieldProperty[] = "mgrpoField";  // the TopologyProblem::field a widget edits
const char kBaseTip[] = "mgrpoBaseTip";

QString qs(const std::string& s) { return QString::fromStdString(s); }

template <typename Spin>
Spin* spin(QWidget* parent, const char* field, double lo, double hi, const QString& tip) {
    auto* s = new Spin(parent);
    s->setRange(lo, hi);
    s->setKeyboardTracking(false);  // one edit per committed value, not per keystroke
    s->setMinimumWidth(60);
    s->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    s->setObjectName(QString::fromLatin1(field).replace('.', '_') + QStringLiteral("Field"));
    s->setProperty(kFieldProperty, QString::fromLatin1(field));
    s->setProperty(kBaseTip, tip);
    s->setToolTip(tip);
    return s;
}

void tag(QWidget* w, const char* field, const QString& tip) {
    w->setObjectName(QString::fromLatin1(field).replace('.', '_') + QStringLiteral("Field"));
    w->setProperty(kFieldProperty, QString::fromLatin1(field));
    w->setProperty(kBaseTip, tip);
    w->setToolTip(tip);
}

QString humanCount(long long n) {
    if (n >= 1'000'000) return QStringLiteral("%1 M").arg(n / 1e6, 0, 'f', 2);
    if (n >= 1'000) return QStringLiteral("%1 k").arg(n / 1e3, 0, 'f', 1);
    return QString::number(n);
}

}  // namespace

AgentInspector::AgentInspector(TopologyScene* scene, QWidget* parent) : QWidget(parent), m_scene(scene) {
    setObjectName(QStringLiteral("agentInspector"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_pages = new QStackedWidget;
    outer->addWidget(m_pages);

    // Page 0: the topology itself.
    auto* topo = new QWidget;
    auto* topoForm = new QFormLayout(topo);
    m_topologyName = new QLineEdit;
    m_topologyName->setObjectName(QStringLiteral("topologyNameField"));
    m_topologyName->setPlaceholderText(tr("e.g. main + search sub-agent"));
    topoForm->addRow(tr("Topology name"), m_topologyName);
    m_topologySummary = new QLabel;
    m_topologySummary->setWordWrap(true);
    m_topologySummary->setObjectName(QStringLiteral("topologySummary"));
    topoForm->addRow(m_topologySummary);
    auto* hint = new QLabel(tr("Select one agent to edit its model, tools, sampling, limits and device."));
    hint->setWordWrap(true);
    hint->setEnabled(false);
    topoForm->addRow(hint);
    m_pages->addWidget(topo);
    connect(m_topologyName, &QLineEdit::editingFinished, this, [this] {
        if (!m_updating) m_scene->setTopologyName(m_topologyName->text().trimmed());
    });

    // Page 1: one agent, in a scroll area (the form is taller than a dock).
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the form fits the dock's width
    auto* page = new QWidget;
    buildAgentPage(page);
    scroll->setWidget(page);
    m_pages->addWidget(scroll);

    connect(scene, &TopologyScene::currentAgentChanged, this, &AgentInspector::refresh);
    connect(scene, &TopologyScene::topologyChanged, this, &AgentInspector::refresh);
    refresh();
}

void AgentInspector::buildAgentPage(QWidget* page) {
    auto* v = new QVBoxLayout(page);
    m_title = new QLabel;
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_title->setFont(f);
    v->addWidget(m_title);
    m_problems = new QLabel;
    m_problems->setObjectName(QStringLiteral("agentProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setStyleSheet(QStringLiteral("color: %1;").arg(colors::problem().name()));
    v->addWidget(m_problems);

    auto group = [&](const QString& title) {
        auto* box = new QGroupBox(title);
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        v->addWidget(box);
        return form;
    };

    QFormLayout* agent = group(tr("Agent"));
    m_id = new QLineEdit;
    tag(m_id, "id", tr("One word (letters, digits, _): what a caller writes after <delegate>"));
    m_id->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z][A-Za-z0-9_]{0,31}")), m_id));
    agent->addRow(tr("Id"), m_id);
    m_role = new QComboBox;
    m_role->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_role->setMinimumContentsLength(6);
    tag(m_role, "role", tr("Main: the planner (exactly one). Sub: solves delegated subtasks."));
    m_role->addItem(tr("main (planner)"), QStringLiteral("main"));
    m_role->addItem(tr("sub-agent"), QStringLiteral("sub"));
    agent->addRow(tr("Role"), m_role);
    m_trained = new QCheckBox(tr("Trained"));
    tag(m_trained, "trained", tr("Unchecked = frozen: the agent runs but is never updated"));
    agent->addRow(QString(), m_trained);
    m_lrScale = spin<QDoubleSpinBox>(page, "learning_rate_scale", 0.001, 100.0,
                                     tr("Multiplies the run's learning rate for this agent's optimizer (0.001 - 100)"));
    m_lrScale->setDecimals(3);
    m_lrScale->setSingleStep(0.1);
    agent->addRow(tr("LR scale"), m_lrScale);
    m_device = new QComboBox;
    m_device->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_device->setMinimumContentsLength(6);
    tag(m_device, "device", tr("Where this agent's model runs"));
    for (const DeviceEntry& d : m_scene->context().devices) m_device->addItem(d.id, d.id);
    agent->addRow(tr("Device"), m_device);

    QFormLayout* model = group(tr("Model"));
    m_dModel = spin<QSpinBox>(page, "model.d_model", 8, 16384, tr("Residual stream width (8 - 16384)"));
    m_dModel->setSingleStep(32);
    model->addRow(tr("d_model"), m_dModel);
    m_nLayers = spin<QSpinBox>(page, "model.n_layers", 1, 256, tr("Transformer blocks (1 - 256)"));
    model->addRow(tr("Layers"), m_nLayers);
    m_nHeads = spin<QSpinBox>(page, "model.n_heads", 1, 256, tr("Attention heads; must divide d_model"));
    model->addRow(tr("Heads"), m_nHeads);
    m_context = spin<QSpinBox>(page, "model.context_length", 8, 1 << 17, tr("Longest sequence in tokens"));
    m_context->setSingleStep(64);
    model->addRow(tr("Context"), m_context);
    m_dMlp = spin<QSpinBox>(page, "model.d_mlp", 0, 1 << 18, tr("MLP width; 0 = 4 x d_model"));
    m_dMlp->setSpecialValueText(tr("auto (4 \u00d7 d_model)"));
    model->addRow(tr("MLP width"), m_dMlp);
    m_dropout = spin<QDoubleSpinBox>(page, "model.dropout", 0.0, 0.9, tr("Dropout during training (0 - 0.9)"));
    m_dropout->setSingleStep(0.05);
    model->addRow(tr("Dropout"), m_dropout);
    m_tie = new QCheckBox(tr("Tied embeddings"));
    tag(m_tie, "model.tie_embeddings", tr("The output head shares the token embedding matrix"));
    model->addRow(QString(), m_tie);
    m_smear = new QCheckBox(tr("Smeared keys"));
    tag(m_smear, "model.key_smear",
        tr("Each attention key mixes in the previous token's key, so small models learn to look facts up in a "
           "page sooner"));
    model->addRow(QString(), m_smear);
    m_params = new QLabel;
    m_params->setObjectName(QStringLiteral("parameterCount"));
    model->addRow(tr("Parameters"), m_params);
    auto* ckptRow = new QHBoxLayout;
    m_checkpoint = new QLineEdit;
    tag(m_checkpoint, "checkpoint", tr("Checkpoint directory to start from; empty = fresh initialisation"));
    m_checkpoint->setPlaceholderText(tr("fresh initialisation"));
    m_browse = new QToolButton;
    m_browse->setText(QStringLiteral("\u2026"));
    m_browse->setToolTip(tr("Choose a checkpoint directory"));
    ckptRow->addWidget(m_checkpoint);
    ckptRow->addWidget(m_browse);
    model->addRow(tr("Start from"), ckptRow);

    QFormLayout* tools = group(tr("Tools and delegation"));
    m_tools = new QListWidget;
    tag(m_tools, "tools", tr("Tools this agent may call"));
    m_tools->setMaximumHeight(90);
    tools->addRow(tr("May call"), m_tools);
    m_delegates = new QLabel;
    m_delegates->setObjectName(QStringLiteral("delegatesLabel"));
    m_delegates->setWordWrap(true);
    m_delegates->setProperty(kFieldProperty, QStringLiteral("delegates"));
    tools->addRow(tr("Delegates to"), m_delegates);

    QFormLayout* sampling = group(tr("Sampling and limits"));
    m_temperature = spin<QDoubleSpinBox>(page, "sampling.temperature", 0.0, 100.0, tr("0 = greedy; 1 = the model's distribution"));
    m_temperature->setSingleStep(0.1);
    sampling->addRow(tr("Temperature"), m_temperature);
    m_topP = spin<QDoubleSpinBox>(page, "sampling.top_p", 0.01, 1.0, tr("Nucleus sampling mass (0 - 1]"));
    m_topP->setSingleStep(0.05);
    sampling->addRow(tr("Top-p"), m_topP);
    // Wide ranges on purpose: a value from a file is shown as it is and the validator marks it.
    m_maxTurns = spin<QSpinBox>(page, "max_turns", 0, 100000, tr("Actions per invocation before it is cut off (1 - 64)"));
    sampling->addRow(tr("Max turns"), m_maxTurns);
    m_maxTokens = spin<QSpinBox>(page, "max_tokens_per_turn", 0, 100000, tr("Tokens one action may take (2 - 1024)"));
    sampling->addRow(tr("Max tokens / turn"), m_maxTokens);
    v->addStretch(1);

    // Commits: each changes one field of a copy of the agent.
    connect(m_id, &QLineEdit::editingFinished, this, [this] {
        const std::string id = m_id->text().trimmed().toStdString();
        edit(tr("Rename agent"), [&](core::AgentSpec& a) { a.id = id; });
    });
    connect(m_role, &QComboBox::currentIndexChanged, this, [this] {
        const bool main = m_role->currentData().toString() == QLatin1String("main");
        edit(tr("Change role"), [&](core::AgentSpec& a) { a.role = main ? core::AgentRole::Main : core::AgentRole::Sub; });
    });
    connect(m_trained, &QCheckBox::toggled, this, [this](bool on) {
        edit(on ? tr("Train agent") : tr("Freeze agent"), [&](core::AgentSpec& a) { a.trained = on; });
    });
    connect(m_lrScale, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        edit(tr("Change learning-rate scale"), [&](core::AgentSpec& a) { a.learningRateScale = v; });
    });
    connect(m_device, &QComboBox::currentIndexChanged, this, [this] {
        const std::string d = m_device->currentData().toString().toStdString();
        edit(tr("Change device"), [&](core::AgentSpec& a) { a.device = d; });
    });
    auto intField = [this](QSpinBox* s, const QString& text, int core::ModelConfig::*member) {
        connect(s, &QSpinBox::valueChanged, this, [this, text, member](int v) {
            edit(text, [&](core::AgentSpec& a) { a.model.*member = v; });
        });
    };
    intField(m_dModel, tr("Change d_model"), &core::ModelConfig::dModel);
    intField(m_nLayers, tr("Change layers"), &core::ModelConfig::nLayers);
    intField(m_nHeads, tr("Change heads"), &core::ModelConfig::nHeads);
    intField(m_context, tr("Change context"), &core::ModelConfig::contextLength);
    intField(m_dMlp, tr("Change MLP width"), &core::ModelConfig::dMlp);
    connect(m_dropout, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(tr("Change dropout"), [&](core::AgentSpec& a) { a.model.dropout = v; }); });
    connect(m_tie, &QCheckBox::toggled, this,
            [this](bool on) { edit(tr("Change tied embeddings"), [&](core::AgentSpec& a) { a.model.tieEmbeddings = on; }); });
    connect(m_smear, &QCheckBox::toggled, this,
            [this](bool on) { edit(tr("Change smeared keys"), [&](core::AgentSpec& a) { a.model.keySmear = on; }); });
    connect(m_checkpoint, &QLineEdit::editingFinished, this, [this] {
        const std::string path = m_checkpoint->text().trimmed().toStdString();
        edit(tr("Change checkpoint"), [&](core::AgentSpec& a) { a.checkpoint = path; });
    });
    connect(m_browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Checkpoint to start from"), m_checkpoint->text());
        if (dir.isEmpty()) return;
        m_checkpoint->setText(dir);
        edit(tr("Change checkpoint"), [&](core::AgentSpec& a) { a.checkpoint = dir.toStdString(); });
    });
    connect(m_tools, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (m_updating) return;
        const std::string tool = item->data(Qt::UserRole).toString().toStdString();
        const bool on = item->checkState() == Qt::Checked;
        const QString text = on ? tr("Add tool %1").arg(item->text()) : tr("Remove tool %1").arg(item->text());
        // Deferred: the edit refreshes this list, which must not happen inside its own signal.
        QMetaObject::invokeMethod(this, [this, tool, on, text] {
            edit(text, [&](core::AgentSpec& a) {
                std::erase(a.tools, tool);
                if (on) a.tools.push_back(tool);
            });
        }, Qt::QueuedConnection);
    });
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(tr("Change temperature"), [&](core::AgentSpec& a) { a.sampling.temperature = v; }); });
    connect(m_topP, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(tr("Change top-p"), [&](core::AgentSpec& a) { a.sampling.topP = v; }); });
    connect(m_maxTurns, &QSpinBox::valueChanged, this,
            [this](int v) { edit(tr("Change max turns"), [&](core::AgentSpec& a) { a.maxTurns = v; }); });
    connect(m_maxTokens, &QSpinBox::valueChanged, this,
            [this](int v) { edit(tr("Change max tokens"), [&](core::AgentSpec& a) { a.maxTokensPerTurn = v; }); });
}

void AgentInspector::edit(const QString& text, const std::function<void(core::AgentSpec&)>& change) {
    if (m_updating || m_index < 0 || m_index >= static_cast<int>(m_scene->topology().agents.size())) return;
    core::AgentSpec a = m_scene->topology().agents[m_index];
    change(a);
    const int index = m_index;
    m_scene->updateAgent(index, a, text);
    m_scene->selectAgent(index);
}

void AgentInspector::refresh() {
    m_updating = true;
    const auto& t = m_scene->topology();
    m_index = m_scene->currentAgent();
    if (m_index < 0 || m_index >= static_cast<int>(t.agents.size())) {
        m_index = -1;
        m_pages->setCurrentIndex(0);
        if (!m_topologyName->hasFocus()) m_topologyName->setText(qs(t.name));
        int tools = 0;
        for (const auto& a : t.agents) tools += static_cast<int>(a.tools.size());
        m_topologySummary->setText(tr("%n agent(s)", nullptr, static_cast<int>(t.agents.size())) + QStringLiteral(", ") +
                                   tr("%n tool link(s)", nullptr, tools) + QStringLiteral(", ") +
                                   tr("%n problem(s)", nullptr, static_cast<int>(m_scene->problems().size())));
        m_updating = false;
        return;
    }
    m_pages->setCurrentIndex(1);
    const core::AgentSpec& a = t.agents[m_index];
    m_title->setText(a.role == core::AgentRole::Main ? tr("Main agent '%1'").arg(qs(a.id))
                                                     : tr("Sub-agent '%1'").arg(qs(a.id)));
    m_id->setText(qs(a.id));
    m_role->setCurrentIndex(a.role == core::AgentRole::Main ? 0 : 1);
    m_trained->setChecked(a.trained);
    m_lrScale->setValue(a.learningRateScale);
    m_lrScale->setEnabled(a.trained);  // a frozen agent has no optimizer
    int dev = m_device->findData(qs(a.device));
    if (dev < 0) {  // a device this machine lacks: keep it visible (and marked by the validator if malformed)
        m_device->addItem(tr("%1 (not on this machine)").arg(qs(a.device)), qs(a.device));
        dev = m_device->count() - 1;
    }
    m_device->setCurrentIndex(dev);
    m_dModel->setValue(a.model.dModel);
    m_nLayers->setValue(a.model.nLayers);
    m_nHeads->setValue(a.model.nHeads);
    m_context->setValue(a.model.contextLength);
    m_dMlp->setValue(a.model.dMlp);
    m_dropout->setValue(a.model.dropout);
    m_tie->setChecked(a.model.tieEmbeddings);
    m_smear->setChecked(a.model.keySmear);
    m_params->setText(humanCount(a.model.parameterCount()));
    m_checkpoint->setText(qs(a.checkpoint));
    m_tools->clear();
    QStringList names;
    for (const ToolEntry& tool : m_scene->context().tools) names << tool.name;
    for (const auto& tool : a.tools)
        if (!names.contains(qs(tool))) names << qs(tool);  // unknown ones too, so they can be unchecked
    for (const QString& name : names) {
        auto* item = new QListWidgetItem(name, m_tools);
        item->setData(Qt::UserRole, name);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        const bool on = std::find(a.tools.begin(), a.tools.end(), name.toStdString()) != a.tools.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        for (const ToolEntry& tool : m_scene->context().tools)
            if (tool.name == name) item->setToolTip(tool.description);
    }
    QStringList delegates;
    for (const auto& d : a.delegates) delegates << qs(d);
    m_delegates->setText(delegates.isEmpty() ? tr("nobody (drag from the port under the node to an agent)")
                                             : delegates.join(QStringLiteral(", ")));
    m_temperature->setValue(a.sampling.temperature);
    m_topP->setValue(a.sampling.topP);
    m_maxTurns->setValue(a.maxTurns);
    m_maxTokens->setValue(a.maxTokensPerTurn);
    const QStringList problems = m_scene->problemsOf(m_index);
    m_problems->setVisible(!problems.isEmpty());
    m_problems->setText(QStringLiteral("\u26a0 ") + problems.join(QStringLiteral("\n\u26a0 ")));
    markFields();
    m_updating = false;
}

void AgentInspector::markFields() {
    const std::string id = m_index >= 0 ? m_scene->topology().agents[m_index].id : std::string();
    for (QWidget* w : findChildren<QWidget*>()) {
        const QString field = w->property(kFieldProperty).toString();
        if (field.isEmpty()) continue;
        QStringList messages;
        for (const auto& p : m_scene->problems())
            if (p.agentId == id && qs(p.field) == field) messages << qs(p.message);
        const bool marked = !messages.isEmpty();
        w->setProperty("mgrpoMarked", marked);
        const QString base = w->property(kBaseTip).toString();
        w->setToolTip(marked ? QStringLiteral("\u26a0 ") + messages.join(QStringLiteral("\n\u26a0 ")) +
                                   (base.isEmpty() ? QString() : QStringLiteral("\n\n") + base)
                             : base);
        w->setStyleSheet(marked ? QStringLiteral("border: 2px solid %1; border-radius: 3px;").arg(colors::problem().name())
                                : QString());
    }
}

QWidget* AgentInspector::fieldWidget(const QString& field) const {
    for (QWidget* w : findChildren<QWidget*>())
        if (w->property(kFieldProperty).toString() == field) return w;
    return nullptr;
}

bool AgentInspector::fieldMarked(const QString& field) const {
    const QWidget* w = fieldWidget(field);
    return w && w->property("mgrpoMarked").toBool();
}

}  // namespace mgrpo::widgets
