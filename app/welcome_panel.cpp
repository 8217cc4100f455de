// WelcomePanel: a header, a numbered list of the five jobs and a machine card,
// centred with a maximum width so it reads well from 1000 to 2500 pixels wide.
#include "app/welcome_panel.h"

#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QStringList>
#include <QVBoxLayout>

namespace mgrpo::app {

namespace {

struct Job {
    const char* key;    // object-name suffix, e.g. "design"
    const char* title;  // as in the product spec
    const char* line;   // one sentence on what it does
};

// The five jobs of the product spec, in its order.
constexpr Job kJobs[] = {
    {"design", QT_TRANSLATE_NOOP("WelcomePanel", "Design"),
     QT_TRANSLATE_NOOP("WelcomePanel",
                       "Draw the agent hierarchy: a main agent, its sub-agents and tools, each agent with its "
                       "own model, sampling settings, limits and device; validate, save and open as JSON.")},
    {"launch", QT_TRANSLATE_NOOP("WelcomePanel", "Configure & launch"),
     QT_TRANSLATE_NOOP("WelcomePanel",
                       "Choose the environment and curriculum stage, the algorithm (M-GRPO co-training, "
                       "main-only, single-agent GRPO) and its hyperparameters; run, pause, resume or stop.")},
    {"monitor", QT_TRANSLATE_NOOP("WelcomePanel", "Monitor"),
     QT_TRANSLATE_NOOP("WelcomePanel",
                       "Follow per-agent rewards, accuracy, loss, KL, entropy and alignment statistics live; "
                       "overlay runs and export plots as PNG, PDF or CSV.")},
    {"inspect", QT_TRANSLATE_NOOP("WelcomePanel", "Inspect"),
     QT_TRANSLATE_NOOP("WelcomePanel",
                       "Rank a query's K rollouts by reward and expand one into its tree of delegations, "
                       "tool calls and answers, with rewards, advantages and token log-probs.")},
    {"history", QT_TRANSLATE_NOOP("WelcomePanel", "History"),
     QT_TRANSLATE_NOOP("WelcomePanel",
                       "Every experiment, run, config, metric, trajectory and checkpoint in one SQLite "
                       "database: browse, tag, compare, delete and export.")},
};

QLabel* wrappedLabel(const QString& text) {
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

QFont scaledFont(const QFont& base, qreal factor, bool bold) {
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

}  // namespace

WelcomePanel::WelcomePanel(const widgets::MachineInfo& machine, QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("welcomePanel"));
    setStyleSheet(QStringLiteral(
        "QFrame#jobCard, QFrame#machineCard, QFrame#methodCard {"
        "  background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
        "QLabel#jobNumber {"
        "  background: palette(highlight); color: palette(highlighted-text); border-radius: 14px;"
        "  font-weight: bold; }"));

    // Row 0: the "Workflow" heading; row 1: the job cards beside the machine and method cards.
    auto* heading = new QLabel(tr("Workflow"));
    heading->setFont(scaledFont(font(), 1.25, true));
    auto* side = new QVBoxLayout;
    side->setSpacing(16);
    side->addWidget(createMachineCard(machine));
    side->addWidget(createMethodCard());
    side->addStretch(1);
    auto* columns = new QGridLayout;
    columns->setHorizontalSpacing(24);
    columns->setVerticalSpacing(10);
    columns->addWidget(heading, 0, 0);
    columns->addWidget(createJobList(), 1, 0, Qt::AlignTop);
    columns->addLayout(side, 1, 1);
    columns->setColumnStretch(0, 3);
    columns->setColumnStretch(1, 2);

    auto* content = new QWidget;
    content->setMaximumWidth(1100);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(24);
    contentLayout->addWidget(createHeader());
    contentLayout->addLayout(columns);
    contentLayout->addStretch(1);

    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(32, 32, 32, 24);
    outer->addStretch(1);
    outer->addWidget(content, 100);
    outer->addStretch(1);
}

QWidget* WelcomePanel::createHeader() {
    auto* header = new QWidget;
    auto* layout = new QVBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto* title = new QLabel(tr("M-GRPO Workbench"));
    title->setObjectName(QStringLiteral("welcomeTitle"));
    title->setFont(scaledFont(font(), 2.2, true));

    auto* tagline = wrappedLabel(
        tr("Train a planner agent and its tool-using sub-agents with M-GRPO, each as its own model, "
           "on this workstation."));
    tagline->setObjectName(QStringLiteral("welcomeTagline"));
    tagline->setFont(scaledFont(font(), 1.15, false));

    layout->addWidget(title);
    layout->addWidget(tagline);
    return header;
}

QWidget* WelcomePanel::createJobList() {
    auto* list = new QWidget;
    auto* layout = new QVBoxLayout(list);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);

