// The History area on a temporary database: the table follows inserts and
// deletes (as row insertions/removals), filters by status, algorithm, tag and
// text, edits notes and tags, compares runs (the config diff the store
// computes), exports CSV and JSONL; a damaged database is a message, not a crash.
#include "widgets/history/history_browser.h"
#include "widgets/history/run_table_model.h"

#include "core/store/config_diff.h"
#include "core/store/history_store.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace mgrpo;
using widgets::RunTableModel;

namespace {
store::RunSpec spec(const std::string& experiment, const std::string& algorithm, double lr, int steps) {
    store::RunSpec s;
    s.experiment = experiment;
    s.algorithm = algorithm;
    s.config = {{"name", experiment}, {"algorithm", algorithm}, {"learning_rate", lr}, {"steps", steps},
                {"rewards", {{"a1", 1.0}, {"a2", 0.5}}}};
    s.runDir = "/tmp/nowhere/" + experiment;
    return s;
}
}  // namespace

class TestHistoryBrowser : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void tableFollowsInsertsAndDeletes() {
        const QString db = m_dir.filePath("a.sqlite");
        store::HistoryStore store(db.toStdString());
        const auto a = store.createRun(spec("alpha", "mgrpo", 1e-3, 10));
        const auto b = store.createRun(spec("beta", "main-only", 1e-3, 10));
        store.setStatus(b, store::RunStatus::Failed, "NaN in loss of agent main");
        widgets::HistoryBrowser browser;
        browser.setDatabasePath(db);
        QCOMPARE(browser.model()->rowCount(), 2);
        QSignalSpy inserted(browser.model(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(browser.model(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(browser.model(), &QAbstractItemModel::modelReset);

        const auto c = store.createRun(spec("gamma", "mgrpo", 2e-3, 20));
        QVERIFY(browser.refresh());
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(browser.model()->rowCount(), 3);
        QVERIFY(browser.model()->rowOf(c) >= 0);
        // Newest first in the view.
        QCOMPARE(browser.proxy()->index(0, 0).data(RunTableModel::RunIdRole).toLongLong(), c);

        browser.selectRuns({a});
        QCOMPARE(browser.selectedRuns(), (QList<qint64>{a}));
        QVERIFY(browser.deleteRuns({a}, /*confirm=*/false));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(browser.model()->rowOf(a), -1);
        QVERIFY(!store.hasRun(a));

        // A status change arrives as dataChanged, not as a new row.
        QSignalSpy changed(browser.model(), &QAbstractItemModel::dataChanged);
        store.setStatus(c, store::RunStatus::Finished);
        browser.refresh();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        const int row = browser.model()->rowOf(b);
        QVERIFY(browser.model()->index(row, RunTableModel::StatusColumn).data().toString().contains("NaN in loss"));
    }

    void filtersAndNotes() {
        const QString db = m_dir.filePath("b.sqlite");
        store::HistoryStore store(db.toStdString());
        const auto a = store.createRun(spec("alpha", "mgrpo", 1e-3, 10));
        const auto b = store.createRun(spec("beta", "main-only", 1e-3, 10));
        store.setStatus(b, store::RunStatus::Stopped);
        widgets::HistoryBrowser browser;
        browser.setDatabasePath(db);
        auto* proxy = browser.proxy();
        QCOMPARE(proxy->rowCount(), 2);
        proxy->setStatusFilter("stopped");
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, 0).data(RunTableModel::RunIdRole).toLongLong(), b);
        proxy->setStatusFilter("");
        proxy->setAlgorithmFilter("mgrpo");
        QCOMPARE(proxy->rowCount(), 1);
        proxy->setAlgorithmFilter("");
        proxy->setTextFilter("BET");
        QCOMPARE(proxy->rowCount(), 1);
        proxy->setTextFilter("");

        QVERIFY(browser.saveNotesAndTags(a, "baseline, lr 1e-3", {"baseline", "paper"}));
        const auto info = store.runDetails(a).info;
        QCOMPARE(info.notes, std::string("baseline, lr 1e-3"));
        QCOMPARE(info.tags.size(), size_t(2));
        proxy->setTagFilter("paper");
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, 0).data(RunTableModel::RunIdRole).toLongLong(), a);
        QVERIFY(browser.saveNotesAndTags(a, "", {"paper"}));
        QCOMPARE(store.runDetails(a).info.tags, (std::vector<std::string>{"paper"}));
        proxy->setTagFilter("baseline");
        QCOMPARE(proxy->rowCount(), 0);
    }

    void compareShowsTheConfigDiff() {
        const QString db = m_dir.filePath("c.sqlite");
        store::HistoryStore store(db.toStdString());
        const auto a = store.createRun(spec("alpha", "mgrpo", 1e-3, 10));
        const auto b = store.createRun(spec("alpha", "mgrpo", 3e-4, 10));
        const auto c = store.createRun(spec("alpha", "main-only", 1e-3, 10));
        widgets::HistoryBrowser browser;
        browser.setDatabasePath(db);
        QSignalSpy monitor(&browser, &widgets::HistoryBrowser::showInMonitor);
        QVERIFY(!browser.compare({a}));

        QVERIFY(browser.compare({a, b}));
        const auto diff = store.configDiff(a, b);
        QTableWidget* t = browser.compareTable();
        QCOMPARE(t->rowCount(), static_cast<int>(diff.size()));
        QCOMPARE(t->rowCount(), 1);
        QCOMPARE(t->item(0, 0)->text(), QString::fromStdString(diff[0].path));
        QCOMPARE(t->item(0, 0)->text(), QString("learning_rate"));
        QCOMPARE(t->item(0, 1)->text(), QString("0.001"));
        QCOMPARE(t->item(0, 2)->text(), QString("0.0003"));

        QVERIFY(browser.compare({a, b, c}));
        QCOMPARE(t->columnCount(), 4);
        QStringList paths;
        for (int r = 0; r < t->rowCount(); ++r) paths << t->item(r, 0)->text();
        QCOMPARE(paths, (QStringList{"algorithm", "learning_rate"}));
        QCOMPARE(t->item(0, 3)->text(), QString("main-only"));
        QCOMPARE(t->item(0, 2)->text(), QString("mgrpo"));

        // The Compare button also overlays the runs in the Monitor.
        browser.selectRuns({a, b});
        browser.findChild<QPushButton*>("historyCompareButton")->click();
        QCOMPARE(monitor.count(), 1);
        QCOMPARE(monitor.at(0).at(0).value<QList<qint64>>(), (QList<qint64>{a, b}));
    }

    void exportsCsvAndJsonl() {
        const QString db = m_dir.filePath("d.sqlite");
        store::HistoryStore store(db.toStdString());
        const auto a = store.createRun(spec("alpha", "mgrpo", 1e-3, 10));
        for (int s = 1; s <= 2; ++s) {
            store::StepRecord r;
            r.step = s;
            r.metrics = {{"main/reward_mean", 0.1 * s}, {"main/loss", 1.0 / s}};
            store::TrajectoryRecord t;
            t.query = 0;
            t.rollout = 1;
            t.reward = 0.5;
            t.treeJson = R"({"query":0,"sample":1,"invocations":[]})";
            r.trajectories.push_back(t);
            store.writeStep(a, r);
        }
        widgets::HistoryBrowser browser;
        browser.setDatabasePath(db);
        QVERIFY(browser.exportRun(a, m_dir.filePath("a.csv"), false));
        QFile csv(m_dir.filePath("a.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QString("step,metric,value"));
        QCOMPARE(lines[1], QString("1,main/loss,1"));
        QVERIFY(browser.exportRun(a, m_dir.filePath("a.jsonl"), true));
        QFile jsonl(m_dir.filePath("a.jsonl"));
        QVERIFY(jsonl.open(QIODevice::ReadOnly));
        int metrics = 0, trajectories = 0;
        for (const QByteArray& line : jsonl.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            const auto j = nlohmann::json::parse(line.toStdString());
            if (j["type"] == "metrics") ++metrics;
            if (j["type"] == "trajectory") {
                ++trajectories;
                QCOMPARE(j["tree"]["sample"].get<int>(), 1);
            }
        }
        QCOMPARE(metrics, 2);
        QVERIFY(trajectories >= 1);
        QVERIFY(!browser.exportRun(a, m_dir.filePath("no/such/dir/a.csv"), false));
    }

    void damagedDatabaseIsAMessage() {
        const QString path = m_dir.filePath("junk.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        widgets::HistoryBrowser browser;
        QSignalSpy messages(&browser, &widgets::HistoryBrowser::statusMessage);
        browser.setDatabasePath(path);
        QVERIFY(!browser.refresh());
        QVERIFY(!browser.lastError().isEmpty());
        QVERIFY(messages.count() >= 1);
        QCOMPARE(browser.model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestHistoryBrowser)
#include "tst_history_browser.moc"
