#include "widgets/trajectory/trajectory_inspector.h"

#include "widgets/trajectory/rollout_comparison.h"

#include "widgets/trajectory/trajectory_tree_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

namespace mgrpo::widgets {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QTableWidgetItem* cell(const QString& text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

int delegations(const core::Rollout& r) { return static_cast<int>(r.invocations.size()) - 1; }

bool anyFormatError(const core::Rollout& r) {
    return std::any_of(r.invocations.begin(), r.invocations.end(), [](const auto& i) { return !i.formatValid; });
}

bool containsText(const core::Rollout& r, const QString& text) {
    for (const auto& inv : r.invocations) {
        if (qs(inv.task).contains(text, Qt::CaseInsensitive) || qs(inv.answer).contains(text, Qt::CaseInsensitive) ||
            qs(inv.alignment).contains(text, Qt::CaseInsensitive) || qs(inv.formatError).contains(text, Qt::CaseInsensitive))
            return true;
        for (const auto& s : inv.segments)
            if (qs(s.text).contains(text, Qt::CaseInsensitive)) return true;
    }
    return false;
}

// Background for a probability in [0, 1]: red (unlikely) to green (likely).
QString probColour(double p) {
    return QColor::fromHsvF(std::clamp(p, 0.0, 1.0) / 3.0, 0.45, 1.0).name();
}

QString advantageColour(double a) {
    const double t = std::min(1.0, std::abs(a));
    return (a >= 0 ? QColor::fromHsvF(1.0 / 3.0, 0.15 + 0.5 * t, 1.0) : QColor::fromHsvF(0.0, 0.15 + 0.5 * t, 1.0)).name();
}

}  // namespace

TrajectoryInspector::TrajectoryInspector(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("trajectoryInspector"));
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    m_runBox = new QComboBox;
    m_runBox->setObjectName(QStringLiteral("inspectRunBox"));
    m_runBox->setMinimumContentsLength(14);
    m_runBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_stepBox = new QComboBox;
    m_stepBox->setObjectName(QStringLiteral("inspectStepBox"));
    m_stepBox->setMinimumContentsLength(6);
    m_queryBox = new QComboBox;
    m_queryBox->setObjectName(QStringLiteral("inspectQueryBox"));
    m_queryBox->setMinimumContentsLength(16);
    m_queryBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_filterBox = new QComboBox;
    m_filterBox->addItems({tr("All rollouts"), tr("Incorrect only"), tr("Format errors only")});
    m_colourBox = new QComboBox;
    m_colourBox->addItems({tr("Colour tokens by log-prob"), tr("Colour tokens by advantage")});
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Search text\u2026"));
    m_search->setClearButtonEnabled(true);
    m_follow = new QCheckBox(tr("Follow latest step"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("While a run trains, show each new step as it arrives"));
    bar->addWidget(new QLabel(tr("Run")));
    bar->addWidget(m_runBox, 2);
    bar->addWidget(new QLabel(tr("Step")));
    bar->addWidget(m_stepBox);
    bar->addWidget(new QLabel(tr("Query")));
    bar->addWidget(m_queryBox, 3);
    bar->addWidget(m_follow);
    v->addLayout(bar);
    auto* bar2 = new QHBoxLayout;
    bar2->addWidget(m_filterBox);
    bar2->addWidget(m_search, 1);
    bar2->addWidget(m_colourBox);
    m_compare = new QPushButton(tr("Compare"));
    m_compare->setObjectName(QStringLiteral("compareRollouts"));
    m_compare->setToolTip(tr("Select two rollouts (Ctrl+click) to see them side by side"));
    m_compare->setEnabled(false);
    bar2->addWidget(m_compare);
    v->addLayout(bar2);

    auto* split = new QSplitter(Qt::Horizontal);
    m_table = new QTableWidget(0, 6);
    m_table->setObjectName(QStringLiteral("rolloutTable"));
    m_table->setHorizontalHeaderLabels({tr("k"), tr("R_M"), tr("Correct"), tr("A_M"), tr("Calls"), tr("Format")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("The K rollouts of the query, best reward first; select one to open its tree"));
    m_model = new TrajectoryTreeModel(this);
    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("trajectoryTree"));
    showTrajectoryTree(m_tree, m_model);
    m_detail = new QTextBrowser;
    m_detail->setObjectName(QStringLiteral("trajectoryDetail"));
    m_detail->setPlaceholderText(tr("Select a node of the tree to see its text and tokens"));
    split->addWidget(m_table);
    split->addWidget(m_tree);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 3);
    split->setSizes({250, 620, 360});
    m_tree->header()->setMinimumSectionSize(40);
    v->addWidget(split, 1);