    int number = 1;
    for (const Job& job : kJobs) {
        auto* card = new QFrame;
        card->setObjectName(QStringLiteral("jobCard"));
        auto* row = new QHBoxLayout(card);
        row->setContentsMargins(14, 14, 14, 14);
        row->setSpacing(12);

        auto* badge = new QLabel(QString::number(number++));
        badge->setObjectName(QStringLiteral("jobNumber"));
        badge->setAlignment(Qt::AlignCenter);
        badge->setFixedSize(28, 28);

        auto* title = new QLabel(tr(job.title));
        title->setObjectName(QStringLiteral("jobTitle_%1").arg(QLatin1String(job.key)));
        title->setFont(scaledFont(font(), 1.1, true));
        auto* line = wrappedLabel(tr(job.line));
        line->setObjectName(QStringLiteral("jobLine_%1").arg(QLatin1String(job.key)));

        auto* text = new QVBoxLayout;
        text->setSpacing(2);
        text->addWidget(title);
        text->addWidget(line);

        row->addWidget(badge, 0, Qt::AlignTop);
        row->addLayout(text, 1);
        layout->addWidget(card);
    }
    layout->addStretch(1);
    return list;
}

QWidget* WelcomePanel::createMachineCard(const widgets::MachineInfo& machine) {
    auto* card = new QFrame;
    card->setObjectName(QStringLiteral("machineCard"));
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(16, 14, 16, 14);
    layout->setSpacing(10);

    auto* heading = new QLabel(tr("This machine"));
    heading->setFont(scaledFont(font(), 1.25, true));
    layout->addWidget(heading);

    const auto orUnknown = [](const QString& s) { return s.isEmpty() ? tr("unknown") : s; };
    QStringList devices;
    for (const widgets::DeviceEntry& d : machine.devices)
        devices << QStringLiteral("<b>%1</b> \u2014 %2").arg(d.id.toHtmlEscaped(), d.description.toHtmlEscaped());

    auto* form = new QFormLayout;
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(6);
    auto* deviceLabel = wrappedLabel(devices.isEmpty() ? tr("none") : devices.join(QStringLiteral("<br>")));
    deviceLabel->setObjectName(QStringLiteral("machineDevices"));
    deviceLabel->setTextFormat(Qt::RichText);
    auto* threadLabel = new QLabel(machine.cpuThreads > 0 ? QString::number(machine.cpuThreads) : tr("unknown"));
    threadLabel->setObjectName(QStringLiteral("machineThreads"));
    form->addRow(tr("Devices:"), deviceLabel);
    form->addRow(tr("CPU threads:"), threadLabel);
    form->addRow(tr("LibTorch:"), new QLabel(orUnknown(machine.libtorchVersion)));
    form->addRow(tr("Qt:"), new QLabel(QString::fromLatin1(qVersion())));
    form->addRow(tr("Workbench:"), new QLabel(orUnknown(machine.workbenchVersion)));
    layout->addLayout(form);

    auto* hint = wrappedLabel(
        tr("Training runs on the CPU by default, or on a <b>cuda:N</b> device when LibTorch was built "
           "with CUDA. On a server without a display, the <b>mgrpo</b> command-line tool runs and "
           "exports experiments against the same engine and database (<tt>mgrpo --help</tt>)."));
    hint->setTextFormat(Qt::RichText);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addSpacing(4);
    layout->addWidget(hint);
    return card;
}

QWidget* WelcomePanel::createMethodCard() {
    auto* card = new QFrame;
    card->setObjectName(QStringLiteral("methodCard"));
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(16, 14, 16, 14);
    layout->setSpacing(8);

    auto* heading = new QLabel(tr("M-GRPO in brief"));
    heading->setFont(scaledFont(font(), 1.25, true));
    layout->addWidget(heading);

    auto* body = wrappedLabel(
        tr("<ul style=\"margin-left:-24px; -qt-list-indent:1;\">"
           "<li><b>Own models.</b> Every agent has its own parameters and optimizer; no gradient "
           "flows between agents.</li>"
           "<li><b>Per-agent rewards.</b> The main agent is scored on format and correctness; each "
           "sub-agent call also on the final answer and its own subtask.</li>"
           "<li><b>Group-relative advantages.</b> K rollouts per query, rewards standardised within "
           "each agent's group.</li>"
           "<li><b>Trajectory alignment.</b> Sub-agent calls are duplicated or dropped to a fixed "
           "count per rollout, so batches keep a fixed size.</li>"
           "</ul>"
           "Hong et al., <a href=\"https://arxiv.org/abs/2511.13288\">arXiv:2511.13288</a>."));
    body->setObjectName(QStringLiteral("methodSummary"));
    body->setTextFormat(Qt::RichText);
    body->setOpenExternalLinks(true);
    layout->addWidget(body);
    return card;
}

}  // namespace mgrpo::app
