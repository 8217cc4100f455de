// One agent's updates (MGRPO.md section 5). With one rank this is exactly the
// trainer's original loop; with several, every rank holds the whole batch
// (same shuffle), scores rows [rank*n/R, (rank+1)*n/R) of each minibatch and
// scales its loss by its share of the minibatch's normaliser (tokens for
// token-mean, sequences otherwise), so the summed gradient is the gradient of
// the loss over the whole minibatch.
#include "core/train/agent_update.h"

#include "core/rollout/batching.h"
#include "core/rollout/scoring.h"
#include "core/util/json_fields.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace mgrpo::core {

double learningRateAt(const ExperimentConfig& config, int stepIndex) {
    double lr = config.learningRate;
    if (config.warmupSteps > 0 && stepIndex < config.warmupSteps)
        lr *= static_cast<double>(stepIndex + 1) / config.warmupSteps;
    if (config.lrSchedule == "cosine")
        lr *= 0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * stepIndex / std::max(1, config.steps)));
    return lr;
}

PolicyLossConfig policyLossConfig(const ExperimentConfig& config) {
    PolicyLossConfig loss;
    loss.clipLow = config.clipLow;
    loss.clipHigh = config.clipHigh;
    loss.ratio = ratioLevelFromString(config.ratioLevel);
    loss.aggregation = aggregationFromString(config.lossAggregation);
    loss.klCoef = config.klCoef;
    loss.entropyCoef = config.entropyCoef;
    return loss;
}

namespace {

// Whether the surrogate divides by tokens (else by sequences with tokens).
bool perTokenNormaliser(const PolicyLossConfig& loss) {
    return loss.ratio == RatioLevel::Token && loss.aggregation == LossAggregation::TokenMean;
}

double normaliser(const std::vector<Sample>& samples, const std::vector<size_t>& order, size_t from, size_t to,
                  bool perToken) {
    double n = 0;
    for (size_t i = from; i < to; ++i) {
        const auto mask = samples[order[i]].invocation->lossMask();
        const double tokens = static_cast<double>(std::count(mask.begin(), mask.end(), uint8_t{1}));
        n += perToken ? tokens : (tokens > 0 ? 1.0 : 0.0);
    }
    return n;
}

// Sums every parameter's gradient over the group (missing gradients count as 0).
void allReduceGradients(std::vector<torch::Tensor> params, const DataParallel& dp) {
    std::vector<torch::Tensor> flat;
    for (const auto& p : params)
        flat.push_back(p.grad().defined() ? p.grad().reshape(-1) : torch::zeros({p.numel()}, p.options()));
    auto all = torch::cat(flat);
    dp.allReduceSum(all);
    int64_t offset = 0;
    for (auto& p : params) {
        p.mutable_grad() = all.narrow(0, offset, p.numel()).view(p.sizes()).clone();
        offset += p.numel();
    }
}

}  // namespace

