#include "cli/cli_commands.h"

#include "core/system/system_info.h"
#include "core/train/experiment_spec.h"
#include "core/train/paired_comparison.h"
#include "core/train/warm_start.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace mgrpo::cli {

int printHelp(std::ostream& out) {
    out << "mgrpo - headless M-GRPO Workbench\n"
           "\n"
           "Usage: mgrpo <command> [options]\n"
           "\n"
           "Commands:\n"
           "  devices [--json]   list the devices LibTorch can run on (cpu, cuda:N)\n"
           "  warmstart TOPOLOGY.json --out DIR [--stage 2] [--demos 600] [--steps 400] [--mistakes 0.1,0.1,0.05]\n"
           "                     [--batch 16] [--reading-steps 0] [--reading-batch 32] [--lr 0.002] [--eval 100] [--seed 0] [--json]\n"
           "                     supervised warm start of every agent from scripted experts (--batch:\n"
           "                     demonstrations per step), after reading exercises (pages per step:\n"
           "                     --reading-batch) for agents that open pages; writes DIR/<agent>/\n"
           "                     checkpoints and DIR/topology.json\n"
           "  evaluate TOPOLOGY.json|DIR [--stage 2] [--n 100] [--baseline TOPOLOGY2.json|DIR] [--temperature 0]\n"
           "                     [--seed 0] [--json]   (also: eval)\n"
           "                     accuracy on the held-out questions of a stage, greedy or one rollout\n"
           "                     per question sampled at --temperature (the policy RL trains); --baseline: the\n"
           "                     same questions for a second topology, the questions each one alone\n"
           "                     answers and a sign test (--json also lists per-question \"correct\"); a DIR is a\n"
           "                     run's or warm start's output (its final_topology.json or topology.json)\n"
           "  rollout TOPOLOGY.json [--stage 2] [--query 0] [--json]\n"
           "                     print one greedy rollout of a held-out question as a tree\n"
           "  run EXPERIMENT.json [--steps N] [--seed S] [--device cpu|cuda:N] [--algorithm A]\n"
           "                     [--out DIR] [--stage1-from DIR] [--dump-batches FILE] [--db FILE|--no-db] [--json]\n"
           "                     a whole experiment (warm start, curriculum, M-GRPO or a baseline),\n"
           "                     recorded in the history database; Ctrl-C stops after a checkpoint\n"
           "                     [--decoupled [--max-staleness S] [--ranks AGENT=N,...] [--store HOST:PORT]]\n"
           "                     --decoupled: each sub-agent trains in its own process (c10d store on loopback)\n"
           "  resume RUN_ID|DIR [--db FILE]  continue a stopped or killed run from its last checkpoint\n"
           "                     (a decoupled run restarts its worker processes)\n"
           "  serve --role main|sub:AGENT --store HOST:PORT --world N --rank R\n"
           "                     [--connect-timeout S] [--heartbeat-timeout S] [--max-staleness S]\n"
           "                     one process of a multi-host decoupled run; the main process (rank 0) also takes\n"
           "                     EXPERIMENT.json and the run options, or --resume DIR, and holds the store\n"
           "  TOPOLOGY may also be a template: paper, single, two-specialists\n"
           "\n"
           "History (every verb takes --db FILE; default $XDG_DATA_HOME/mgrpo-workbench/history.sqlite):\n"
           "  runs [--experiment X] [--status S] [--algorithm A] [--tag T] [--text T] [--json]\n"
           "                     list recorded runs, run id first\n"
           "  show RUN_ID [--json]   a run's status, config, latest metrics, checkpoints\n"
           "  export RUN_ID --format csv|jsonl [--what metrics|trajectories|all] [--out FILE]\n"
           "  delete RUN_ID [--yes]  delete a run and all its data (asks unless --yes)\n"
           "  tag RUN_ID TAG... [--remove TAG]   note RUN_ID TEXT\n"
           "\n"
           "Options:\n"
           "  -h, --help         show this help\n"
           "  --version          print the workbench and LibTorch versions\n";
    return 0;
}

int printVersion(std::ostream& out) {
    out << "mgrpo " << core::workbenchVersion() << " (LibTorch " << core::libtorchVersion() << ")\n";
    return 0;
}

int listDevices(const Args& args, std::ostream& out) {
    const bool json = !args.empty() && args[0] == "--json";
    const auto devices = core::availableDevices();
    if (json) {
        auto list = nlohmann::json::array();
        for (const auto& d : devices) list.push_back({{"id", d.id}, {"description", d.description}});
        out << list.dump(2) << '\n';
    } else {
        for (const auto& d : devices) out << d.id << '\t' << d.description << '\n';
    }
    return 0;
}

