// Central panel shown at start: what the workbench is, its five jobs (Design,
// Configure & launch, Monitor, Inspect, History) with one line each, and a
// summary of this machine (versions, devices, threads) and M-GRPO in brief.
// Display only.
#pragma once

#include "widgets/common/machine_info.h"

#include <QWidget>

namespace mgrpo::app {

class WelcomePanel : public QWidget {
    Q_OBJECT

public:
    explicit WelcomePanel(const widgets::MachineInfo& machine, QWidget* parent = nullptr);

private:
    QWidget* createHeader();
    QWidget* createJobList();
    QWidget* createMachineCard(const widgets::MachineInfo& machine);
    QWidget* createMethodCard();
};

}  // namespace mgrpo::app