void updateAgent(const AgentSpec& agent, const std::string& prefix, TransformerLM& model,
                 torch::optim::AdamW& opt, TransformerLM* reference, std::vector<Sample>& samples,
                 const ExperimentConfig& config, int stepIndex, std::map<std::string, double>& metrics,
                 const DataParallel* dp) {
    const std::string& agentId = agent.id;
    const auto loss = policyLossConfig(config);
    const bool parallel = dp && dp->size > 1;
    if (parallel && loss.ratio == RatioLevel::Sequence && loss.aggregation == LossAggregation::TokenMean &&
        (loss.klCoef > 0 || loss.entropyCoef > 0))
        throw ConfigError("agent '" + agentId + "': data-parallel training cannot split a loss that mixes a "
                          "sequence-level ratio with token-mean KL/entropy terms; use one rank or "
                          "loss_aggregation seq-mean-token-mean");
    const double lr = learningRateAt(config, stepIndex) * agent.learningRateScale;
    for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    metrics[prefix + "/lr"] = lr;
    if (samples.empty()) return;
    model->train();
    const auto device = model->parameters().front().device();
    const double temperature = config.temperature;
    std::mt19937_64 rng(mixSeed(mixSeed(config.seed, static_cast<uint64_t>(stepIndex)), std::hash<std::string>{}(agentId)));
    double lossSum = 0, clipSum = 0, klSum = 0, refKlSum = 0, entSum = 0, normSum = 0;
    int updates = 0;
    long long tokens = 0;
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
        std::vector<size_t> order(samples.size());
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        const size_t per = (order.size() + static_cast<size_t>(config.miniBatches) - 1) /
                           static_cast<size_t>(config.miniBatches);
        for (size_t start = 0; start < order.size(); start += per) {
            const size_t end = std::min(order.size(), start + per);
            // This rank's rows of the minibatch, and its share of the normaliser.
            size_t lo = start, hi = end;
            double weight = 1.0;
            if (parallel) {
                const size_t n = end - start, r = static_cast<size_t>(dp->rank), R = static_cast<size_t>(dp->size);
                lo = start + n * r / R;
                hi = start + n * (r + 1) / R;
                const bool perToken = perTokenNormaliser(loss);
                weight = normaliser(samples, order, lo, hi, perToken) /
                         std::max(1.0, normaliser(samples, order, start, end, perToken));
            }
            double lossValue = 0;
            PolicyLossTerms terms;
            long long localTokens = 0;
            opt.zero_grad();
            if (hi > lo) {
                std::vector<std::vector<int>> seqs;
                std::vector<float> maskFlat, oldFlat, advs;
                for (size_t i = lo; i < hi; ++i) seqs.push_back(samples[order[i]].invocation->tokens());
                auto packed = packSequences(seqs, PadSide::Right, device);
                const auto T = packed.tokens.size(1);
                maskFlat.assign((hi - lo) * static_cast<size_t>(T), 0.f);
                oldFlat.assign(maskFlat.size(), 0.f);
                for (size_t i = lo; i < hi; ++i) {
                    const auto* inv = samples[order[i]].invocation;
                    const auto m = inv->lossMask();
                    const auto o = inv->oldLogProbs();
                    const size_t row = (i - lo) * static_cast<size_t>(T);
                    for (size_t t = 0; t < m.size(); ++t) {
                        maskFlat[row + t] = m[t];
                        oldFlat[row + t] = o[t];
                    }
                    advs.push_back(static_cast<float>(samples[order[i]].advantage));
                }
                const auto rows = static_cast<int64_t>(hi - lo);
                auto mask = torch::from_blob(maskFlat.data(), {rows, T}, torch::kFloat).to(device, false, true);
                auto old = torch::from_blob(oldFlat.data(), {rows, T}, torch::kFloat).to(device, false, true);
                auto adv = torch::from_blob(advs.data(), {rows}, torch::kFloat).to(device, false, true);
                localTokens = static_cast<long long>(mask.sum().item<double>());
                auto scores = scoreTokens(model, packed.tokens, packed.lengths, temperature);
                std::optional<torch::Tensor> refLogp;
                if (reference) {
                    torch::NoGradGuard noGrad;
                    refLogp = scoreTokens(*reference, packed.tokens, packed.lengths, temperature).logProbs;
                }
                terms = policyLoss(scores.logProbs, old, adv, mask, loss, refLogp, scores.entropy);
                lossValue = terms.loss.item<double>();
                if (!parallel && !std::isfinite(lossValue)) throw TrainingError(agentId, "loss", stepIndex + 1);
                (parallel ? terms.loss * weight : terms.loss).backward();
            }
            if (parallel) {
                // The group's loss statistics, weighted as the gradients are.
                auto stats = torch::tensor({lossValue * weight, terms.clipFraction * weight, terms.approxKl * weight,
                                            terms.klToRef * weight, terms.entropy * weight,
                                            static_cast<double>(localTokens)},
                                           torch::kDouble);
                dp->allReduceSum(stats);
                const auto s = stats.accessor<double, 1>();
                lossValue = s[0];
                terms.clipFraction = s[1], terms.approxKl = s[2], terms.klToRef = s[3], terms.entropy = s[4];
                localTokens = static_cast<long long>(s[5]);
                if (!std::isfinite(lossValue)) throw TrainingError(agentId, "loss", stepIndex + 1);
                allReduceGradients(model->parameters(), *dp);
            }
            tokens += localTokens;
            const double norm = config.gradClip > 0
                                    ? torch::nn::utils::clip_grad_norm_(model->parameters(), config.gradClip)
                                    : torch::nn::utils::clip_grad_norm_(model->parameters(), 1e30);
            if (!std::isfinite(norm)) throw TrainingError(agentId, "gradient norm", stepIndex + 1);
            opt.step();
            lossSum += lossValue;
            clipSum += terms.clipFraction;
            klSum += terms.approxKl;
            refKlSum += terms.klToRef;
            entSum += terms.entropy;
            normSum += norm;
            updates++;
        }
    }
    model->eval();
    const double u = std::max(1, updates);
    metrics[prefix + "/loss"] = lossSum / u;
    metrics[prefix + "/clipfrac"] = clipSum / u;
    metrics[prefix + "/approx_kl"] = klSum / u;
    metrics[prefix + "/kl_ref"] = refKlSum / u;
    metrics[prefix + "/entropy"] = entSum / u;
    metrics[prefix + "/grad_norm"] = normSum / u;
    metrics[prefix + "/tokens"] = static_cast<double>(tokens);
}

}  // namespace mgrpo::core
