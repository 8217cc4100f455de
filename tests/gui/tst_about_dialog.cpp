// Tests for widgets::AboutDialog: it shows exactly the versions and devices it is
// given, Qt's and QCustomPlot's versions, and cites the M-GRPO paper.
#include "widgets/common/about_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QtTest>

using mgrpo::widgets::AboutDialog;
using mgrpo::widgets::MachineInfo;

class TstAboutDialog : public QObject {
    Q_OBJECT

    static QString labelText(const QWidget& w, const char* name) {
        const auto* label = w.findChild<QLabel*>(QString::fromLatin1(name));
        return label ? label->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
    }

private slots:
    void showsGivenVersions() {
        MachineInfo info;
        info.workbenchVersion = "9.8.7";
        info.libtorchVersion = "1.13.1";
        info.devices = {{"cpu", "CPU (2 threads)"}, {"cuda:0", "CUDA GPU 0"}};
        const AboutDialog dialog(info);
        QCOMPARE(labelText(dialog, "workbenchVersionLabel"), QStringLiteral("9.8.7"));
        QCOMPARE(labelText(dialog, "libtorchVersionLabel"), QStringLiteral("1.13.1"));
        QCOMPARE(labelText(dialog, "qtVersionLabel"), QString::fromLatin1(qVersion()));
        QVERIFY(labelText(dialog, "qcustomplotVersionLabel").startsWith("2."));
        const QString devices = labelText(dialog, "devicesLabel");
        for (const auto& d : info.devices) {
            QVERIFY2(devices.contains(d.id), qPrintable(devices));
            QVERIFY2(devices.contains(d.description), qPrintable(devices));
        }
    }

    void describesMgrpoWithArxivId() {
        const AboutDialog dialog(MachineInfo{});
        const QString text = labelText(dialog, "descriptionLabel");
        QVERIFY(text.contains("M-GRPO"));
        QVERIFY(text.contains("2511.13288"));
        QCOMPARE(dialog.windowTitle(), QStringLiteral("About M-GRPO Workbench"));
        QCOMPARE(labelText(dialog, "libtorchVersionLabel"), QStringLiteral("unknown"));
    }

    void closeButtonRejects() {
        AboutDialog dialog(MachineInfo{});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* box = dialog.findChild<QDialogButtonBox*>();
        QVERIFY(box);
        QPushButton* close = box->button(QDialogButtonBox::Close);
        QVERIFY(close);
        close->click();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.isVisible());
    }
};

QTEST_MAIN(TstAboutDialog)
#include "tst_about_dialog.moc"
