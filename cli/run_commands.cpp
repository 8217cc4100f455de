// `mgrpo run` and `mgrpo resume`: a whole experiment headless, recorded in the
// SQLite history, with a progress bar on a terminal and plain lines otherwise.
// Ctrl-C stops at the end of the current step with a checkpoint.
#include "cli/run_commands.h"

#include "core/dist/decoupled.h"
#include "core/store/default_path.h"
#include "core/store/history_store.h"
#include "core/train/experiment_runner.h"
#include "core/train/history_listener.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

namespace mgrpo::cli {

namespace fs = std::filesystem;
using namespace mgrpo::core;

namespace {

RunControl* g_control = nullptr;
extern "C" void onInterrupt(int) {
    if (g_control) g_control->stop = true;
}

std::string formatSeconds(double s) {
    std::ostringstream o;
    const int total = static_cast<int>(s + 0.5);
    if (total >= 3600) o << total / 3600 << "h" << std::setw(2) << std::setfill('0') << (total % 3600) / 60 << "m";
    else if (total >= 60) o << total / 60 << "m" << std::setw(2) << std::setfill('0') << total % 60 << "s";
    else o << total << "s";
    return o.str();
}

// The fault tests (tests/cli/decoupled_fault_and_resume.sh) set
// MGRPO_STOP_AFTER_STEP=N: the process stops itself (SIGSTOP) once step N is
// printed, so the test kills a worker at a known step however fast the machine
// (on 16 cores all six steps ran before a polling test saw step 2), then SIGCONT.
void stopIfAskedAfter(int step) {
    static const int stopAt = [] {
        const char* v = std::getenv("MGRPO_STOP_AFTER_STEP");
        return v ? std::atoi(v) : 0;
    }();
    if (stopAt > 0 && step == stopAt) std::raise(SIGSTOP);
}

// Progress: a bar redrawn in place on a terminal, one line per step otherwise.
class ProgressPrinter : public ExperimentListener {
public:
    ProgressPrinter(std::ostream& out, bool terminal, bool json, int totalSteps, int doneSteps)
        : m_out(out), m_terminal(terminal), m_json(json), m_total(totalSteps), m_startStep(doneSteps) {}

