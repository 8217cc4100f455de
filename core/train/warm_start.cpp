// Warm start, in the order it runs:
//   1. demonstrations: experts act for every agent through the real runtime
//   2. per agent: masked next-token fit on its own invocations
//   3. checkpoints and a topology that points at them
//   4. held-out evaluation on stages 1 and 2
#include "core/train/warm_start.h"

#include "core/agents/agent_models.h"
#include "core/agents/env_task.h"
#include "core/agents/runtime.h"
#include "core/train/evaluation.h"
#include "core/env/question_generator.h"
#include "core/env/reading.h"
#include "core/model/checkpoint.h"
#include "core/rollout/batching.h"
#include "core/rollout/scoring.h"
#include "core/util/files.h"
#include "core/util/json_fields.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <filesystem>
#include <random>

namespace mgrpo::core {

namespace fs = std::filesystem;

namespace {

struct Example {
    std::vector<int> tokens;
    std::vector<uint8_t> mask;
};

env::Role mainRoleOf(const Topology& t) { return expertRole(t.mainAgent()); }

std::vector<std::unique_ptr<EnvTask>> makeTasks(const std::vector<env::Question>& questions, env::Role role) {
    std::vector<std::unique_ptr<EnvTask>> tasks;
    for (const auto& q : questions) tasks.push_back(std::make_unique<EnvTask>(q, role));
    return tasks;
}

std::vector<const TaskInstance*> pointers(const std::vector<std::unique_ptr<EnvTask>>& tasks) {
    std::vector<const TaskInstance*> out;
    for (const auto& t : tasks) out.push_back(t.get());
    return out;
}

// Mean negative log-likelihood over masked (generated) tokens of a batch.
torch::Tensor maskedNll(TransformerLM& model, const std::vector<const Example*>& batch) {
    std::vector<std::vector<int>> seqs;
    for (const auto* e : batch) seqs.push_back(e->tokens);
    const auto device = model->parameters().front().device();
    auto packed = packSequences(seqs, PadSide::Right, device);
    const auto T = packed.tokens.size(1);
    std::vector<float> flat(batch.size() * static_cast<size_t>(T), 0.0f);
    for (size_t b = 0; b < batch.size(); ++b)
        std::copy(batch[b]->mask.begin(), batch[b]->mask.end(), flat.begin() + static_cast<long>(b) * T);
    auto mask = torch::from_blob(flat.data(), {static_cast<int64_t>(batch.size()), T}, torch::kFloat).to(device, /*non_blocking=*/false, /*copy=*/true);
    auto scores = scoreTokens(model, packed.tokens, packed.lengths);
    return -(scores.logProbs * mask).sum() / mask.sum().clamp_min(1.0);
}

// One demonstration's invocations of one agent.
using DemoExamples = std::vector<Example>;
using BatchSampler = std::function<std::vector<const Example*>(std::mt19937_64&)>;

struct FitResult {
    double initialLoss = 0, finalLoss = 0;  // first step's, and an EMA of the last steps'
};

// `steps` AdamW steps on masked next-token loss, cosine decay to 10% of the peak rate.
FitResult fit(const std::string& label, TransformerLM& model, const BatchSampler& sample, int steps, uint64_t seed,
              const WarmStartOptions& o) {
    FitResult result;
    model->train();
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(o.learningRate).weight_decay(0.01));
    std::mt19937_64 rng(seed ^ std::hash<std::string>{}(label));
    double ema = 0;
    for (int step = 0; step < steps; ++step) {
        const double lr = o.learningRate * (0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * step / std::max(1, steps))));
        for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        opt.zero_grad();
        auto loss = maskedNll(model, sample(rng));
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        opt.step();
        const double l = loss.item<double>();
        if (step == 0) result.initialLoss = ema = l;
        ema = 0.9 * ema + 0.1 * l;
        if (o.log && (step + 1) % 50 == 0)
            o.log("  " + label + " step " + std::to_string(step + 1) + "/" + std::to_string(steps) + " loss " +
                  std::to_string(ema));
    }
    result.finalLoss = ema;
    model->eval();
    return result;
}