    connect(m_runBox, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating || m_runBox->currentIndex() < 0) return;
        m_run = m_runBox->currentData().toLongLong();
        emit runChosen(m_run);
    });
    connect(m_stepBox, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating || m_stepBox->currentIndex() < 0) return;
        m_follow->setChecked(m_stepBox->currentIndex() == m_stepBox->count() - 1 && m_follow->isChecked());
        emit stepChosen(m_run, m_stepBox->currentData().toInt());
    });
    connect(m_queryBox, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updating) rebuildTable();
    });
    connect(m_filterBox, &QComboBox::currentIndexChanged, this, &TrajectoryInspector::rebuildTable);
    connect(m_search, &QLineEdit::textChanged, this, &TrajectoryInspector::rebuildTable);
    connect(m_colourBox, &QComboBox::currentIndexChanged, this, &TrajectoryInspector::showDetail);
    connect(m_compare, &QPushButton::clicked, this, [this] {
        if (auto* dialog = compareSelected()) dialog->show();
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_table->selectionModel()->selectedRows();
        m_compare->setEnabled(rows.size() == 2);
        if (rows.isEmpty()) return;
        const int i = m_table->item(rows.front().row(), 0)->data(Qt::UserRole).toInt();
        m_model->setRollout(m_rollouts[static_cast<size_t>(i)]);
        m_tree->expandAll();
        const QModelIndex root = m_model->index(0, 0);
        m_tree->setCurrentIndex(root);
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &TrajectoryInspector::showDetail);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TrajectoryInspector::showDetail);
}

void TrajectoryInspector::setRuns(const QList<QPair<qint64, QString>>& runs) {
    m_updating = true;
    const qint64 keep = m_run;
    m_runBox->clear();
    int keepIndex = -1;
    for (const auto& [id, label] : runs) {
        if (id == keep) keepIndex = m_runBox->count();
        m_runBox->addItem(label, id);
    }
    m_updating = false;
    if (keepIndex >= 0) {
        m_runBox->setCurrentIndex(keepIndex);
    } else if (m_runBox->count() > 0) {
        m_runBox->setCurrentIndex(0);
        m_run = m_runBox->itemData(0).toLongLong();
        emit runChosen(m_run);
    }
}

void TrajectoryInspector::setCurrentRun(qint64 run) {
    const int i = m_runBox->findData(run);
    if (i >= 0 && i != m_runBox->currentIndex()) m_runBox->setCurrentIndex(i);
    else if (i >= 0) emit runChosen(run);
}

void TrajectoryInspector::setSteps(qint64 run, const QList<int>& steps) {
    if (run != m_run) return;
    const int current = currentStep();
    const bool follow = m_follow->isChecked() || current < 0;
    m_updating = true;
    m_stepBox->clear();
    for (int s : steps) m_stepBox->addItem(QString::number(s), s);
    int index = follow ? m_stepBox->count() - 1 : m_stepBox->findData(current);
    if (index < 0) index = m_stepBox->count() - 1;
    m_stepBox->setCurrentIndex(index);
    m_updating = false;
    const int chosen = currentStep();
    if (chosen >= 0 && chosen != m_step) emit stepChosen(m_run, chosen);
}

