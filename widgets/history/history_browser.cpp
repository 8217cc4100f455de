#include "widgets/history/history_browser.h"

#include "widgets/history/run_table_model.h"

#include "core/store/config_diff.h"
#include "core/store/history_store.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>

#include <map>
#include <set>

namespace mgrpo::widgets {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

QString jsonText(const nlohmann::json* value) {
    if (!value) return QStringLiteral("(absent)");
    return value->is_string() ? qs(value->get<std::string>()) : qs(value->dump());
}

const QStringList kStatuses = {QStringLiteral("running"),  QStringLiteral("paused"),      QStringLiteral("finished"),
                               QStringLiteral("failed"),   QStringLiteral("stopped"),     QStringLiteral("interrupted"),
                               QStringLiteral("queued")};
}  // namespace

HistoryBrowser::HistoryBrowser(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("historyBrowser"));
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);

    auto* filters = new QHBoxLayout;
    m_status = new QComboBox;
    m_status->setObjectName(QStringLiteral("historyStatusFilter"));
    m_status->addItem(tr("Any status"), QString());
    for (const QString& s : kStatuses) m_status->addItem(s, s);
    m_algorithm = new QComboBox;
    m_algorithm->setObjectName(QStringLiteral("historyAlgorithmFilter"));
    m_algorithm->addItem(tr("Any algorithm"), QString());
    m_tag = new QLineEdit;
    m_tag->setPlaceholderText(tr("Tag"));
    m_tag->setMaximumWidth(120);
    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("historyTextFilter"));
    m_text->setPlaceholderText(tr("Search experiment, notes, errors\u2026"));
    m_text->setClearButtonEnabled(true);
    auto* refreshButton = new QPushButton(tr("Refresh"));
    filters->addWidget(m_status);
    filters->addWidget(m_algorithm);
    filters->addWidget(m_tag);
    filters->addWidget(m_text, 1);
    filters->addWidget(refreshButton);
    v->addLayout(filters);

    auto* buttons = new QHBoxLayout;
    m_monitor = new QPushButton(tr("Show in Monitor"));
    m_monitor->setToolTip(tr("Overlay the selected runs' curves in the Monitor"));
    m_inspect = new QPushButton(tr("Inspect"));
    m_inspect->setToolTip(tr("Open the run's stored trajectories in Inspect"));
    m_compareButton = new QPushButton(tr("Compare"));
    m_compareButton->setObjectName(QStringLiteral("historyCompareButton"));
    m_compareButton->setToolTip(tr("Select two or more runs: config diff below, curves overlaid in the Monitor"));
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setToolTip(tr("Continue an interrupted or stopped run from its last checkpoint"));
    m_export = new QPushButton(tr("Export"));
    auto* exportMenu = new QMenu(m_export);
    m_export->setMenu(exportMenu);
    m_topology = new QPushButton(tr("Open final topology"));
    m_topology->setToolTip(tr("Open the trained checkpoints as the starting point of a new topology"));
    m_delete = new QPushButton(tr("Delete\u2026"));
    for (QPushButton* b : {m_monitor, m_inspect, m_compareButton, m_resume, m_export, m_topology}) buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);
    v->addLayout(buttons);

    auto* split = new QSplitter(Qt::Vertical);
    m_model = new RunTableModel(this);
    m_proxy = new RunFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunTableModel::IdColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    split->addWidget(m_table);

    m_tabs = new QTabWidget;
    auto* details = new QWidget;
    auto* form = new QFormLayout(details);
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes = new QPlainTextEdit;
    m_notes->setObjectName(QStringLiteral("historyNotes"));
    m_notes->setPlaceholderText(tr("Notes on this run"));
    m_notes->setMaximumHeight(70);
    m_tags = new QLineEdit;
    m_tags->setObjectName(QStringLiteral("historyTags"));
    m_tags->setPlaceholderText(tr("comma, separated, tags"));
    m_saveNotes = new QPushButton(tr("Save notes and tags"));
    form->addRow(m_info);
    form->addRow(tr("Notes"), m_notes);
    form->addRow(tr("Tags"), m_tags);
    form->addRow(QString(), m_saveNotes);
    m_tabs->addTab(details, tr("Details"));
    m_compare = new QTableWidget(0, 0);
    m_compare->setObjectName(QStringLiteral("configDiffTable"));
    m_compare->verticalHeader()->hide();
    m_compare->horizontalHeader()->setStretchLastSection(true);
    m_compare->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tabs->addTab(m_compare, tr("Config diff"));
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    v->addWidget(split, 1);
    m_dbLabel = new QLabel;
    m_dbLabel->setEnabled(false);
    m_dbLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_dbLabel);

    connect(refreshButton, &QPushButton::clicked, this, &HistoryBrowser::refresh);
    connect(m_status, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setStatusFilter(m_status->currentData().toString()); });
    connect(m_algorithm, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setAlgorithmFilter(m_algorithm->currentData().toString()); });
    connect(m_tag, &QLineEdit::textChanged, m_proxy, &RunFilterProxy::setTagFilter);
    connect(m_text, &QLineEdit::textChanged, m_proxy, &RunFilterProxy::setTextFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateDetails();
        updateButtons();
    });
    connect(m_monitor, &QPushButton::clicked, this, [this] { emit showInMonitor(selectedRuns()); });
    connect(m_inspect, &QPushButton::clicked, this, [this] {
        if (!selectedRuns().isEmpty()) emit inspectRun(selectedRuns().front());
    });
    connect(m_compareButton, &QPushButton::clicked, this, [this] {
        const auto runs = selectedRuns();
        if (compare(runs)) emit showInMonitor(runs);
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (!selectedRuns().isEmpty()) emit resumeRequested(selectedRuns().front());
    });
    connect(m_topology, &QPushButton::clicked, this, [this] {
        const auto runs = selectedRuns();
        if (runs.isEmpty()) return;
        const store::RunInfo* r = m_model->run(runs.front());
        const QString path = r ? qs(r->runDir) + QStringLiteral("/final_topology.json") : QString();
        if (QFileInfo::exists(path)) emit openTopology(path);
        else emit statusMessage(tr("Run %1 has no final topology (it did not finish here): %2").arg(runs.front()).arg(path));
    });
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteRuns(selectedRuns(), true); });
    connect(m_saveNotes, &QPushButton::clicked, this, [this] {
        if (!m_detailRun) return;
        QStringList tags;
        for (const QString& t : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!t.trimmed().isEmpty()) tags << t.trimmed();
        if (saveNotesAndTags(m_detailRun, m_notes->toPlainText(), tags))
            emit statusMessage(tr("Saved notes and tags of run %1").arg(m_detailRun));
    });
    auto exportAs = [this](bool jsonl) {
        const auto runs = selectedRuns();
        if (runs.isEmpty()) return;
        const QString suggested = QStringLiteral("run-%1.%2").arg(runs.front()).arg(jsonl ? "jsonl" : "csv");
        const QString path = QFileDialog::getSaveFileName(this, tr("Export run %1").arg(runs.front()), suggested,
                                                          jsonl ? tr("JSON lines (*.jsonl)") : tr("CSV files (*.csv)"));
        if (path.isEmpty()) return;
        emit statusMessage(exportRun(runs.front(), path, jsonl) ? tr("Exported run %1 to %2").arg(runs.front()).arg(path)
                                                                : m_error);
    };
    exportMenu->addAction(tr("Metrics as CSV\u2026"), this, [exportAs] { exportAs(false); });
    exportMenu->addAction(tr("Everything as JSONL\u2026"), this, [exportAs] { exportAs(true); });
    updateButtons();
}