    void onPhase(const std::string& phase, int stage, int steps) override {
        endBar();
        if (m_json) m_out << nlohmann::json{{"phase", phase}, {"stage", stage}, {"steps", steps}}.dump() << std::endl;
        else m_out << "== " << phase << " (stage " << stage << ", " << steps << " steps)" << std::endl;
    }
    void onLog(const std::string& line) override {
        if (!m_json) m_out << line << std::endl;
    }
    void onStep(const std::string& phase, int step, const StepMetrics& m, const Trainer& trainer) override {
        if (m_json) {
            m_out << nlohmann::json{{"phase", phase}, {"step", step}, {"metrics", storedMetrics(m)}}.dump() << std::endl;
            stopIfAskedAfter(step);
            return;
        }
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const int done = step - m_startStep;
        const double eta = done > 0 ? elapsed / done * (m_total - step) : 0.0;
        std::ostringstream line;
        line << std::fixed << std::setprecision(3) << "step " << step << "/" << m_total << "  R_M "
             << value(m, "main/reward_mean");
        for (const auto& a : trainer.topology().agents)
            if (a.role == AgentRole::Sub) line << "  R_S[" << a.id << "] " << value(m, "sub." + a.id + "/reward_mean");
        line << "  acc " << value(m, "main/accuracy") << std::setprecision(1) << "  rollout "
             << value(m, "perf/rollout_s") << "s update " << value(m, "perf/update_s") << "s  ETA "
             << formatSeconds(eta);
        if (m_terminal) {
            const int width = 24, filled = m_total > 0 ? width * step / m_total : width;
            m_out << "\r[" << std::string(static_cast<size_t>(filled), '#')
                  << std::string(static_cast<size_t>(width - filled), '.') << "] " << line.str() << "\033[K"
                  << std::flush;
            m_barOpen = true;
        } else {
            m_out << line.str() << std::endl;
        }
        stopIfAskedAfter(step);
    }
    void onEvaluation(const std::string& phase, int step, const EvalReport& e) override {
        endBar();
        if (m_json) {
            m_out << nlohmann::json{{"phase", phase}, {"step", step}, {"evaluation", toJson(e)}}.dump() << std::endl;
            return;
        }
        m_out << "  eval (" << phase << ", step " << step << "): stage " << e.stage << " held-out accuracy "
              << e.accuracy << ", format " << e.formatRate << ", delegations/rollout " << e.meanDelegations
              << " (" << e.queries << " questions)" << std::endl;
    }
    void endBar() {
        if (m_barOpen) m_out << std::endl;
        m_barOpen = false;
    }

private:
    static double value(const StepMetrics& m, const std::string& key) {
        const auto it = m.values.find(key);
        return it == m.values.end() ? 0.0 : it->second;
    }
    std::ostream& m_out;
    bool m_terminal, m_json;
    int m_total, m_startStep;
    bool m_barOpen = false;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

// --dump-batches: one JSON line per query per step, as the loss saw it.
class BatchDumper : public ExperimentListener {
public:
    explicit BatchDumper(const std::string& path) : m_out(path, std::ios::app) {
        if (!m_out) throw std::invalid_argument("--dump-batches: cannot write '" + path + "'");
    }
    void onStep(const std::string& phase, int step, const StepMetrics&, const Trainer& trainer) override {
        for (auto record : trainer.lastBatchRecords()) {
            record["phase"] = phase;
            record["global_step"] = step;
            m_out << record.dump() << '\n';
        }
        m_out.flush();
    }

private:
    std::ofstream m_out;
};

// <out>/metrics.csv and <out>/evaluations.csv in long form (append: a resumed
// run continues them), for scripts/compare.py, pandas or a spreadsheet.
class CsvWriter : public ExperimentListener {
public:
    explicit CsvWriter(const std::string& outDir)
        : m_metrics(fs::path(outDir) / "metrics.csv", std::ios::app),
          m_evals(fs::path(outDir) / "evaluations.csv", std::ios::app) {
        if (m_metrics.tellp() == 0) m_metrics << "phase,step,name,value\n";
        if (m_evals.tellp() == 0) m_evals << "phase,step,stage,queries,accuracy,format_rate,sub_format_rate,mean_delegations,sub_expert_score\n";
    }
    void onStep(const std::string& phase, int step, const StepMetrics& m, const Trainer&) override {
        for (const auto& [name, value] : storedMetrics(m)) m_metrics << phase << ',' << step << ',' << name << ',' << value << '\n';
        m_metrics.flush();
    }
    void onEvaluation(const std::string& phase, int step, const EvalReport& e) override {
        m_evals << phase << ',' << step << ',' << e.stage << ',' << e.queries << ',' << e.accuracy << ',' << e.formatRate
                << ',' << e.subFormatRate << ',' << e.meanDelegations << ',' << e.subExpertScore << '\n';
        m_evals.flush();
    }

private:
    std::ofstream m_metrics, m_evals;
};

std::string defaultOutDir(const std::string& name) {
    const auto now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::ostringstream o;
    o << "mgrpo-runs/" << name << "-" << std::put_time(&tm, "%Y%m%d-%H%M%S");
    return o.str();
}

// Runs (or continues) the experiment with every listener, and records the outcome.
int execute(ExperimentRunner& runner, const Args& args, std::ostream& out, std::optional<HistoryLink> link,
            bool resuming, const std::optional<dist::DecoupledOptions>& decoupled) {
    const bool json = hasFlag(args, "--json");
    RunControl control;
    g_control = &control;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const int done = resuming ? runner.checkpointedSteps() : 0;
    ProgressPrinter printer(out, isatty(STDOUT_FILENO) && !json, json, runner.totalSteps(), done);
    runner.addListener(&printer);
    CsvWriter csv(runner.outDir());
    runner.addListener(&csv);
    std::unique_ptr<BatchDumper> dumper;
    if (const auto path = option(args, "--dump-batches", ""); !path.empty()) {
        dumper = std::make_unique<BatchDumper>(path);
        runner.addListener(dumper.get());
    }
    std::unique_ptr<HistoryListener> history;
    if (link) {
        if (resuming) store::HistoryStore(link->db).truncateAfter(link->run, done);
        history = std::make_unique<HistoryListener>(link->db, link->run);
        runner.addListener(history.get());
        if (!json) out << "recording as run " << link->run << " in " << link->db << std::endl;
    }
    try {
        std::shared_ptr<dist::Session> session;
        if (decoupled) {
            session = dist::openSession(*decoupled, runner.spec().topology, [&](const std::string& line) {
                if (!json) out << line << std::endl;
            });
            runner.setSession(session);
        }
        const auto outcome = runner.run(&control);
        if (session) dist::closeSession(*session);
        printer.endBar();
        if (history)
            history->recorder().finish(outcome == RunOutcome::Finished ? store::RunStatus::Finished
                                                                       : store::RunStatus::Stopped);
        if (!json)
            out << (outcome == RunOutcome::Finished
                        ? "finished; final topology: " + runner.finalTopologyPath()
                        : "stopped after a checkpoint; continue with: mgrpo resume " + runner.outDir())
                << std::endl;
    } catch (const std::exception& e) {
        printer.endBar();
        if (history) history->recorder().finish(store::RunStatus::Failed, e.what());
        g_control = nullptr;
        throw;
    }
    g_control = nullptr;
    return 0;
}

std::string ownExecutable() { return readSymlink("/proc/self/exe"); }

double secondsOption(const Args& args, const std::string& name, double fallback) {
    const auto v = option(args, name, "");
    if (v.empty()) return fallback;
    const double s = std::stod(v);
    if (!(s > 0 && s <= 3600)) throw std::invalid_argument(name + " " + v + " is out of range (0, 3600] seconds");
    return s;
}

// --ranks searcher=2,coder=1
std::map<std::string, int> parseRanks(const std::string& text) {
    std::map<std::string, int> ranks;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0) throw std::invalid_argument("--ranks '" + text + "': expected AGENT=N,...");
        ranks[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
    }
    return ranks;
}

// The decoupled layout of `mgrpo run --decoupled` (or nothing without the flag).
std::optional<dist::DecoupledOptions> decoupledFromArgs(const Args& args) {
    if (!hasFlag(args, "--decoupled")) return std::nullopt;
    dist::DecoupledOptions o;
    o.store = dist::parseStoreAddress(option(args, "--store", "127.0.0.1:0"));
    if (!dist::isLoopback(o.store.host))
        throw std::invalid_argument("--decoupled runs every process on this machine, so --store must be a loopback "
                                    "address (got '" + o.store.host + "'); use mgrpo serve for several hosts");
    if (const auto v = option(args, "--ranks", ""); !v.empty()) o.ranks = parseRanks(v);
    o.maxStaleness = std::stoi(option(args, "--max-staleness", "0"));
    o.liveness.connectTimeoutS = secondsOption(args, "--connect-timeout", o.liveness.connectTimeoutS);
    o.liveness.heartbeatTimeoutS = secondsOption(args, "--heartbeat-timeout", o.liveness.heartbeatTimeoutS);
    return o;
}

// Local workers need the binary and a place for their logs.
dist::DecoupledOptions forLocalRun(dist::DecoupledOptions o, const std::string& outDir) {
    o.spawnLocal = true;
    o.workerExecutable = ownExecutable();
    o.logDir = outDir;
    return o;
}

}  // namespace

// `external`: the layout of `mgrpo serve --role main` (workers started by the user).
int startRun(const Args& args, std::ostream& out, const std::optional<dist::DecoupledOptions>& external) {
    if (args.empty() || args[0].rfind("--", 0) == 0) throw std::invalid_argument("missing EXPERIMENT.json argument");
    auto spec = loadExperimentSpec(args[0]);
    ExperimentOverrides o;
    if (const auto v = option(args, "--steps", ""); !v.empty()) o.steps = std::stoi(v);
    if (const auto v = option(args, "--seed", ""); !v.empty()) o.seed = std::stoull(v);
    if (const auto v = option(args, "--device", ""); !v.empty()) o.device = v;
    if (const auto v = option(args, "--algorithm", ""); !v.empty()) o.algorithm = v;
    applyOverrides(spec, o);
    const auto outDir = option(args, "--out", defaultOutDir(spec.training.name));
    std::optional<std::string> stage1From;
    if (const auto v = option(args, "--stage1-from", ""); !v.empty()) stage1From = v;
    auto decoupled = external ? external : decoupledFromArgs(args);
    ExperimentRunner runner(spec, outDir, stage1From);
    if (decoupled && !external) {
        dist::saveDecoupledOptions(outDir, *decoupled);
        decoupled = forLocalRun(*decoupled, outDir);
    }
    std::optional<HistoryLink> link;
    if (!hasFlag(args, "--no-db")) {
        const auto db = option(args, "--db", store::defaultDatabasePath().string());
        store::HistoryStore history(db);
        link = HistoryLink{db, history.createRun(runSpecFor(spec, outDir))};
        writeHistoryLink(outDir, *link);
    }
    if (!hasFlag(args, "--json"))
        out << "experiment '" << spec.training.name << "': " << toString(spec.training.algorithm) << ", "
            << runner.totalSteps() << " steps, output in " << outDir << std::endl;
    return execute(runner, args, out, link, /*resuming=*/false, decoupled);
}

int continueRun(const Args& args, std::ostream& out, const std::optional<dist::DecoupledOptions>& external) {
    if (args.empty() || args[0].rfind("--", 0) == 0) throw std::invalid_argument("missing RUN_ID or DIR argument");
    std::string outDir = args[0];
    std::optional<HistoryLink> link;
    if (!isDirectory(outDir)) {
        // A run id from the history: its row names the directory.
        store::RunId id = 0;
        try {
            id = std::stoll(args[0]);
        } catch (const std::exception&) {
            throw std::invalid_argument("'" + args[0] + "' is neither a run directory nor a run id");
        }
        const auto db = option(args, "--db", store::defaultDatabasePath().string());
        outDir = store::HistoryStore(db).runDetails(id).info.runDir;
        if (outDir.empty() || !isDirectory(outDir))
            throw std::invalid_argument("run " + args[0] + " has no run directory on this machine ('" + outDir + "')");
        link = HistoryLink{db, id};
    } else {
        link = readHistoryLink(outDir);
        if (link && hasFlag(args, "--db")) link->db = option(args, "--db", link->db);
    }
    auto runner = ExperimentRunner::resume(outDir);
    std::optional<dist::DecoupledOptions> decoupled = external;
    if (dist::DecoupledOptions saved; !external && dist::loadDecoupledOptions(outDir, saved))
        decoupled = forLocalRun(saved, outDir);
    if (!hasFlag(args, "--json"))
        out << "resuming " << outDir << " after step " << runner.checkpointedSteps() << " of " << runner.totalSteps()
            << (decoupled ? " (decoupled: restarting the worker processes)" : "") << std::endl;
    return execute(runner, args, out, link, /*resuming=*/true, decoupled);
}

int runExperiment(const Args& args, std::ostream& out) { return startRun(args, out, std::nullopt); }
int resumeExperiment(const Args& args, std::ostream& out) { return continueRun(args, out, std::nullopt); }

int serve(const Args& args, std::ostream& out) {
    const auto role = option(args, "--role", "");
    const auto store = option(args, "--store", "");
    if (role.empty() || store.empty() || option(args, "--world", "").empty())
        throw std::invalid_argument("serve needs --role main|sub:AGENT, --store HOST:PORT and --world N");
    dist::ServeOptions o;
    o.role = role;
    o.store = dist::parseStoreAddress(store);
    o.world = std::stoi(option(args, "--world", "0"));
    o.rank = std::stoi(option(args, "--rank", role == "main" ? "0" : "-1"));
    o.liveness.connectTimeoutS = secondsOption(args, "--connect-timeout", o.liveness.connectTimeoutS);
    o.liveness.heartbeatTimeoutS = secondsOption(args, "--heartbeat-timeout", o.liveness.heartbeatTimeoutS);
    if (role != "main") {
        dist::serveWorker(o, [&](const std::string& line) { out << line << std::endl; });
        return 0;
    }
    // The main process: holds the store (on the address given, which may be
    // a network one: the user asked for it) and runs the experiment.
    if (o.rank != 0) throw std::invalid_argument("--role main is rank 0");
    if (o.world < 2) throw std::invalid_argument("--world " + std::to_string(o.world) + ": a decoupled run has at least one worker");
    dist::DecoupledOptions d;
    d.store = o.store;
    d.liveness = o.liveness;
    d.maxStaleness = std::stoi(option(args, "--max-staleness", "0"));
    d.spawnLocal = false;
    d.externalWorkers = o.world - 1;
    Args rest;  // the run's own arguments
    for (size_t i = 0; i < args.size(); ++i) {
        static const std::set<std::string> serveFlags{"--role", "--store", "--world", "--rank", "--connect-timeout",
                                                      "--heartbeat-timeout", "--max-staleness", "--resume"};
        if (serveFlags.count(args[i])) {
            if (args[i] == "--resume") rest.insert(rest.begin(), args.at(i + 1));
            ++i;
            continue;
        }
        rest.push_back(args[i]);
    }
    return hasFlag(args, "--resume") ? continueRun(rest, out, d) : startRun(rest, out, d);
}

}  // namespace mgrpo::cli