void TrajectoryInspector::setCurrentStep(int step) {
    const int i = m_stepBox->findData(step);
    if (i >= 0) m_stepBox->setCurrentIndex(i);
}

void TrajectoryInspector::setTrajectories(qint64 run, int step, const QList<QByteArray>& rolloutsJson) {
    if (run != m_run) return;
    m_step = step;
    m_rollouts.clear();
    for (const QByteArray& text : rolloutsJson) {
        try {
            m_rollouts.push_back(core::rolloutFromJson(nlohmann::json::parse(text.toStdString())));
        } catch (const std::exception&) {
            // A damaged record: the others are still worth showing.
        }
    }
    if (m_stepBox->findData(step) < 0) {
        m_updating = true;
        m_stepBox->addItem(QString::number(step), step);
        m_updating = false;
    }
    m_updating = true;
    m_stepBox->setCurrentIndex(m_stepBox->findData(step));
    m_updating = false;
    rebuildQueries();
}

void TrajectoryInspector::rebuildQueries() {
    const int keep = currentQuery();
    m_updating = true;
    m_queryBox->clear();
    std::set<int> seen;
    for (const auto& r : m_rollouts) {
        if (!seen.insert(r.query).second) continue;
        const QString question = r.invocations.empty() ? QString() : qs(r.main().task).simplified();
        m_queryBox->addItem(tr("#%1  %2").arg(r.query).arg(question.left(60)), r.query);
    }
    const int i = m_queryBox->findData(keep);
    m_queryBox->setCurrentIndex(i >= 0 ? i : 0);
    m_updating = false;
    rebuildTable();
}

void TrajectoryInspector::rebuildTable() {
    const int keepSample = shownSample();
    const int query = currentQuery();
    const auto filter = static_cast<Filter>(m_filterBox->currentIndex());
    const QString search = m_search->text().trimmed();
    std::vector<int> rows;
    for (size_t i = 0; i < m_rollouts.size(); ++i) {
        const auto& r = m_rollouts[i];
        if (r.query != query) continue;
        if (filter == Filter::Incorrect && r.correct) continue;
        if (filter == Filter::FormatErrors && !anyFormatError(r)) continue;
        if (!search.isEmpty() && !containsText(r, search)) continue;
        rows.push_back(static_cast<int>(i));
    }
    std::stable_sort(rows.begin(), rows.end(), [this](int a, int b) {
        return m_rollouts[static_cast<size_t>(a)].rewardMain > m_rollouts[static_cast<size_t>(b)].rewardMain;
    });
    const QSignalBlocker block(m_table);
    m_table->clearContents();
    m_table->setRowCount(static_cast<int>(rows.size()));
    int keepRow = -1;
    for (int row = 0; row < static_cast<int>(rows.size()); ++row) {
        const auto& r = m_rollouts[static_cast<size_t>(rows[row])];
        auto* k = cell(QString::number(r.sample));
        k->setData(Qt::UserRole, rows[row]);
        m_table->setItem(row, 0, k);
        m_table->setItem(row, 1, cell(QString::number(r.rewardMain, 'f', 3)));
        auto* correct = cell(r.correct ? tr("yes") : tr("no"), Qt::AlignCenter);
        correct->setForeground(r.correct ? QColor(0x20, 0x80, 0x20) : QColor(0xc0, 0x20, 0x20));
        m_table->setItem(row, 2, correct);
        m_table->setItem(row, 3, cell(r.invocations.empty() ? QString() : QString::asprintf("%+.3f", r.main().advantage)));
        m_table->setItem(row, 4, cell(QString::number(delegations(r))));
        m_table->setItem(row, 5, cell(anyFormatError(r) ? tr("error") : tr("ok"), Qt::AlignCenter));
        if (r.sample == keepSample) keepRow = row;
    }
    if (rows.empty()) {
        m_model->clear();
        return;
    }
    m_table->selectRow(keepRow >= 0 ? keepRow : 0);
    const int i = m_table->item(keepRow >= 0 ? keepRow : 0, 0)->data(Qt::UserRole).toInt();
    m_model->setRollout(m_rollouts[static_cast<size_t>(i)]);
    m_tree->expandAll();
    m_tree->setCurrentIndex(m_model->index(0, 0));
}