std::string option(const Args& args, const std::string& name, const std::string& fallback) {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == name) {
            if (i + 1 >= args.size()) throw std::invalid_argument("option " + name + " needs a value");
            return args[i + 1];
        }
    return fallback;
}

bool hasFlag(const Args& args, const std::string& name) {
    return std::find(args.begin(), args.end(), name) != args.end();
}

namespace {

core::Topology topologyNamed(const std::string& name) {
    if (auto t = core::topologyTemplate(name)) return *t;
    if (core::isDirectory(name)) {
        // What `mgrpo run` (a run or one of its phases) and `mgrpo warmstart` write.
        for (const char* file : {"final_topology.json", "topology.json"})
            if (const auto path = name + "/" + file; core::pathExists(path)) return core::loadTopologyFile(path);
        throw std::invalid_argument("directory " + name +
                                    " holds neither final_topology.json (a finished run or phase) nor "
                                    "topology.json (a warm start)");
    }
    return core::loadTopologyFile(name);
}

core::Topology topologyArg(const Args& args) {
    if (args.empty() || args[0].rfind("--", 0) == 0) throw std::invalid_argument("missing TOPOLOGY argument");
    return topologyNamed(args[0]);
}

int intOption(const Args& args, const std::string& name, int fallback) {
    const auto v = option(args, name, std::to_string(fallback));
    try {
        return std::stoi(v);
    } catch (const std::exception&) {
        throw std::invalid_argument("option " + name + " expects an integer, got '" + v + "'");
    }
}

double doubleOption(const Args& args, const std::string& name, double fallback) {
    const auto v = option(args, name, "");
    if (v.empty()) return fallback;
    try {
        size_t used = 0;
        const double d = std::stod(v, &used);
        if (used == v.size()) return d;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("option " + name + " expects a number, got '" + v + "'");
}

// "--mistakes WRONG_HOP,SKIP_VERIFICATION,PREMATURE": the teachers' per-step mistake rates.
core::env::ExpertConfig mistakeRates(const std::string& list, core::env::ExpertConfig config) {
    std::vector<double> rates;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            size_t used = 0;
            rates.push_back(std::stod(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            rates.clear();
            break;
        }
    }
    if (rates.size() != 3 || std::any_of(rates.begin(), rates.end(), [](double r) { return r < 0 || r > 1; }))
        throw std::invalid_argument("--mistakes expects three rates in [0, 1] (wrong hop, skipped verification, "
                                    "premature answer), e.g. 0.1,0.1,0.05; got '" + list + "'");
    config.wrongHop = rates[0];
    config.skipVerification = rates[1];
    config.prematureAnswer = rates[2];
    return config;
}

void printEval(const core::EvalReport& e, std::ostream& out) {
    out << "stage " << e.stage << " (" << e.queries << " held-out questions, "
        << (e.temperature > 0 ? "sampled at temperature " + std::to_string(e.temperature) : std::string("greedy"))
        << "): accuracy " << e.accuracy
        << ", main format " << e.formatRate << ", sub format " << e.subFormatRate << ", sub expert score "
        << e.subExpertScore << ", delegations/rollout " << e.meanDelegations << ", main context tokens "
        << e.meanMainTokens << '\n';
}

}  // namespace

int warmStart(const Args& args, std::ostream& out) {
    const auto topology = topologyArg(args);
    const auto dir = option(args, "--out", "");
    if (dir.empty()) throw std::invalid_argument("--out DIR is required");
    core::WarmStartOptions o;
    o.stage = intOption(args, "--stage", o.stage);
    o.demonstrations = intOption(args, "--demos", o.demonstrations);
    o.steps = intOption(args, "--steps", o.steps);
    o.batchSize = intOption(args, "--batch", o.batchSize);
    o.readingSteps = intOption(args, "--reading-steps", o.readingSteps);
    o.readingBatch = intOption(args, "--reading-batch", o.readingBatch);
    o.learningRate = doubleOption(args, "--lr", o.learningRate);
    o.evalQueries = intOption(args, "--eval", o.evalQueries);
    o.seed = static_cast<uint64_t>(intOption(args, "--seed", 0));
    if (const auto m = option(args, "--mistakes", ""); !m.empty()) o.expert = mistakeRates(m, o.expert);
    const bool json = hasFlag(args, "--json");
    if (!json) o.log = [&](const std::string& line) { out << line << std::endl; };
    const auto r = core::warmStart(topology, o, dir);
    if (json) {
        auto agents = nlohmann::json::array();
        for (const auto& a : r.agents)
            agents.push_back({{"agent", a.agent}, {"examples", a.examples}, {"trained_tokens", a.trainedTokens},
                              {"initial_loss", a.initialLoss}, {"final_loss", a.finalLoss},
                              {"reading_loss", a.readingLoss}});
        auto evals = nlohmann::json::array();
        for (const auto& e : r.evaluations) evals.push_back(core::toJson(e));
        out << nlohmann::json{{"agents", agents}, {"expert_accuracy", r.expertAccuracy}, {"evaluations", evals},
                              {"seconds", r.seconds}, {"topology", r.topologyPath}}
                   .dump(2)
            << '\n';
        return 0;
    }
    for (const auto& a : r.agents)
        out << "agent " << a.agent << ": " << a.examples << " demonstrations, " << a.trainedTokens
            << " generated tokens, loss " << a.initialLoss << " -> " << a.finalLoss
            << (a.readingLoss > 0 ? ", reading exercises' loss " + std::to_string(a.readingLoss) : std::string()) << '\n';
    for (const auto& e : r.evaluations) printEval(e, out);
    out << "warm start took " << r.seconds << " s; topology with checkpoints: " << r.topologyPath << '\n';
    return 0;
}

int evaluate(const Args& args, std::ostream& out) {
    const auto topology = topologyArg(args);
    const int stage = intOption(args, "--stage", 2), n = intOption(args, "--n", 100);
    const auto seed = static_cast<uint64_t>(intOption(args, "--seed", 0));
    const double temperature = doubleOption(args, "--temperature", 0.0);
    if (!(temperature >= 0.0)) throw std::invalid_argument("--temperature must be >= 0 (0: greedy)");
    const auto e = core::evaluateTopology(topology, stage, n, seed, temperature);
    const auto baselineName = option(args, "--baseline", "");
    std::optional<core::PairedComparison> paired;
    if (!baselineName.empty()) {
        const auto baseline = core::evaluateTopology(topologyNamed(baselineName), stage, n, seed, temperature);
        paired = core::comparePaired(e.correctByQuestion, baseline.correctByQuestion);
    }
    if (hasFlag(args, "--json")) {
        auto j = core::toJson(e);
        j["correct"] = e.correctByQuestion;
        if (paired)
            j["baseline"] = {{"topology", baselineName},       {"accuracy", paired->baselineAccuracy},
                             {"gained", paired->gained},        {"lost", paired->lost},
                             {"both_right", paired->bothRight}, {"both_wrong", paired->bothWrong},
                             {"p_value", paired->pValue}};
        out << j.dump(2) << '\n';
        return 0;
    }
    printEval(e, out);
    if (paired)
        out << "against " << baselineName << " (accuracy " << paired->baselineAccuracy << ") on the same "
            << paired->questions << " questions: " << paired->gained << " gained, " << paired->lost
            << " lost (two-sided sign test p = " << paired->pValue << ")\n";
    return 0;
}

int showRollout(const Args& args, std::ostream& out) {
    const auto topology = topologyArg(args);
    const auto j = core::sampleRollout(topology, intOption(args, "--stage", 2), intOption(args, "--query", 0),
                                       static_cast<uint64_t>(intOption(args, "--seed", 0)));
    if (hasFlag(args, "--json")) {
        out << j.dump(2) << '\n';
        return 0;
    }
    out << "question: " << j["question"]["text"].get<std::string>() << "\n"
        << "gold answer: " << j["question"]["answer"].get<std::string>() << "\n"
        << "correct: " << (j["correct"].get<bool>() ? "yes" : "no") << ", R_M " << j["reward_main"] << "\n";
    // Depth-first: each invocation indented under its caller.
    std::function<void(int, int)> print = [&](int id, int depth) {
        const auto& inv = j["invocations"][static_cast<size_t>(id)];
        const std::string pad(static_cast<size_t>(depth) * 4, ' ');
        out << pad << "[" << inv["agent"].get<std::string>() << "] task: " << inv["task"].get<std::string>()
            << "  (reward " << inv["reward"] << (inv["format_valid"].get<bool>() ? "" : ", format error: " +
                                                   inv["format_error"].get<std::string>()) << ")\n";
        size_t child = 0;
        for (const auto& seg : inv["segments"]) {
            const auto kind = seg["kind"].get<std::string>();
            if (kind == "prompt") continue;
            out << pad << "  " << kind << ": " << seg["text"].get<std::string>() << "\n";
            if (kind == "action" && seg["text"].get<std::string>().find("<delegate>") != std::string::npos &&
                child < inv["children"].size())
                print(inv["children"][child++].get<int>(), depth + 1);
        }
    };
    print(0, 0);
    return 0;
}

}  // namespace mgrpo::cli