void HistoryBrowser::setDatabasePath(const QString& path) {
    m_db = path;
    m_dbLabel->setText(tr("Database: %1").arg(path));
    refresh();
}

bool HistoryBrowser::withStore(const std::function<void(store::HistoryStore&)>& fn) {
    if (m_db.isEmpty()) return false;
    try {
        store::HistoryStore store(m_db.toStdString());
        fn(store);
        m_error.clear();
        return true;
    } catch (const std::exception& e) {
        m_error = QString::fromUtf8(e.what());
        emit statusMessage(m_error);
        return false;
    }
}

bool HistoryBrowser::refresh() {
    std::vector<store::RunInfo> runs;
    if (!withStore([&](store::HistoryStore& s) { runs = s.listRuns(); })) return false;
    const bool first = m_model->rowCount() == 0;
    m_model->setRuns(std::move(runs));
    if (first) m_table->resizeColumnsToContents();
    const QString keep = m_algorithm->currentData().toString();
    const QSignalBlocker block(m_algorithm);
    m_algorithm->clear();
    m_algorithm->addItem(tr("Any algorithm"), QString());
    for (const QString& a : m_model->algorithms()) m_algorithm->addItem(a, a);
    m_algorithm->setCurrentIndex(std::max(0, m_algorithm->findData(keep)));
    updateDetails();
    updateButtons();
    return true;
}

