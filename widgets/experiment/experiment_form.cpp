// ExperimentForm: a table of numeric fields (JSON key, label, range, help)
// builds the spin boxes; JSON goes through the core in both directions so the
// core stays the one place that defines what a valid experiment is.
#include "widgets/experiment/experiment_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace mgrpo::widgets {

namespace {

// A double spin box that shows and accepts scientific notation (learning rates).
class ScientificSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double v) const override { return QString::number(v, 'g', 6); }
    double valueFromText(const QString& text) const override { return text.toDouble(); }
    QValidator::State validate(QString& text, int&) const override {
        if (text.isEmpty() || text == QLatin1String("-") || text.endsWith('e') || text.endsWith('E') ||
            text.endsWith(QLatin1String("e-")))
            return QValidator::Intermediate;
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok) return QValidator::Invalid;
        return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
    }
    void stepBy(int steps) override { setValue(value() * std::pow(2.0, steps)); }
};

enum class Kind { Int, Real, Scientific };

// Numeric fields: JSON key, group, label, kind, the core's range (experiment_config.cpp,
// rewards.cpp), decimals, help.
struct NumberSpec {
    const char* key;
    int group;
    const char* label;
    Kind kind;
    double lo, hi;
    int decimals;
    const char* help;
};

enum Group { Run, Groups, Objective, Optimiser, Rewards, Evaluation, GroupCount };
const char* const kGroupTitles[GroupCount] = {
    QT_TRANSLATE_NOOP("ExperimentForm", "Run"),
    QT_TRANSLATE_NOOP("ExperimentForm", "Groups and alignment"),
    QT_TRANSLATE_NOOP("ExperimentForm", "Objective"),
    QT_TRANSLATE_NOOP("ExperimentForm", "Optimiser"),
    QT_TRANSLATE_NOOP("ExperimentForm", "Rewards (MGRPO.md section 2)"),
    QT_TRANSLATE_NOOP("ExperimentForm", "Evaluation and checkpoints"),
};

const NumberSpec kNumbers[] = {
    {"stage", Run, "Curriculum stage", Kind::Int, 1, 2, 0, "1: short questions (learn the protocol); 2: long ones (need collaboration)"},
    {"steps", Run, "Steps", Kind::Int, 1, 1000000, 0, "Training steps"},
    {"queries_per_step", Groups, "Queries per step (B)", Kind::Int, 1, 4096, 0, "Queries sampled per step"},
    {"samples_per_query", Groups, "Rollouts per query (K)", Kind::Int, 2, 1024, 0, "Group size; the paper uses 8"},
    {"fixed_d", Groups, "Fixed D", Kind::Int, 1, 64, 0, "Sub-trajectories per rollout after alignment"},
    {"d_quantile", Groups, "Automatic D quantile", Kind::Real, 0.5, 1.0, 3, "Automatic D: P(d_k <= D) >= this on the preliminary batch"},
    {"preliminary_queries", Groups, "Preliminary queries", Kind::Int, 1, 4096, 0, "Queries of the batch that sets automatic D"},
    {"clip_low", Objective, "Clip low (\u03b5_low)", Kind::Real, 0.0, 1.0, 3, "Lower clip range of the surrogate"},
    {"clip_high", Objective, "Clip high (\u03b5_high)", Kind::Real, 0.0, 10.0, 3, "Upper clip range (clip-higher)"},
    {"kl_coef", Objective, "KL coefficient", Kind::Scientific, 0.0, 100.0, 6, "k3 KL to the frozen start policy (paper: 0)"},
    {"entropy_coef", Objective, "Entropy coefficient", Kind::Scientific, 0.0, 100.0, 6, "Entropy bonus (paper: 0)"},
    {"temperature", Objective, "Rollout temperature", Kind::Real, 0.01, 10.0, 2, "Sampling temperature of rollouts (paper: 1.0)"},
    {"learning_rate", Optimiser, "Learning rate", Kind::Scientific, 0.0, 1.0, 10, "AdamW learning rate of every trained agent"},
    {"weight_decay", Optimiser, "Weight decay", Kind::Scientific, 0.0, 1.0, 6, "AdamW decoupled weight decay"},
    {"warmup_steps", Optimiser, "Warm-up steps", Kind::Int, 0, 1000000, 0, "Linear learning-rate warm-up"},
    {"grad_clip", Optimiser, "Gradient clip", Kind::Real, 0.0, 1e6, 3, "Max global gradient norm per agent; 0 = off"},
    {"epochs", Optimiser, "Epochs", Kind::Int, 1, 100, 0, "Passes over each step's batch"},
    {"mini_batches", Optimiser, "Mini-batches", Kind::Int, 1, 1024, 0, "Optimizer steps per epoch"},
    {"rewards.a1", Rewards, "a1 (main: format)", Kind::Real, 0.0, 10.0, 3, "Main reward weight of a valid format"},
    {"rewards.a2", Rewards, "a2 (main: correct)", Kind::Real, 0.0, 10.0, 3, "Main reward weight of a correct answer"},
    {"rewards.b1", Rewards, "b1 (sub: format)", Kind::Real, 0.0, 10.0, 3, "Sub-agent reward weight of a valid format"},
    {"rewards.b2", Rewards, "b2 (sub: main correct)", Kind::Real, 0.0, 10.0, 3, "Sub-agent weight of the main agent's final correctness"},
    {"rewards.b3", Rewards, "b3 (sub: expert)", Kind::Real, 0.0, 10.0, 3, "Sub-agent weight of the expert score of its subtask"},
    {"eval_every", Evaluation, "Evaluate every (steps)", Kind::Int, 0, 1000000, 0, "Held-out evaluation cadence; 0 = never"},
    {"eval_queries", Evaluation, "Evaluation queries", Kind::Int, 1, 100000, 0, "Held-out questions per evaluation"},
    {"checkpoint_every", Evaluation, "Checkpoint every (steps)", Kind::Int, 0, 1000000, 0, "Checkpoint cadence; 0 = only at the end"},
};