// Reading exercises (env/reading.h) on the pages of the demonstrations' worlds;
// the loss is on the notes only, as it is on actions in the demonstrations.
FitResult fitReading(const std::string& agent, TransformerLM& model, const Tokenizer& tokenizer,
                     const std::vector<env::Question>& questions, const WarmStartOptions& o) {
    std::vector<Example> batch;
    std::vector<const Example*> pointers;
    uint64_t drawn = 0;
    const BatchSampler sample = [&](std::mt19937_64& rng) {
        batch.assign(static_cast<size_t>(o.readingBatch), {});
        pointers.clear();
        for (auto& e : batch) {
            const auto& q = questions[rng() % questions.size()];
            const int entity = static_cast<int>(rng() % q.world.entities().size());
            const auto exercise = env::readingExercise(q.world, entity, o.seed + drawn++);
            e.tokens = tokenizer.encode(exercise.page);
            e.mask.assign(e.tokens.size(), 0);
            for (const auto& note : exercise.notes) {
                const auto ids = tokenizer.encode(note);
                e.tokens.insert(e.tokens.end(), ids.begin(), ids.end());
                e.mask.insert(e.mask.end(), ids.size(), 1);
            }
            pointers.push_back(&e);
        }
        return pointers;
    };
    return fit(agent + " reading", model, sample, o.readingSteps, o.seed, o);
}

AgentFitReport fitAgent(const std::string& agent, TransformerLM& model, const std::vector<DemoExamples>& demos,
                        const WarmStartOptions& o) {
    AgentFitReport report;
    report.agent = agent;
    for (const auto& demo : demos) {
        report.examples += static_cast<int>(demo.size());
        for (const auto& e : demo)
            for (auto m : e.mask) report.trainedTokens += m;
    }
    if (demos.empty()) return report;
    const BatchSampler sample = [&](std::mt19937_64& rng) {
        std::vector<const Example*> batch;
        for (int b = 0; b < o.batchSize; ++b)
            for (const auto& e : demos[rng() % demos.size()]) batch.push_back(&e);
        return batch;
    };
    const auto r = fit(agent, model, sample, o.steps, o.seed, o);
    report.initialLoss = r.initialLoss;
    report.finalLoss = r.finalLoss;
    return report;
}

}  // namespace

std::map<std::string, double> evalMetrics(const EvalReport& e) {
    return {{"accuracy", e.accuracy},
            {"format_rate", e.formatRate},
            {"sub_format_rate", e.subFormatRate},
            {"sub_expert_score", e.subExpertScore},
            {"mean_delegations", e.meanDelegations},
            {"mean_main_tokens", e.meanMainTokens}};
}

nlohmann::json toJson(const EvalReport& e) {
    nlohmann::json j = evalMetrics(e);
    j["stage"] = e.stage;
    j["queries"] = e.queries;
    j["temperature"] = e.temperature;
    return j;
}

EvalReport summariseEvaluation(const std::vector<Rollout>& rollouts, int stage, int queries) {
    EvalReport r;
    r.stage = stage;
    r.queries = queries;
    int subs = 0, subValid = 0;
    for (const auto& ro : rollouts) {
        r.accuracy += ro.correct;
        r.correctByQuestion.push_back(ro.correct ? 1 : 0);
        r.formatRate += ro.main().formatValid;
        r.meanMainTokens += static_cast<double>(ro.main().length());
        for (const auto& inv : ro.invocations)
            if (inv.parent >= 0) {
                subs++;
                subValid += inv.formatValid;
                r.subExpertScore += inv.expertScore;
            }
    }
    const double n = std::max<size_t>(1, rollouts.size());
    r.accuracy /= n;
    r.formatRate /= n;
    r.meanMainTokens /= n;
    r.meanDelegations = subs / n;
    r.subFormatRate = subs ? static_cast<double>(subValid) / subs : 1.0;
    r.subExpertScore = subs ? r.subExpertScore / subs : 0.0;
    return r;
}

EvalReport evaluateModels(const Topology& topology, AgentModels& models, int stage, int queries, uint64_t seed,
                          double temperature) {
    auto tasks = makeTasks(env::QuestionGenerator::evaluationSet(stage, queries), mainRoleOf(topology));
    AgentRuntime runtime(topology, neuralPolicies(topology, models, temperature));
    c10::InferenceMode inference;
    auto report = summariseEvaluation(runtime.run(pointers(tasks), 1, seed), stage, queries);
    report.temperature = temperature;
    return report;
}

void requireValid(const Topology& topology) {
    const auto problems = validateTopology(topology, builtinValidationContext());
    if (problems.empty()) return;
    std::string message = "topology '" + topology.name + "' is invalid:";
    for (const auto& p : problems) message += "\n  " + describe(p);
    throw ConfigError(message);
}

