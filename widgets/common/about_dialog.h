// "About M-GRPO Workbench" dialog: versions (workbench, Qt, LibTorch, QCustomPlot),
// the devices LibTorch can use, and a paragraph on M-GRPO (arXiv 2511.13288).
// Shows only values passed in; it queries nothing itself.
#pragma once

#include "widgets/common/machine_info.h"

#include <QDialog>

namespace mgrpo::widgets {

class AboutDialog : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(const MachineInfo& machine, QWidget* parent = nullptr);

    // The QCustomPlot version compiled in, e.g. "2.1.0".
    static QString qcustomplotVersion();
};

}  // namespace mgrpo::widgets