nlohmann::json* slot(nlohmann::json& j, const QString& key) {
    const QStringList parts = key.split('.');
    nlohmann::json* node = &j;
    for (const QString& p : parts) node = &(*node)[p.toStdString()];
    return node;
}

const nlohmann::json* findKey(const nlohmann::json& j, const QString& key) {
    const nlohmann::json* node = &j;
    for (const QString& p : key.split('.')) {
        if (!node->is_object() || !node->contains(p.toStdString())) return nullptr;
        node = &(*node)[p.toStdString()];
    }
    return node;
}

QComboBox* combo(const QStringList& values, const char* objectName) {
    auto* c = new QComboBox;
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    c->setMinimumContentsLength(6);
    c->addItems(values);
    c->setObjectName(QString::fromLatin1(objectName));
    return c;
}

}  // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("experimentForm"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the form fits the dock's width
    auto* body = new QWidget;
    auto* v = new QVBoxLayout(body);
    QFormLayout* forms[GroupCount];
    for (int g = 0; g < GroupCount; ++g) {
        auto* box = new QGroupBox(tr(kGroupTitles[g]));
        forms[g] = new QFormLayout(box);
        forms[g]->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        v->addWidget(box);
    }
    v->addStretch(1);
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("experimentNameField"));
    forms[Run]->addRow(tr("Name"), m_name);
    QStringList algorithms;
    for (auto a : {core::Algorithm::Mgrpo, core::Algorithm::MainOnly, core::Algorithm::SingleAgent,
                   core::Algorithm::MgrpoUnaligned})
        algorithms << QString::fromStdString(core::toString(a));
    m_algorithm = combo(algorithms, "algorithmField");
    m_algorithm->setToolTip(tr("mgrpo: co-train every non-frozen agent; main-only: sub-agents frozen;\n"
                               "single-agent: plain GRPO; mgrpo-unaligned: no trajectory alignment"));
    forms[Run]->addRow(tr("Algorithm"), m_algorithm);
    m_seed = new QLineEdit;
    m_seed->setObjectName(QStringLiteral("seedField"));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    m_seed->setToolTip(tr("Questions, sampling and alignment derive from it (0 - 9999999999999999999)"));
    m_autoD = new QCheckBox(tr("Automatic D"));
    m_autoD->setToolTip(tr("D is set from a preliminary batch: the quantile of sub-agent invocations per rollout"));
    m_autoD->setObjectName(QStringLiteral("autoDField"));
    m_ratioLevel = combo({QStringLiteral("token"), QStringLiteral("sequence")}, "ratioLevelField");
    m_aggregation = combo({QStringLiteral("token-mean"), QStringLiteral("seq-mean-token-mean")}, "aggregationField");
    m_schedule = combo({QStringLiteral("constant"), QStringLiteral("cosine")}, "scheduleField");
    m_schedule->setToolTip(tr("cosine decays to 10% of the learning rate"));

    for (const NumberSpec& n : kNumbers) {
        const QString key = QString::fromLatin1(n.key);
        QAbstractSpinBox* box = nullptr;
        const QString range = n.kind == Kind::Int ? tr("%1 \u2013 %2").arg(qint64(n.lo)).arg(qint64(n.hi))
                                                  : tr("%1 \u2013 %2").arg(n.lo).arg(n.hi);
        if (n.kind == Kind::Int) {
            auto* s = new QSpinBox;
            s->setRange(int(n.lo), int(n.hi));
            connect(s, &QSpinBox::valueChanged, this, [this] { if (!m_updating) emit changed(); });
            box = s;
        } else {
            auto* s = n.kind == Kind::Scientific ? new ScientificSpinBox : new QDoubleSpinBox;
            s->setDecimals(n.decimals);
            s->setRange(n.lo, n.hi);
            s->setSingleStep(n.hi <= 1 ? 0.01 : 0.1);
            connect(s, &QDoubleSpinBox::valueChanged, this, [this] { if (!m_updating) emit changed(); });
            box = s;
        }
        box->setObjectName(key + QStringLiteral("Field"));
        box->setMinimumWidth(60);
        box->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
        box->setToolTip(tr("%1 (allowed: %2)").arg(tr(n.help), range));
        box->setCorrectionMode(QAbstractSpinBox::CorrectToPreviousValue);
        m_numbers.insert(key, box);
        if (key == QLatin1String("fixed_d")) forms[n.group]->addRow(QString(), m_autoD);
        if (key == QLatin1String("clip_low")) {
            forms[n.group]->addRow(tr("Ratio level"), m_ratioLevel);
            forms[n.group]->addRow(tr("Loss aggregation"), m_aggregation);
        }
        if (key == QLatin1String("warmup_steps")) forms[n.group]->addRow(tr("LR schedule"), m_schedule);
        forms[n.group]->addRow(tr(n.label), box);
        if (key == QLatin1String("steps")) forms[n.group]->addRow(tr("Seed"), m_seed);
    }

    // Launch options sit by the Run button, outside the experiment's groups:
    // they are not saved in the experiment file (as with `mgrpo run`'s flags).
    auto* launch = new QGroupBox(tr("Processes"));
    auto* launchForm = new QFormLayout(launch);
    launchForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_decoupled = new QCheckBox(tr("Decoupled (one process per agent, over loopback)"));
    m_decoupled->setObjectName(QStringLiteral("decoupledField"));
    m_decoupled->setToolTip(tr("mgrpo run --decoupled: every trained sub-agent trains in its own mgrpo worker\n"
                               "process; agents exchange trajectories, rewards and parameters through a\n"
                               "c10d store on 127.0.0.1, never gradients"));
    m_staleness = new QSpinBox;
    m_staleness->setObjectName(QStringLiteral("maxStalenessField"));
    m_staleness->setRange(0, 100);
    m_staleness->setSpecialValueText(tr("0 (synchronous)"));
    m_staleness->setToolTip(tr("--max-staleness: how many updates a sub-agent's parameters may lag behind\n"
                               "the rollouts that use them; 0 = sample-level synchronisation, as the paper\n"
                               "(allowed: 0 \u2013 100)"));
    launchForm->addRow(m_decoupled);
    launchForm->addRow(tr("Max staleness"), m_staleness);
    outer->addWidget(launch);

    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("experimentMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    outer->addWidget(m_message);
    auto* buttons = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load\u2026"));
    load->setObjectName(QStringLiteral("loadExperimentButton"));
    auto* save = new QPushButton(tr("Save\u2026"));
    save->setObjectName(QStringLiteral("saveExperimentButton"));
    m_run = new QPushButton(tr("Run"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setDefault(true);
    m_run->setToolTip(tr("Start training the designed topology with this experiment"));
    buttons->addWidget(load);
    buttons->addWidget(save);
    buttons->addStretch(1);
    buttons->addWidget(m_run);
    outer->addLayout(buttons);

    connect(m_autoD, &QCheckBox::toggled, this, [this] {
        updateEnabled();
        if (!m_updating) emit changed();
    });
    connect(m_decoupled, &QCheckBox::toggled, this, [this] { updateEnabled(); });
    for (QComboBox* c : {m_algorithm, m_ratioLevel, m_aggregation, m_schedule})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { if (!m_updating) emit changed(); });
    connect(m_name, &QLineEdit::textEdited, this, [this] { emit changed(); });
    connect(m_seed, &QLineEdit::textEdited, this, [this] { emit changed(); });
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), QString(),
                                                          tr("Experiment JSON (*.json);;All files (*)"));
        if (!path.isEmpty()) loadFile(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"), m_name->text() + ".json",
                                                          tr("Experiment JSON (*.json)"));
        if (!path.isEmpty()) saveFile(path);
    });
    connect(m_run, &QPushButton::clicked, this, [this] {
        try {
            const core::ExperimentConfig c = config();
            showMessage(QString(), false);
            emit runRequested(c, launchChoice());
        } catch (const std::exception& e) {
            showMessage(QString::fromUtf8(e.what()), true);
        }
    });
    setConfig(core::ExperimentConfig{});
}

