// AboutDialog: a header, a version table, the device list and a description.
// Labels carry object names (workbenchVersionLabel, ...) so tests can find them.
#include "widgets/common/about_dialog.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QStringList>
#include <QVBoxLayout>

namespace mgrpo::widgets {

namespace {

QLabel* valueLabel(const QString& text, const QString& objectName) {
    auto* label = new QLabel(text.isEmpty() ? QObject::tr("unknown") : text);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

}  // namespace

QString AboutDialog::qcustomplotVersion() {
#ifdef QCUSTOMPLOT_VERSION_STR
    return QStringLiteral(QCUSTOMPLOT_VERSION_STR);
#else
    return QStringLiteral("2.1");
#endif
}

AboutDialog::AboutDialog(const MachineInfo& machine, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About M-GRPO Workbench"));

    auto* title = new QLabel(tr("M-GRPO Workbench"));
    title->setObjectName(QStringLiteral("aboutTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);

    auto* subtitle = new QLabel(tr("Design, train, monitor and inspect multi-agent LLM systems."));

    auto* versions = new QFormLayout;
    versions->setLabelAlignment(Qt::AlignRight);
    versions->addRow(tr("Workbench:"), valueLabel(machine.workbenchVersion, QStringLiteral("workbenchVersionLabel")));
    versions->addRow(tr("Qt:"), valueLabel(QString::fromLatin1(qVersion()), QStringLiteral("qtVersionLabel")));
    versions->addRow(tr("LibTorch:"), valueLabel(machine.libtorchVersion, QStringLiteral("libtorchVersionLabel")));
    versions->addRow(tr("QCustomPlot:"), valueLabel(qcustomplotVersion(), QStringLiteral("qcustomplotVersionLabel")));

    QStringList deviceLines;
    for (const DeviceEntry& d : machine.devices)
        deviceLines << QStringLiteral("%1 \u2014 %2").arg(d.id, d.description);
    auto* devices = valueLabel(deviceLines.join(QLatin1Char('\n')), QStringLiteral("devicesLabel"));
    versions->addRow(tr("Devices:"), devices);

    auto* description = new QLabel(
        tr("<p>M-GRPO (Multi-agent Group Relative Policy Optimization) trains a vertical "
           "multi-agent system (a main planner agent that delegates subtasks to tool-using "
           "sub-agents) where every agent is its own model with its own optimizer. Rewards "
           "are computed per agent, advantages are standardised within each query's group of "
           "K rollouts, and sub-agent trajectories are aligned to a fixed count per rollout "
           "(duplicated or dropped at random) so batches keep a fixed size. Main and "
           "sub-agents are co-trained without any gradient flowing between them.</p>"
           "<p>Hong et al., <i>Multi-Agent Deep Research: Training Multi-Agent Systems with "
           "M-GRPO</i>, <a href=\"https://arxiv.org/abs/2511.13288\">arXiv:2511.13288</a> (2025).</p>"));
    description->setObjectName(QStringLiteral("descriptionLabel"));
    description->setWordWrap(true);
    description->setTextFormat(Qt::RichText);
    description->setOpenExternalLinks(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addSpacing(8);
    layout->addLayout(versions);
    layout->addSpacing(8);
    layout->addWidget(description);
    layout->addStretch(1);
    layout->addWidget(buttons);

    setMinimumWidth(560);
}

}  // namespace mgrpo::widgets