EvalReport evaluateTopology(const Topology& topology, int stage, int queries, uint64_t seed, double temperature) {
    requireValid(topology);
    auto models = buildAgentModels(topology, seed);
    return evaluateModels(topology, models, stage, queries, seed, temperature);
}

nlohmann::json sampleRollout(const Topology& topology, int stage, int index, uint64_t seed) {
    requireValid(topology);
    auto models = buildAgentModels(topology, seed);
    auto questions = env::QuestionGenerator::evaluationSet(stage, index + 1);
    auto tasks = makeTasks({questions.back()}, mainRoleOf(topology));
    AgentRuntime runtime(topology, neuralPolicies(topology, models, /*temperature=*/0.0));
    c10::InferenceMode inference;
    auto rollout = runtime.run(pointers(tasks), 1, seed).front();
    auto j = toJson(rollout);
    j["question"] = env::toJson(questions.back());
    return j;
}

WarmStartReport warmStart(const Topology& topology, const WarmStartOptions& o, const std::string& outDir) {
    requireValid(topology);
    const auto start = std::chrono::steady_clock::now();
    auto log = [&](const std::string& line) {
        if (o.log) o.log(line);
    };
    WarmStartReport report;
    auto models = buildAgentModels(topology, o.seed);

    // 1. Demonstrations.
    std::vector<env::Question> questions;
    using env::QuestionGenerator;
    for (int i = 0; i < o.demonstrations; ++i)
        questions.push_back(QuestionGenerator::training(o.stage, o.seed, static_cast<uint64_t>(i),
                                                        QuestionGenerator::Stream::Demonstrations));
    auto tasks = makeTasks(questions, mainRoleOf(topology));
    std::map<std::string, std::shared_ptr<AgentPolicy>> experts;
    for (const auto& agent : topology.agents) {
        auto config = o.expert;
        config.seed = o.seed;
        experts[agent.id] = makeExpertPolicy(models.tokenizer, agent, config);
    }
    AgentRuntime demoRuntime(topology, experts);
    const auto demos = demoRuntime.run(pointers(tasks), 1, o.seed);
    std::map<std::string, std::vector<DemoExamples>> examples;
    for (const auto& r : demos) {
        report.expertAccuracy += r.correct;
        std::map<std::string, DemoExamples> own;
        for (const auto& inv : r.invocations) own[inv.agentId].push_back({inv.tokens(), inv.lossMask()});
        for (auto& [agent, list] : own) examples[agent].push_back(std::move(list));
    }
    report.expertAccuracy /= std::max<size_t>(1, demos.size());
    log("demonstrations: " + std::to_string(demos.size()) + " questions of stage " + std::to_string(o.stage) +
        ", expert accuracy " + std::to_string(report.expertAccuracy));

    // 2. Fit each agent on its own invocations; 3. checkpoint it.
    auto out = topology;
    createDirectories(outDir);
    for (auto& agent : out.agents) {
        auto& model = models.models.at(agent.id);
        // Agents that open pages first learn to read one (env/reading.h).
        const bool reads = std::find(agent.tools.begin(), agent.tools.end(), "open") != agent.tools.end();
        FitResult reading;
        if (reads && o.readingSteps > 0 && !questions.empty())
            reading = fitReading(agent.id, model, *models.tokenizer, questions, o);
        report.agents.push_back(fitAgent(agent.id, model, examples[agent.id], o));
        report.agents.back().readingLoss = reading.finalLoss;
        const auto dir = absolutePath((fs::path(outDir) / agent.id).string());
        saveCheckpoint(dir, model, *models.tokenizer, nullptr,
                       {{"agent", agent.id},
                        {"warm_start_stage", o.stage},
                        {"steps", o.steps},
                        {"reading_steps", reads ? o.readingSteps : 0},
                        {"seed", o.seed}});
        agent.checkpoint = dir;
        agent.model.vocabSize = models.tokenizer->vocabSize();
    }
    report.topologyPath = (fs::path(outDir) / "topology.json").string();
    saveTopologyFile(out, report.topologyPath);

    // 4. Held-out evaluation.
    for (int stage : {1, 2}) {
        if (o.evalQueries <= 0) break;
        report.evaluations.push_back(evaluateModels(out, models, stage, o.evalQueries, o.seed));
        const auto& e = report.evaluations.back();
        log("held-out stage " + std::to_string(stage) + ": accuracy " + std::to_string(e.accuracy) + ", format " +
            std::to_string(e.formatRate) + ", delegations " + std::to_string(e.meanDelegations));
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace mgrpo::core