nlohmann::json ExperimentForm::toJson() const {
    nlohmann::json j = core::toJson(core::ExperimentConfig{});  // every key, then the form's values
    j["name"] = m_name->text().toStdString();
    j["algorithm"] = m_algorithm->currentText().toStdString();
    j["ratio_level"] = m_ratioLevel->currentText().toStdString();
    j["loss_aggregation"] = m_aggregation->currentText().toStdString();
    j["lr_schedule"] = m_schedule->currentText().toStdString();
    j["seed"] = m_seed->text().toULongLong();
    for (auto it = m_numbers.begin(); it != m_numbers.end(); ++it) {
        if (auto* i = qobject_cast<QSpinBox*>(it.value())) *slot(j, it.key()) = i->value();
        else if (auto* d = qobject_cast<QDoubleSpinBox*>(it.value())) *slot(j, it.key()) = d->value();
    }
    if (m_autoD->isChecked()) j["fixed_d"] = 0;
    return j;
}

core::ExperimentConfig ExperimentForm::config() const { return core::experimentConfigFromJson(toJson()); }

void ExperimentForm::setConfig(const core::ExperimentConfig& c) {
    m_updating = true;
    const nlohmann::json j = core::toJson(c);
    m_name->setText(QString::fromStdString(c.name));
    m_algorithm->setCurrentText(QString::fromStdString(core::toString(c.algorithm)));
    m_ratioLevel->setCurrentText(QString::fromStdString(c.ratioLevel));
    m_aggregation->setCurrentText(QString::fromStdString(c.lossAggregation));
    m_schedule->setCurrentText(QString::fromStdString(c.lrSchedule));
    m_seed->setText(QString::number(c.seed));
    m_autoD->setChecked(c.fixedD == 0);
    for (auto it = m_numbers.begin(); it != m_numbers.end(); ++it) {
        const nlohmann::json* v = findKey(j, it.key());
        if (!v) continue;
        if (auto* i = qobject_cast<QSpinBox*>(it.value())) {
            if (it.key() == QLatin1String("fixed_d") && c.fixedD == 0) i->setValue(8);  // shown greyed out
            else i->setValue(v->get<int>());
        } else if (auto* d = qobject_cast<QDoubleSpinBox*>(it.value())) {
            d->setValue(v->get<double>());
        }
    }
    updateEnabled();
    m_updating = false;
    emit changed();
}

