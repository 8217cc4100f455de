// The History area: every run of the SQLite history in a sortable, filterable
// table (status, algorithm, tag, text); the selected run's notes and tags are
// editable; runs can be deleted (with confirmation), compared (config diff
// here, metric overlay in the Monitor through showInMonitor), exported as CSV
// or JSONL, resumed when interrupted or stopped, and a finished run's final
// topology opened in the designer. Reads the database on the UI thread with
// short queries; opens its own connection per action.
#pragma once

#include "core/store/records.h"

#include <QList>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace mgrpo::store {
class HistoryStore;
}

namespace mgrpo::widgets {

class RunFilterProxy;
class RunTableModel;

class HistoryBrowser : public QWidget {
    Q_OBJECT

public:
    explicit HistoryBrowser(QWidget* parent = nullptr);

    void setDatabasePath(const QString& path);
    QString databasePath() const { return m_db; }
    // Re-reads the runs (keeps selection, sort and filters). False (and a message) on a database error.
    bool refresh();

    RunTableModel* model() const { return m_model; }
    RunFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    QTableWidget* compareTable() const { return m_compare; }
    QList<qint64> selectedRuns() const;
    void selectRuns(const QList<qint64>& runs);

    // Config diff of the runs (the first is the reference) into the compare table:
    // one row per setting that differs, one column per run.
    bool compare(const QList<qint64>& runs);
    // Deletes after asking, unless confirm is false.
    bool deleteRuns(const QList<qint64>& runs, bool confirm = true);
    bool saveNotesAndTags(qint64 run, const QString& notes, const QStringList& tags);
    // CSV: step,metric,value. JSONL: one object per line: metrics of a step,
    // evaluations, stored trajectories (with their tree), checkpoints.
    bool exportRun(qint64 run, const QString& path, bool jsonl);
    QString lastError() const { return m_error; }

signals:
    void showInMonitor(const QList<qint64>& runs);
    void inspectRun(qint64 run);
    void resumeRequested(qint64 run);
    void openTopology(const QString& path);
    void statusMessage(const QString& text);

private:
    bool withStore(const std::function<void(store::HistoryStore&)>& fn);
    void updateDetails();
    void updateButtons();

    QString m_db;
    QString m_error;
    RunTableModel* m_model = nullptr;
    RunFilterProxy* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_status = nullptr;
    QComboBox* m_algorithm = nullptr;
    QLineEdit* m_tag = nullptr;
    QLineEdit* m_text = nullptr;
    QLabel* m_dbLabel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_info = nullptr;
    QPlainTextEdit* m_notes = nullptr;
    QLineEdit* m_tags = nullptr;
    QPushButton* m_saveNotes = nullptr;
    QTableWidget* m_compare = nullptr;
    QPushButton* m_monitor = nullptr;
    QPushButton* m_inspect = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_topology = nullptr;
    QPushButton* m_delete = nullptr;
    qint64 m_detailRun = 0;
};

}  // namespace mgrpo::widgets