void TrajectoryInspector::selectRollout(int row) {
    if (row >= 0 && row < m_table->rowCount()) m_table->selectRow(row);
}

bool TrajectoryInspector::showFirstMatching(const QString& text) {
    for (int q = 0; q < m_queryBox->count(); ++q) {
        m_queryBox->setCurrentIndex(q);
        m_search->setText(text);
        if (visibleRollouts() > 0) {
            // Show the whole group again, with the matching rollout selected.
            const int sample = shownSample();
            m_search->clear();
            for (int row = 0; row < m_table->rowCount(); ++row)
                if (m_table->item(row, 0)->text().toInt() == sample) selectRollout(row);
            return true;
        }
    }
    m_search->clear();
    return false;
}

bool TrajectoryInspector::followsLatest() const { return m_follow->isChecked(); }
void TrajectoryInspector::setFollowLatest(bool follow) { m_follow->setChecked(follow); }
qint64 TrajectoryInspector::currentRun() const { return m_run; }
int TrajectoryInspector::currentStep() const { return m_stepBox->currentIndex() < 0 ? -1 : m_stepBox->currentData().toInt(); }
int TrajectoryInspector::currentQuery() const { return m_queryBox->currentIndex() < 0 ? -1 : m_queryBox->currentData().toInt(); }
void TrajectoryInspector::setCurrentQuery(int query) {
    const int i = m_queryBox->findData(query);
    if (i >= 0) m_queryBox->setCurrentIndex(i);
}
void TrajectoryInspector::setFilter(Filter filter) { m_filterBox->setCurrentIndex(static_cast<int>(filter)); }
void TrajectoryInspector::setSearchText(const QString& text) { m_search->setText(text); }
void TrajectoryInspector::setColouring(Colouring colouring) { m_colourBox->setCurrentIndex(static_cast<int>(colouring)); }
int TrajectoryInspector::visibleRollouts() const { return m_table->rowCount(); }

