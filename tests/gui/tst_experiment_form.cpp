// Tests for widgets::ExperimentForm: it starts at core's default config, every
// numeric field's range is exactly what core::experimentConfigFromJson accepts
// (checked against the core at both ends), out-of-range values are rejected
// (typed or loaded) with a message naming the field, the experiment JSON
// round-trips through a file, Run emits the config on screen, and the
// Decoupled launch box enables its max-staleness field and rides along with Run
// without entering the experiment file.
#include "core/util/json_fields.h"
#include "widgets/experiment/experiment_form.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using mgrpo::core::ExperimentConfig;
using mgrpo::widgets::ExperimentForm;
using mgrpo::widgets::LaunchChoice;

namespace {

nlohmann::json* at(nlohmann::json& j, const QString& key) {
    nlohmann::json* node = &j;
    for (const QString& p : key.split('.')) node = &(*node)[p.toStdString()];
    return node;
}

bool coreAccepts(const nlohmann::json& j) {
    try {
        mgrpo::core::experimentConfigFromJson(j);
        return true;
    } catch (const mgrpo::core::ConfigError&) {
        return false;
    }
}

}  // namespace

class TstExperimentForm : public QObject {
    Q_OBJECT

private slots:
    void startsAtCoreDefaults() {
        ExperimentForm form;
        QCOMPARE(form.config(), ExperimentConfig{});
        QCOMPARE(form.toJson().dump(), mgrpo::core::toJson(ExperimentConfig{}).dump());
        QVERIFY(form.findChild<QCheckBox*>("autoDField")->isChecked());  // fixed_d = 0 means automatic
        QVERIFY(!form.numberField("fixed_d")->isEnabled());
    }

    void everyNumericFieldIsOnTheForm() {
        ExperimentForm form;
        const nlohmann::json defaults = mgrpo::core::toJson(ExperimentConfig{});
        QStringList expected;
        for (const auto& [key, value] : defaults.items()) {
            if (value.is_object()) {
                for (const auto& [sub, v] : value.items()) expected << QString::fromStdString(key + "." + sub);
            } else if (value.is_number() && key != "seed") {
                expected << QString::fromStdString(key);
            }
        }
        expected.sort();
        QStringList keys = form.numberKeys();
        keys.sort();
        QCOMPARE(keys, expected);
    }

    void rangesMatchTheCore() {
        ExperimentForm form;
        for (const QString& key : form.numberKeys()) {
            double lo = 0, hi = 0, step = 1;
            if (auto* i = qobject_cast<QSpinBox*>(form.numberField(key))) {
                lo = i->minimum();
                hi = i->maximum();
            } else {
                auto* d = qobject_cast<QDoubleSpinBox*>(form.numberField(key));
                QVERIFY(d);
                lo = d->minimum();
                hi = d->maximum();
                step = std::max(1e-9, std::abs(hi) * 1e-6);
            }
            nlohmann::json j = mgrpo::core::toJson(ExperimentConfig{});
            const bool isInt = qobject_cast<QSpinBox*>(form.numberField(key)) != nullptr;
            auto set = [&](double v) {
                if (isInt) *at(j, key) = static_cast<int>(v);
                else *at(j, key) = v;
            };
            set(lo);
            QVERIFY2(coreAccepts(j), qPrintable(key + " min"));
            set(hi);
            QVERIFY2(coreAccepts(j), qPrintable(key + " max"));
            if (key == QLatin1String("fixed_d")) continue;  // 0 means automatic: the checkbox covers it
            set(hi + step);
            QVERIFY2(!coreAccepts(j), qPrintable(key + " above max"));
            set(lo - step);
            QVERIFY2(!coreAccepts(j), qPrintable(key + " below min"));
        }
    }

    void typedOutOfRangeIsRejected() {
        ExperimentForm form;
        auto* stage = qobject_cast<QSpinBox*>(form.numberField("stage"));
        stage->setFocus();
        stage->selectAll();
        QTest::keyClicks(stage, "7");
        QTest::keyClick(stage, Qt::Key_Enter);
        QCOMPARE(stage->value(), 2);  // stages are 1 and 2
        auto* k = qobject_cast<QSpinBox*>(form.numberField("samples_per_query"));
        k->setValue(1);                // below the minimum of 2: clamped
        QCOMPARE(k->value(), 2);
        auto* lr = qobject_cast<QDoubleSpinBox*>(form.numberField("learning_rate"));
        lr->setValue(3e-5);
        QCOMPARE(form.config().learningRate, 3e-5);
    }