QList<qint64> HistoryBrowser::selectedRuns() const {
    QList<qint64> out;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        out << i.data(RunTableModel::RunIdRole).toLongLong();
    std::sort(out.begin(), out.end());
    return out;
}

void HistoryBrowser::selectRuns(const QList<qint64>& runs) {
    QItemSelection selection;
    for (qint64 id : runs) {
        const int row = m_model->rowOf(id);
        if (row < 0) continue;
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(row, 0));
        if (i.isValid()) selection.select(i, i.siblingAtColumn(RunTableModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void HistoryBrowser::updateButtons() {
    const auto runs = selectedRuns();
    const store::RunInfo* first = runs.isEmpty() ? nullptr : m_model->run(runs.front());
    m_monitor->setEnabled(!runs.isEmpty());
    m_inspect->setEnabled(runs.size() == 1);
    m_compareButton->setEnabled(runs.size() >= 2);
    m_export->setEnabled(runs.size() == 1);
    m_delete->setEnabled(!runs.isEmpty());
    m_topology->setEnabled(first && first->status == store::RunStatus::Finished);
    m_resume->setEnabled(runs.size() == 1 && first &&
                         (first->status == store::RunStatus::Interrupted || first->status == store::RunStatus::Stopped ||
                          first->status == store::RunStatus::Failed));
}

void HistoryBrowser::updateDetails() {
    const auto runs = selectedRuns();
    const store::RunInfo* r = runs.size() == 1 ? m_model->run(runs.front()) : nullptr;
    const qint64 id = r ? r->id : 0;
    m_notes->setEnabled(r);
    m_tags->setEnabled(r);
    m_saveNotes->setEnabled(r);
    if (!r) {
        m_detailRun = 0;
        m_info->setText(runs.size() > 1 ? tr("%1 runs selected: Compare shows their config diff and overlays their curves.")
                                              .arg(runs.size())
                                        : tr("Select a run to see its details."));
        m_notes->clear();
        m_tags->clear();
        return;
    }
    m_info->setText(tr("<b>Run %1</b> \u00b7 %2 \u00b7 %3 \u00b7 seed %4 on %5<br>created %6, started %7, ended %8<br>"
                       "directory %9%10")
                        .arg(r->id)
                        .arg(qs(r->experiment).toHtmlEscaped(), qs(r->algorithm), qs(store::runStatusName(r->status)))
                        .arg(r->seed)
                        .arg(qs(r->device), qs(r->created), r->started.empty() ? tr("never") : qs(r->started),
                             r->ended.empty() ? tr("not yet") : qs(r->ended), qs(r->runDir).toHtmlEscaped(),
                             r->error.empty() ? QString()
                                              : QStringLiteral("<br><span style='color:#c02020'>%1</span>")
                                                    .arg(tr("Error: %1").arg(qs(r->error).toHtmlEscaped()))));
    if (id == m_detailRun) return;  // keep what the user is typing
    m_detailRun = id;
    m_notes->setPlainText(qs(r->notes));
    QStringList tags;
    for (const auto& t : r->tags) tags << qs(t);
    m_tags->setText(tags.join(QStringLiteral(", ")));
}

bool HistoryBrowser::compare(const QList<qint64>& runs) {
    if (runs.size() < 2) {
        emit statusMessage(tr("Select two or more runs to compare"));
        return false;
    }
    std::vector<std::map<std::string, nlohmann::json>> flat;
    std::set<std::string> changed;
    const bool ok = withStore([&](store::HistoryStore& s) {
        for (qint64 id : runs) flat.push_back(store::flattenJson(s.runDetails(id).config));
        for (int i = 1; i < runs.size(); ++i)
            for (const auto& c : s.configDiff(runs.front(), runs[i])) changed.insert(c.path);
    });
    if (!ok) return false;
    m_compare->clear();
    m_compare->setColumnCount(static_cast<int>(runs.size()) + 1);
    QStringList headers{tr("Setting")};
    for (qint64 id : runs) {
        const store::RunInfo* r = m_model->run(id);
        headers << (r ? tr("run %1 (%2)").arg(id).arg(qs(r->experiment)) : tr("run %1").arg(id));
    }
    m_compare->setHorizontalHeaderLabels(headers);
    m_compare->setRowCount(static_cast<int>(changed.size()));
    int row = 0;
    for (const auto& path : changed) {
        m_compare->setItem(row, 0, new QTableWidgetItem(qs(path)));
        for (size_t c = 0; c < flat.size(); ++c) {
            const auto it = flat[c].find(path);
            auto* item = new QTableWidgetItem(jsonText(it == flat[c].end() ? nullptr : &it->second));
            if (c > 0) item->setBackground(QColor(0xff, 0xf3, 0xc4));
            m_compare->setItem(row, static_cast<int>(c) + 1, item);
        }
        ++row;
    }
    m_compare->resizeColumnsToContents();
    m_tabs->setCurrentWidget(m_compare);
    m_tabs->setTabText(m_tabs->indexOf(m_compare), tr("Config diff (%1)").arg(changed.size()));
    return true;
}

bool HistoryBrowser::deleteRuns(const QList<qint64>& runs, bool confirm) {
    if (runs.isEmpty()) return false;
    if (confirm) {
        QStringList ids;
        for (qint64 id : runs) ids << QString::number(id);
        const auto answer = QMessageBox::question(
            this, tr("Delete runs"),
            tr("Delete run(s) %1 with their metrics, trajectories and evaluations from the history?\n"
               "Checkpoint files on disk are kept.")
                .arg(ids.join(QStringLiteral(", "))),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) return false;
    }
    const bool ok = withStore([&](store::HistoryStore& s) {
        for (qint64 id : runs) s.deleteRun(id);
    });
    refresh();
    if (ok) emit statusMessage(tr("Deleted %n run(s)", nullptr, static_cast<int>(runs.size())));
    return ok;
}

bool HistoryBrowser::saveNotesAndTags(qint64 run, const QString& notes, const QStringList& tags) {
    const bool ok = withStore([&](store::HistoryStore& s) {
        s.setNotes(run, notes.toStdString());
        std::set<std::string> wanted;
        for (const QString& t : tags) wanted.insert(t.toStdString());
        const auto current = s.runDetails(run).info.tags;
        for (const auto& t : current)
            if (!wanted.count(t)) s.removeTag(run, t);
        s.addTags(run, std::vector<std::string>(wanted.begin(), wanted.end()));
    });
    m_detailRun = 0;  // reload the fields from the database
    refresh();
    return ok;
}

bool HistoryBrowser::exportRun(qint64 run, const QString& path, bool jsonl) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        m_error = tr("Cannot write %1: %2").arg(path, file.errorString());
        emit statusMessage(m_error);
        return false;
    }
    QTextStream out(&file);
    return withStore([&](store::HistoryStore& s) {
        const auto metrics = s.allMetrics(run);
        if (!jsonl) {
            out << "step,metric,value\n";
            for (const auto& [step, name, value] : metrics)
                out << step << ',' << qs(name) << ',' << QString::number(value, 'g', 12) << '\n';
            return;
        }
        const auto details = s.runDetails(run);
        out << qs(nlohmann::json{{"type", "run"}, {"id", run}, {"experiment", details.info.experiment},
                                 {"algorithm", details.info.algorithm}, {"status", store::runStatusName(details.info.status)},
                                 {"config", details.config}, {"topology", details.topology}}
                      .dump())
            << '\n';
        nlohmann::json step;
        auto flush = [&] {
            if (!step.is_null()) out << qs(step.dump()) << '\n';
            step = nullptr;
        };
        for (const auto& [n, name, value] : metrics) {
            if (step.is_null() || step["step"] != n) {
                flush();
                step = {{"type", "metrics"}, {"step", n}, {"metrics", nlohmann::json::object()}};
            }
            step["metrics"][name] = value;
        }
        flush();
        for (const auto& e : s.evaluations(run))
            out << qs(nlohmann::json{{"type", "evaluation"}, {"step", e.step}, {"suite", e.record.suite},
                                     {"queries", e.record.queries}, {"metrics", e.record.metrics}}
                          .dump())
                << '\n';
        for (const auto& t : s.allTrajectories(run)) {
            nlohmann::json tree = nlohmann::json::parse(t.record.treeJson, nullptr, false);
            out << qs(nlohmann::json{{"type", "trajectory"}, {"step", t.step}, {"query", t.record.query},
                                     {"rollout", t.record.rollout}, {"split", t.record.split},
                                     {"reward", t.record.reward}, {"correct", t.record.correct}, {"tree", tree}}
                          .dump())
                << '\n';
        }
        for (const auto& c : s.checkpoints(run))
            out << qs(nlohmann::json{{"type", "checkpoint"}, {"step", c.step}, {"path", c.path}, {"bytes", c.sizeBytes}}
                          .dump())
                << '\n';
    });
}

}  // namespace mgrpo::widgets
