#include "core/train/experiment_config.h"

#include "core/util/json_fields.h"

#include <fstream>

namespace mgrpo::core {

std::string toString(Algorithm a) {
    switch (a) {
        case Algorithm::Mgrpo: return "mgrpo";
        case Algorithm::MainOnly: return "main-only";
        case Algorithm::SingleAgent: return "single-agent";
        case Algorithm::MgrpoUnaligned: return "mgrpo-unaligned";
    }
    return "?";
}

Algorithm algorithmFromString(const std::string& s) {
    for (auto a : {Algorithm::Mgrpo, Algorithm::MainOnly, Algorithm::SingleAgent, Algorithm::MgrpoUnaligned})
        if (toString(a) == s) return a;
    throw ConfigError("experiment.algorithm = '" + s +
                      "' is not one of mgrpo, main-only, single-agent, mgrpo-unaligned");
}

nlohmann::json toJson(const ExperimentConfig& c) {
    return {{"name", c.name},
            {"algorithm", toString(c.algorithm)},
            {"stage", c.stage},
            {"steps", c.steps},
            {"queries_per_step", c.queriesPerStep},
            {"samples_per_query", c.samplesPerQuery},
            {"fixed_d", c.fixedD},
            {"d_quantile", c.dQuantile},
            {"preliminary_queries", c.preliminaryQueries},
            {"clip_low", c.clipLow},
            {"clip_high", c.clipHigh},
            {"ratio_level", c.ratioLevel},
            {"loss_aggregation", c.lossAggregation},
            {"kl_coef", c.klCoef},
            {"entropy_coef", c.entropyCoef},
            {"learning_rate", c.learningRate},
            {"weight_decay", c.weightDecay},
            {"lr_schedule", c.lrSchedule},
            {"warmup_steps", c.warmupSteps},
            {"grad_clip", c.gradClip},
            {"epochs", c.epochs},
            {"mini_batches", c.miniBatches},
            {"temperature", c.temperature},
            {"rewards", toJson(c.rewards)},
            {"eval_every", c.evalEvery},
            {"eval_queries", c.evalQueries},
            {"checkpoint_every", c.checkpointEvery},
            {"seed", c.seed}};
}

ExperimentConfig experimentConfigFromJson(const nlohmann::json& j) {
    const std::string x = "experiment";
    ExperimentConfig c;
    c.name = readField(j, x, "name", c.name);
    c.algorithm = algorithmFromString(readField<std::string>(j, x, "algorithm", toString(c.algorithm)));
    c.stage = readRanged(j, x, "stage", c.stage, 1, 2);
    c.steps = readRanged(j, x, "steps", c.steps, 1, 1000000);
    c.queriesPerStep = readRanged(j, x, "queries_per_step", c.queriesPerStep, 1, 4096);
    c.samplesPerQuery = readRanged(j, x, "samples_per_query", c.samplesPerQuery, 2, 1024);
    c.fixedD = readRanged(j, x, "fixed_d", c.fixedD, 0, 64);
    c.dQuantile = readRanged(j, x, "d_quantile", c.dQuantile, 0.5, 1.0);
    c.preliminaryQueries = readRanged(j, x, "preliminary_queries", c.preliminaryQueries, 1, 4096);
    c.clipLow = readRanged(j, x, "clip_low", c.clipLow, 0.0, 1.0);
    c.clipHigh = readRanged(j, x, "clip_high", c.clipHigh, 0.0, 10.0);
    c.ratioLevel = readField(j, x, "ratio_level", c.ratioLevel);
    if (c.ratioLevel != "token" && c.ratioLevel != "sequence")
        throw ConfigError("experiment.ratio_level = '" + c.ratioLevel + "' is not token or sequence");
    c.lossAggregation = readField(j, x, "loss_aggregation", c.lossAggregation);
    if (c.lossAggregation != "token-mean" && c.lossAggregation != "seq-mean-token-mean")
        throw ConfigError("experiment.loss_aggregation = '" + c.lossAggregation +
                          "' is not token-mean or seq-mean-token-mean");
    c.klCoef = readRanged(j, x, "kl_coef", c.klCoef, 0.0, 100.0);
    c.entropyCoef = readRanged(j, x, "entropy_coef", c.entropyCoef, 0.0, 100.0);
    c.learningRate = readRanged(j, x, "learning_rate", c.learningRate, 0.0, 1.0);
    c.weightDecay = readRanged(j, x, "weight_decay", c.weightDecay, 0.0, 1.0);
    c.lrSchedule = readField(j, x, "lr_schedule", c.lrSchedule);
    if (c.lrSchedule != "constant" && c.lrSchedule != "cosine")
        throw ConfigError("experiment.lr_schedule = '" + c.lrSchedule + "' is not constant or cosine");
    c.warmupSteps = readRanged(j, x, "warmup_steps", c.warmupSteps, 0, 1000000);
    c.gradClip = readRanged(j, x, "grad_clip", c.gradClip, 0.0, 1e6);
    c.epochs = readRanged(j, x, "epochs", c.epochs, 1, 100);
    c.miniBatches = readRanged(j, x, "mini_batches", c.miniBatches, 1, 1024);
    c.temperature = readRanged(j, x, "temperature", c.temperature, 0.01, 10.0);
    c.rewards = rewardWeightsFromJson(readField(j, x, "rewards", nlohmann::json::object()), x + ".rewards");
    c.evalEvery = readRanged(j, x, "eval_every", c.evalEvery, 0, 1000000);
    c.evalQueries = readRanged(j, x, "eval_queries", c.evalQueries, 1, 100000);
    c.checkpointEvery = readRanged(j, x, "checkpoint_every", c.checkpointEvery, 0, 1000000);
    c.seed = readField(j, x, "seed", c.seed);
    return c;
}

ExperimentConfig loadExperimentFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("cannot open experiment file '" + path + "'");
    try {
        return experimentConfigFromJson(nlohmann::json::parse(in));
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError("experiment file '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const ConfigError& e) {
        throw ConfigError("experiment file '" + path + "': " + e.what());
    }
}

}  // namespace mgrpo::core