void TrajectoryInspector::selectRollouts(const QList<int>& rows) {
    m_table->clearSelection();
    for (int row : rows)
        if (row >= 0 && row < m_table->rowCount())
            m_table->selectionModel()->select(m_table->model()->index(row, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

QList<int> TrajectoryInspector::selectedRolloutIndices() const {
    QList<int> out;
    auto rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const auto& r : rows) out << m_table->item(r.row(), 0)->data(Qt::UserRole).toInt();
    return out;
}

RolloutComparison* TrajectoryInspector::compareSelected() {
    const auto picked = selectedRolloutIndices();
    if (picked.size() != 2) return nullptr;
    auto* dialog = new RolloutComparison(m_rollouts[static_cast<size_t>(picked[0])],
                                         m_rollouts[static_cast<size_t>(picked[1])], this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}
int TrajectoryInspector::shownSample() const { return m_model->isEmpty() ? -1 : m_model->rollout().sample; }
QString TrajectoryInspector::detailHtml() const { return m_detail->toHtml(); }

QString TrajectoryInspector::segmentHtml(const core::Invocation& inv, const core::Segment& seg) const {
    if (seg.kind != core::SegmentKind::Action)
        return QStringLiteral("<div style='color:#777'><small>%1 \u00b7 context, loss mask 0 \u00b7 %2 tokens</small><br>%3</div>")
            .arg(qs(core::toString(seg.kind)))
            .arg(seg.tokens.size())
            .arg(qs(seg.text).toHtmlEscaped());
    const bool byAdvantage = m_colourBox->currentIndex() == static_cast<int>(Colouring::Advantage);
    const QStringList words = qs(seg.text).split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    double mean = 0;
    for (float lp : seg.logProbs) mean += lp;
    if (!seg.logProbs.empty()) mean /= static_cast<double>(seg.logProbs.size());
    QString body;
    if (byAdvantage) {
        body = QStringLiteral("<span style='background:%1'>%2</span>")
                   .arg(advantageColour(inv.advantage), qs(seg.text).toHtmlEscaped());
    } else if (!seg.logProbs.empty() && words.size() == static_cast<qsizetype>(seg.logProbs.size())) {
        for (int i = 0; i < words.size(); ++i)
            body += QStringLiteral("<span style='background:%1' title='log p = %3'>%2</span> ")
                        .arg(probColour(std::exp(seg.logProbs[static_cast<size_t>(i)])), words[i].toHtmlEscaped())
                        .arg(seg.logProbs[static_cast<size_t>(i)], 0, 'f', 2);
    } else {
        body = QStringLiteral("<span style='background:%1'>%2</span>")
                   .arg(seg.logProbs.empty() ? QStringLiteral("#eeeeee") : probColour(std::exp(mean)),
                        qs(seg.text).toHtmlEscaped());
    }
    const QString stats = seg.logProbs.empty()
                              ? tr("no log-probs (scripted)")
                              : tr("mean log-prob %1 (p %2)").arg(mean, 0, 'f', 2).arg(std::exp(mean), 0, 'f', 2);
    return QStringLiteral("<div><small><b>Generated</b> \u00b7 trained, loss mask 1 \u00b7 %1 tokens \u00b7 %2 \u00b7 advantage %3</small><br>%4</div>")
        .arg(seg.tokens.size())
        .arg(stats)
        .arg(QString::asprintf("%+.3f", inv.advantage))
        .arg(body);
}

void TrajectoryInspector::showDetail() {
    const QModelIndex index = m_tree->currentIndex();
    if (!index.isValid() || m_model->isEmpty()) {
        m_detail->clear();
        return;
    }
    const auto& rollout = m_model->rollout();
    const int invId = index.data(TrajectoryTreeModel::InvocationRole).toInt();
    const int segment = index.data(TrajectoryTreeModel::SegmentRole).toInt();
    const auto& inv = rollout.invocations[static_cast<size_t>(invId)];
    QString html;
    const auto kind = m_model->kind(index);
    if (kind == TrajectoryTreeModel::Kind::Invocation) {
        html += QStringLiteral("<h3>%1 %2</h3>").arg(inv.parent < 0 ? tr("Main agent") : tr("Sub-agent"), qs(inv.agentId).toHtmlEscaped());
        html += QStringLiteral("<p><b>%1</b> %2<br>").arg(inv.parent < 0 ? tr("Question:") : tr("Subtask:"), qs(inv.task).toHtmlEscaped());
        html += tr("Reward %1 \u00b7 advantage %2 \u00b7 alignment %3 \u00b7 %4 turns")
                    .arg(inv.parent < 0 ? rollout.rewardMain : inv.reward, 0, 'f', 3)
                    .arg(QString::asprintf("%+.3f", inv.advantage))
                    .arg(TrajectoryTreeModel::alignmentText(inv.alignment).toHtmlEscaped())
                    .arg(inv.turns);
        if (inv.parent >= 0) html += tr(" \u00b7 expert score %1").arg(inv.expertScore, 0, 'f', 3);
        if (!inv.formatValid) html += QStringLiteral("<br><span style='color:#c02020'>%1</span>").arg(tr("Format error: %1").arg(qs(inv.formatError).toHtmlEscaped()));
        html += QStringLiteral("</p><hr>");
        for (const auto& seg : inv.segments) html += segmentHtml(inv, seg) + QStringLiteral("<br>");
    } else if (segment >= 0) {
        html += segmentHtml(inv, inv.segments[static_cast<size_t>(segment)]);
    } else {
        html += QStringLiteral("<p>%1</p>").arg(index.data(TrajectoryTreeModel::FullTextRole).toString().toHtmlEscaped());
    }
    m_detail->setHtml(html);
}

}  // namespace mgrpo::widgets