bool ExperimentForm::setJson(const nlohmann::json& json, QString* error) {
    try {
        setConfig(core::experimentConfigFromJson(json));
        showMessage(QString(), false);
        return true;
    } catch (const std::exception& e) {
        const QString text = QString::fromUtf8(e.what());
        showMessage(text, true);
        if (error) *error = text;
        return false;
    }
}

bool ExperimentForm::loadFile(const QString& path, QString* error) {
    try {
        setConfig(core::loadExperimentFile(path.toStdString()));
        showMessage(tr("Loaded %1").arg(path), false);
        return true;
    } catch (const std::exception& e) {
        const QString text = QString::fromUtf8(e.what());
        showMessage(text, true);
        if (error) *error = text;
        return false;
    }
}

bool ExperimentForm::saveFile(const QString& path, QString* error) {
    QString text;
    try {
        const std::string data = core::toJson(config()).dump(2) + "\n";
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && file.write(data.data(), qint64(data.size())) == qint64(data.size()) &&
            file.commit()) {
            showMessage(tr("Saved %1").arg(path), false);
            return true;
        }
        text = tr("cannot write experiment file '%1': %2").arg(path, file.errorString());
    } catch (const std::exception& e) {
        text = QString::fromUtf8(e.what());
    }
    showMessage(text, true);
    if (error) *error = text;
    return false;
}

LaunchChoice ExperimentForm::launchChoice() const { return {m_decoupled->isChecked(), m_staleness->value()}; }

void ExperimentForm::setLaunchChoice(const LaunchChoice& choice) {
    m_decoupled->setChecked(choice.decoupled);
    m_staleness->setValue(choice.maxStaleness);
    updateEnabled();
}

QAbstractSpinBox* ExperimentForm::numberField(const QString& key) const { return m_numbers.value(key, nullptr); }

QStringList ExperimentForm::numberKeys() const { return m_numbers.keys(); }

QString ExperimentForm::message() const { return m_message->text(); }

void ExperimentForm::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("color: #d62f2f;") : QString());
}

void ExperimentForm::updateEnabled() {
    const bool autoD = m_autoD->isChecked();
    m_numbers.value(QStringLiteral("fixed_d"))->setEnabled(!autoD);
    m_numbers.value(QStringLiteral("d_quantile"))->setEnabled(autoD);
    m_numbers.value(QStringLiteral("preliminary_queries"))->setEnabled(autoD);
    m_staleness->setEnabled(m_decoupled->isChecked());
}

}  // namespace mgrpo::widgets