    void loadedOutOfRangeIsRejectedWithTheField() {
        ExperimentForm form;
        nlohmann::json j = mgrpo::core::toJson(ExperimentConfig{});
        j["steps"] = 77;
        QVERIFY(form.setJson(j));
        QCOMPARE(form.config().steps, 77);
        QCOMPARE(form.message(), QString());

        j["clip_high"] = 12.0;
        QString error;
        QVERIFY(!form.setJson(j, &error));
        QVERIFY2(error.contains("experiment.clip_high") && error.contains("out of range"), qPrintable(error));
        QCOMPARE(form.message(), error);     // shown on the form
        QCOMPARE(form.config().steps, 77);   // nothing changed
        j["clip_high"] = 0.28;
        j["rewards"]["b3"] = -1.0;
        QVERIFY(!form.setJson(j, &error));
        QVERIFY2(error.contains("rewards.b3"), qPrintable(error));
        j["rewards"]["b3"] = 0.5;
        j["ratio_level"] = "batch";
        QVERIFY(!form.setJson(j, &error));
        QVERIFY2(error.contains("ratio_level"), qPrintable(error));
    }

    void fileRoundTripAndRun() {
        QTemporaryDir dir;
        ExperimentConfig c;
        c.name = "paper-stage2";
        c.algorithm = mgrpo::core::Algorithm::MainOnly;
        c.steps = 300;
        c.fixedD = 3;
        c.clipHigh = 0.3;
        c.ratioLevel = "sequence";
        c.lossAggregation = "seq-mean-token-mean";
        c.learningRate = 2.5e-6;
        c.lrSchedule = "cosine";
        c.warmupSteps = 10;
        c.rewards.b2 = 0.3;
        c.seed = 1234567890123ULL;
        ExperimentForm form;
        form.setConfig(c);
        QCOMPARE(form.config(), c);
        QVERIFY(!form.findChild<QCheckBox*>("autoDField")->isChecked());
        const QString path = dir.filePath("exp.json");
        QVERIFY(form.saveFile(path));
        QCOMPARE(mgrpo::core::loadExperimentFile(path.toStdString()), c);

        ExperimentForm other;
        QVERIFY(other.loadFile(path));
        QCOMPARE(other.config(), c);
        QSignalSpy run(&other, &ExperimentForm::runRequested);
        other.runButton()->click();
        QCOMPARE(run.count(), 1);
        QCOMPARE(run.at(0).at(0).value<ExperimentConfig>(), c);

        // A broken file names itself and leaves the form alone.
        QFile bad(dir.filePath("bad.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"steps\": 0}");
        bad.close();
        QString error;
        QVERIFY(!other.loadFile(bad.fileName(), &error));
        QVERIFY2(error.contains("bad.json") && error.contains("experiment.steps"), qPrintable(error));
        QCOMPARE(other.config(), c);
    }

    void decoupledLaunchChoiceRidesWithRun() {
        ExperimentForm form;
        auto* decoupled = form.findChild<QCheckBox*>("decoupledField");
        auto* staleness = form.findChild<QSpinBox*>("maxStalenessField");
        QVERIFY(decoupled && staleness);
        QVERIFY(!decoupled->isChecked());
        QVERIFY(!staleness->isEnabled());
        QCOMPARE(staleness->value(), 0);
        QCOMPARE(staleness->text(), QStringLiteral("0 (synchronous)"));
        QCOMPARE(staleness->maximum(), 100);  // the core's range (core/dist/session.cpp)

        QSignalSpy run(&form, &ExperimentForm::runRequested);
        form.runButton()->click();
        QCOMPARE(run.count(), 1);
        QVERIFY(!run.at(0).at(1).value<LaunchChoice>().decoupled);

        QTest::mouseClick(decoupled, Qt::LeftButton, {}, QPoint(4, decoupled->height() / 2));
        QVERIFY(decoupled->isChecked());
        QVERIFY(staleness->isEnabled());
        staleness->setValue(2);
        const nlohmann::json before = form.toJson();
        form.runButton()->click();
        QCOMPARE(run.count(), 2);
        const auto choice = run.at(1).at(1).value<LaunchChoice>();
        QVERIFY(choice.decoupled);
        QCOMPARE(choice.maxStaleness, 2);
        QCOMPARE(run.at(1).at(0).value<ExperimentConfig>(), form.config());
        QCOMPARE(before.dump(), mgrpo::core::toJson(form.config()).dump());  // not an experiment field

        decoupled->setChecked(false);
        QVERIFY(!staleness->isEnabled());
        form.setLaunchChoice({true, 5});
        QVERIFY(staleness->isEnabled());
        QCOMPARE(form.launchChoice().maxStaleness, 5);
    }
};


QTEST_MAIN(TstExperimentForm)
#include "tst_experiment_form.moc"
