// The history verbs of `mgrpo` (see store_commands.h): thin formatting over
// mgrpo::store::HistoryStore, the same calls the GUI's history view makes.
#include "cli/store_commands.h"

#include "core/store/default_path.h"
#include "core/store/history_store.h"

#include <unistd.h>  // isatty()

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mgrpo::cli {
namespace {

using store::HistoryStore;
using store::RunId;

// Options that take a value; everything else not starting with "--" is positional.
const std::set<std::string> kValueOptions{"--db",  "--experiment", "--status", "--algorithm", "--tag",
                                          "--text", "--format",    "--out",    "--what",      "--limit", "--remove"};

Args positionals(const Args& args) {
    Args out;
    for (size_t i = 0; i < args.size(); ++i) {
        if (kValueOptions.count(args[i])) ++i;
        else if (args[i].rfind("--", 0) != 0) out.push_back(args[i]);
    }
    return out;
}

RunId runIdArg(const Args& args) {
    const auto pos = positionals(args);
    if (pos.empty()) throw std::invalid_argument("missing RUN_ID (see mgrpo runs)");
    try {
        size_t used = 0;
        const RunId id = std::stoll(pos[0], &used);
        if (used == pos[0].size() && id > 0) return id;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("RUN_ID must be a positive integer, got '" + pos[0] + "'");
}

std::string joinTags(const std::vector<std::string>& tags) {
    std::string s;
    for (const auto& t : tags) s += (s.empty() ? "" : ",") + t;
    return s;
}

nlohmann::json runJson(const store::RunInfo& r) {
    return {{"id", r.id},           {"experiment", r.experiment}, {"algorithm", r.algorithm},
            {"status", store::runStatusName(r.status)},           {"last_step", r.lastStep},
            {"seed", r.seed},       {"device", r.device},         {"created", r.created},
            {"started", r.started}, {"ended", r.ended},           {"error", r.error},
            {"host", r.host},       {"pid", r.pid},               {"run_dir", r.runDir},
            {"notes", r.notes},     {"tags", r.tags}};
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string number(double v) {
    std::ostringstream s;
    s << std::setprecision(17) << v;
    return s.str();
}

// Writes to --out FILE when given, else to `out`.
class Output {
public:
    Output(const Args& args, std::ostream& out) : m_path(option(args, "--out", "")), m_fallback(out) {
        if (m_path.empty()) return;
        m_file.open(m_path, std::ios::binary | std::ios::trunc);
        if (!m_file) throw std::runtime_error("cannot write " + m_path);
    }
    std::ostream& stream() { return m_path.empty() ? m_fallback : m_file; }
    void close() {
        if (m_path.empty()) return;
        m_file.close();
        if (!m_file) throw std::runtime_error("writing " + m_path + " failed");
    }

private:
    std::string m_path;
    std::ostream& m_fallback;
    std::ofstream m_file;
};

}  // namespace

std::string databaseArg(const Args& args) { return option(args, "--db", store::defaultDatabasePath().string()); }

int runsCommand(const Args& args, std::ostream& out) {
    HistoryStore db(databaseArg(args));
    store::RunFilter filter;
    if (const auto e = option(args, "--experiment", ""); !e.empty()) filter.experiment = e;
    if (const auto s = option(args, "--status", ""); !s.empty()) filter.status = store::runStatusFromName(s);
    if (const auto a = option(args, "--algorithm", ""); !a.empty()) filter.algorithm = a;
    if (const auto t = option(args, "--tag", ""); !t.empty()) filter.tag = t;
    if (const auto t = option(args, "--text", ""); !t.empty()) filter.text = t;
    filter.limit = std::stoi(option(args, "--limit", "0"));
    const auto runs = db.listRuns(filter);
    if (hasFlag(args, "--json")) {
        auto list = nlohmann::json::array();
        for (const auto& r : runs) list.push_back(runJson(r));
        out << list.dump(2) << '\n';
        return 0;
    }
    const std::vector<std::string> header{"ID", "EXPERIMENT", "ALGORITHM", "STATUS", "STEP", "SEED", "DEVICE",
                                          "CREATED", "TAGS"};
    std::vector<std::vector<std::string>> rows{header};
    for (const auto& r : runs)
        rows.push_back({std::to_string(r.id), r.experiment, r.algorithm, store::runStatusName(r.status),
                        std::to_string(r.lastStep), std::to_string(r.seed), r.device, r.created, joinTags(r.tags)});
    std::vector<size_t> width(header.size(), 0);
    for (const auto& row : rows)
        for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    for (const auto& row : rows) {
        std::string line;
        for (size_t c = 0; c < row.size(); ++c)
            line += c + 1 < row.size() ? row[c] + std::string(width[c] - row[c].size() + 2, ' ') : row[c];
        out << line << '\n';
    }
    if (runs.empty()) out << "(no runs in " << db.path().string() << ")\n";
    return 0;
}

int showCommand(const Args& args, std::ostream& out) {
    HistoryStore db(databaseArg(args));
    const auto d = db.runDetails(runIdArg(args));
    const auto latest = db.latestMetrics(d.info.id);
    const auto checkpoints = db.checkpoints(d.info.id);
    const auto evaluations = db.evaluations(d.info.id);
    if (hasFlag(args, "--json")) {
        auto j = runJson(d.info);
        j["config"] = d.config;
        j["topology"] = d.topology;
        auto metrics = nlohmann::json::object();
        for (const auto& [name, sv] : latest) metrics[name] = {{"step", sv.first}, {"value", sv.second}};
        j["latest_metrics"] = metrics;
        auto ck = nlohmann::json::array();
        for (const auto& c : checkpoints) ck.push_back({{"step", c.step}, {"path", c.path}, {"size", c.sizeBytes}});
        j["checkpoints"] = ck;
        out << j.dump(2) << '\n';
        return 0;
    }
    const auto& r = d.info;
    out << "run " << r.id << "  (" << store::runStatusName(r.status) << ")\n"
        << "  experiment  " << r.experiment << '\n'
        << "  algorithm   " << r.algorithm << '\n'
        << "  seed        " << r.seed << "   device " << r.device << '\n'
        << "  created     " << r.created << '\n'
        << "  started     " << (r.started.empty() ? "-" : r.started) << '\n'
        << "  ended       " << (r.ended.empty() ? "-" : r.ended) << '\n'
        << "  last step   " << r.lastStep << '\n'
        << "  host        " << r.host << (r.pid ? "  pid " + std::to_string(r.pid) : "") << '\n'
        << "  run dir     " << (r.runDir.empty() ? "-" : r.runDir) << '\n'
        << "  tags        " << (r.tags.empty() ? "-" : joinTags(r.tags)) << '\n'
        << "  notes       " << (r.notes.empty() ? "-" : r.notes) << '\n';
    if (!r.error.empty()) out << "  error       " << r.error << '\n';
    out << "latest metrics (" << latest.size() << "):\n";
    for (const auto& [name, sv] : latest) out << "  " << name << " = " << sv.second << "  (step " << sv.first << ")\n";
    out << "evaluations: " << evaluations.size() << "   trajectory steps: " << db.trajectorySteps(r.id).size()
        << '\n';
    out << "checkpoints (" << checkpoints.size() << "):\n";
    for (const auto& c : checkpoints) out << "  step " << c.step << "  " << c.path << "  " << c.sizeBytes << " bytes\n";
    out << "config:\n" << d.config.dump(2) << '\n';
    return 0;
}

int exportCommand(const Args& args, std::ostream& out) {
    HistoryStore db(databaseArg(args));
    const RunId run = runIdArg(args);
    const auto details = db.runDetails(run);
    const std::string format = option(args, "--format", "csv");
    if (format != "csv" && format != "jsonl")
        throw std::invalid_argument("--format must be csv or jsonl, got '" + format + "'");
    const std::string what = option(args, "--what", format == "csv" ? "metrics" : "all");
    if (what != "metrics" && what != "trajectories" && what != "all")
        throw std::invalid_argument("--what must be metrics, trajectories or all, got '" + what + "'");
    if (format == "csv" && what == "all")
        throw std::invalid_argument("csv exports one table: use --what metrics or --what trajectories");
    Output file(args, out);
    std::ostream& o = file.stream();
    const bool metrics = what != "trajectories";
    const bool trajectories = what != "metrics";
    if (format == "csv") {
        if (metrics) {
            o << "run_id,step,agent,name,value\n";
            for (const auto& [step, name, value] : db.allMetrics(run))
                o << run << ',' << step << ',' << csvField(store::metricAgent(name)) << ',' << csvField(name) << ','
                  << number(value) << '\n';
        } else {
            o << "run_id,step,split,query,rollout,reward,correct,question,tree\n";
            for (const auto& t : db.allTrajectories(run))
                o << run << ',' << t.step << ',' << csvField(t.record.split) << ',' << t.record.query << ','
                  << t.record.rollout << ',' << number(t.record.reward) << ',' << (t.record.correct ? 1 : 0) << ','
                  << csvField(t.record.question) << ',' << csvField(t.record.treeJson) << '\n';
        }
    } else {
        auto head = runJson(details.info);
        head["type"] = "run";
        head["config"] = details.config;
        head["topology"] = details.topology;
        o << head.dump() << '\n';
        if (metrics)
            for (const auto& [step, name, value] : db.allMetrics(run))
                o << nlohmann::json{{"type", "metric"}, {"step", step}, {"agent", store::metricAgent(name)},
                                    {"name", name},     {"value", value}}
                         .dump()
                  << '\n';
        if (trajectories)
            for (const auto& t : db.allTrajectories(run))
                o << nlohmann::json{{"type", "trajectory"},
                                    {"step", t.step},
                                    {"split", t.record.split},
                                    {"query", t.record.query},
                                    {"rollout", t.record.rollout},
                                    {"question", t.record.question},
                                    {"reward", t.record.reward},
                                    {"correct", t.record.correct},
                                    {"tree", nlohmann::json::parse(t.record.treeJson, nullptr, false)}}
                         .dump()
                  << '\n';
        if (what == "all") {
            for (const auto& e : db.evaluations(run))
                o << nlohmann::json{{"type", "evaluation"}, {"step", e.step}, {"suite", e.record.suite},
                                    {"queries", e.record.queries}, {"metrics", e.record.metrics}}
                         .dump()
                  << '\n';
            for (const auto& c : db.checkpoints(run))
                o << nlohmann::json{{"type", "checkpoint"}, {"step", c.step}, {"path", c.path},
                                    {"size", c.sizeBytes}, {"created", c.created}}
                         .dump()
                  << '\n';
        }
    }
    file.close();
    return 0;
}

int deleteCommand(const Args& args, std::ostream& out, std::istream& in) {
    HistoryStore db(databaseArg(args));
    const RunId run = runIdArg(args);
    const auto info = db.runDetails(run).info;
    if (!hasFlag(args, "--yes")) {
        if (!::isatty(STDIN_FILENO)) {
            std::cerr << "mgrpo delete: not deleting run " << run << " without --yes (no terminal to ask on)\n";
            return 1;
        }
        out << "Delete run " << run << " (" << info.experiment << ", " << info.algorithm << ", "
            << store::runStatusName(info.status) << ", " << info.lastStep + 1
            << " steps) and all its metrics and trajectories? [y/N] " << std::flush;
        std::string answer;
        std::getline(in, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
            out << "not deleted\n";
            return 1;
        }
    }
    db.deleteRun(run);
    out << "deleted run " << run << '\n';
    return 0;
}

int tagCommand(const Args& args, std::ostream& out) {
    HistoryStore db(databaseArg(args));
    const RunId run = runIdArg(args);
    const auto pos = positionals(args);
    const Args tags(pos.begin() + 1, pos.end());
    const std::string remove = option(args, "--remove", "");
    if (tags.empty() && remove.empty()) throw std::invalid_argument("usage: mgrpo tag RUN_ID TAG... [--remove TAG]");
    if (!tags.empty()) db.addTags(run, tags);
    if (!remove.empty()) db.removeTag(run, remove);
    out << "run " << run << " tags: " << joinTags(db.runDetails(run).info.tags) << '\n';
    return 0;
}

int noteCommand(const Args& args, std::ostream& out) {
    HistoryStore db(databaseArg(args));
    const RunId run = runIdArg(args);
    const auto pos = positionals(args);
    std::string text;
    for (size_t i = 1; i < pos.size(); ++i) text += (i > 1 ? " " : "") + pos[i];
    db.setNotes(run, text);
    out << "run " << run << " notes: " << (text.empty() ? "(cleared)" : text) << '\n';
    return 0;
}

}  // namespace mgrpo::cli
