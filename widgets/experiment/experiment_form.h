// Form for core::ExperimentConfig, the experiment file `mgrpo run` reads:
// every field in groups (run, groups and alignment, objective, optimiser,
// rewards, evaluation), spin boxes whose ranges are the core's, load/save of
// the experiment JSON with errors naming the file and field, how to launch
// (decoupled or not; like the CLI flag, not part of the experiment file) and a
// Run button. The form only emits runRequested; the launcher acts on it.
#pragma once

#include "core/train/experiment_config.h"

#include <QMap>
#include <QWidget>

class QAbstractSpinBox;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mgrpo::widgets {

// How to run, beside what to run: `mgrpo run --decoupled --max-staleness N`.
struct LaunchChoice {
    bool decoupled = false;  // one process per trained agent, over loopback
    int maxStaleness = 0;    // 0: sample-level synchronisation (core range 0..100)
};

class ExperimentForm : public QWidget {
    Q_OBJECT

public:
    explicit ExperimentForm(QWidget* parent = nullptr);

    // The values on screen. Throws core::ConfigError only if a widget holds a value
    // the core rejects (ranges match, so it does not happen through the UI).
    core::ExperimentConfig config() const;
    nlohmann::json toJson() const;
    void setConfig(const core::ExperimentConfig& config);
    // Applies a JSON object through core::experimentConfigFromJson. On a bad value the
    // form keeps its values, shows the message (naming the field) and returns false.
    bool setJson(const nlohmann::json& json, QString* error = nullptr);
    bool loadFile(const QString& path, QString* error = nullptr);
    bool saveFile(const QString& path, QString* error = nullptr);

    // The spin box of a numeric JSON key ("steps", "rewards.a1", ...), or null.
    QAbstractSpinBox* numberField(const QString& key) const;
    QStringList numberKeys() const;
    // The message line under the form ("" when all is well).
    QString message() const;
    QPushButton* runButton() const { return m_run; }
    LaunchChoice launchChoice() const;
    void setLaunchChoice(const LaunchChoice& choice);

signals:
    // The user pressed Run with a valid config. Part 2's launcher connects here.
    void runRequested(const mgrpo::core::ExperimentConfig& config, const mgrpo::widgets::LaunchChoice& launch);
    void changed();

private:
    void showMessage(const QString& text, bool error);
    void updateEnabled();

    QMap<QString, QAbstractSpinBox*> m_numbers;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_seed = nullptr;
    QComboBox* m_algorithm = nullptr;
    QComboBox* m_ratioLevel = nullptr;
    QComboBox* m_aggregation = nullptr;
    QComboBox* m_schedule = nullptr;
    QCheckBox* m_autoD = nullptr;
    QCheckBox* m_decoupled = nullptr;
    QSpinBox* m_staleness = nullptr;
    QLabel* m_message = nullptr;
    QPushButton* m_run = nullptr;
    bool m_updating = false;
};

}  // namespace mgrpo::widgets
