// Tests for widgets::SystemStatusWidget: the status-bar text and tooltip show
// the LibTorch version, every device id and the CPU thread count passed in.
#include "widgets/common/system_status_widget.h"

#include <QtTest>

using mgrpo::widgets::DeviceEntry;
using mgrpo::widgets::SystemStatusWidget;

class TstSystemStatusWidget : public QObject {
    Q_OBJECT

private slots:
    void showsVersionAndEveryDevice() {
        const QList<DeviceEntry> devices{{"cpu", "CPU (2 threads)"}, {"cuda:0", "CUDA GPU 0"}, {"cuda:1", "CUDA GPU 1"}};
        SystemStatusWidget w(QStringLiteral("1.13.1"), devices, 2);
        QCOMPARE(w.text(), QStringLiteral("LibTorch 1.13.1 \u00b7 devices: cpu (2 threads), cuda:0, cuda:1"));
        for (const DeviceEntry& d : devices) {
            QVERIFY2(w.text().contains(d.id), qPrintable(d.id));
            QVERIFY2(w.toolTip().contains(d.description), qPrintable(d.description));
        }
    }

    void threadCountIsOptionalAndSingular() {
        const QList<DeviceEntry> cpu{{"cpu", "CPU"}};
        QCOMPARE(SystemStatusWidget::statusText("2.1.0", cpu), QStringLiteral("LibTorch 2.1.0 \u00b7 devices: cpu"));
        QCOMPARE(SystemStatusWidget::statusText("2.1.0", cpu, 1),
                 QStringLiteral("LibTorch 2.1.0 \u00b7 devices: cpu (1 thread)"));
    }

    void setStatusReplacesText() {
        SystemStatusWidget w;
        QVERIFY(w.text().isEmpty());
        w.setStatus("1.13.1", {{"cpu", "CPU (4 threads)"}}, 4);
        QVERIFY(w.text().contains("cpu (4 threads)"));
        w.setStatus("2.0.0", {{"cpu", "CPU"}, {"cuda:0", "GPU"}});
        QVERIFY(w.text().startsWith("LibTorch 2.0.0"));
        QVERIFY(w.text().contains("cuda:0"));
        QVERIFY(!w.text().contains("1.13.1"));
    }

    void emptyValuesAreNamed() {
        QCOMPARE(SystemStatusWidget::statusText({}, {}), QStringLiteral("LibTorch unknown \u00b7 devices: none"));
    }
};

QTEST_MAIN(TstSystemStatusWidget)
#include "tst_system_status_widget.moc"
