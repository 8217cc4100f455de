#include "core/rollout/generation.h"

#include "core/model/tokenizer.h"
#include "core/rollout/batching.h"
#include "core/system/blas_threads.h"

#include <algorithm>
#include <limits>
#include <random>
#include <stdexcept>

namespace mgrpo::core {

namespace {

// Draws one token per row by inverse-CDF sampling with uniforms from a host
// generator, so the result is identical on every device for a given seed.
struct Sampler {
    const SamplingParams& params;
    std::mt19937_64 rng;
    std::uniform_real_distribution<double> uniform{0.0, 1.0};

    // logits [R, V] -> (tokens [R] int64, log-probs [R] float), both on the CPU.
    std::pair<torch::Tensor, torch::Tensor> draw(const torch::Tensor& logits) {
        const bool greedy = params.temperature <= 0.0;
        auto logp = torch::log_softmax(greedy ? logits : logits / params.temperature, /*dim=*/-1);
        torch::Tensor chosen;
        if (greedy) {
            chosen = logp.argmax(/*dim=*/-1);
        } else {
            auto u = torch::empty({logits.size(0), 1}, torch::kFloat);
            auto* up = u.data_ptr<float>();
            for (int64_t r = 0; r < logits.size(0); ++r) up[r] = static_cast<float>(uniform(rng));
            u = u.to(logits.device());
            auto probs = logp.exp();
            torch::Tensor order;
            if (params.topP < 1.0) {
                auto sorted = probs.sort(/*dim=*/-1, /*descending=*/true);
                probs = std::get<0>(sorted);
                order = std::get<1>(sorted);
                // Keep the smallest prefix whose mass reaches top_p (the top token always stays).
                auto before = probs.cumsum(-1) - probs;
                probs = probs.masked_fill(before >= params.topP, 0.0);
            }
            auto cdf = probs.cumsum(-1);
            auto target = u * cdf.narrow(1, cdf.size(1) - 1, 1);
            chosen = (cdf < target).sum(-1).clamp_max(cdf.size(1) - 1);
            if (order.defined()) chosen = order.gather(1, chosen.unsqueeze(1)).squeeze(1);
        }
        auto lp = logp.gather(1, chosen.unsqueeze(1)).squeeze(1);
        return {chosen.to(torch::kCPU), lp.to(torch::kCPU, torch::kFloat)};
    }
};

}  // namespace

GenerationResult generate(TransformerLM& model, const std::vector<std::vector<int>>& prompts,
                          const SamplingParams& params, const GenerationOptions& options) {
    const auto& config = model->config();
    const auto device = model->parameters().front().device();
    const int B = static_cast<int>(prompts.size());
    GenerationResult result;
    result.tokens.resize(static_cast<size_t>(B));
    result.logProbs.resize(static_cast<size_t>(B));
    result.finish.assign(static_cast<size_t>(B), FinishReason::Length);
    if (B == 0) return result;
    for (const auto& p : prompts)
        if (static_cast<int>(p.size()) >= config.contextLength)
            throw std::invalid_argument("prompt of " + std::to_string(p.size()) +
                                        " tokens does not fit the model's context of " +
                                        std::to_string(config.contextLength));

    c10::InferenceMode inference;
    ScopedBlasThreads oneBlasThread(1);  // see blas_threads.h for the measurement
    const bool wasTraining = model->is_training();
    model->eval();

    auto batch = packSequences(prompts, PadSide::Left, device);
    const int64_t promptWidth = batch.tokens.size(1);
    const int64_t capacity = promptWidth + params.maxNewTokens;
    Sampler sampler{params, std::mt19937_64(params.seed)};

    // Rows still running, as indices into `prompts`, and their tensors' row order.
    std::vector<int> rows(static_cast<size_t>(B));
    for (int i = 0; i < B; ++i) rows[static_cast<size_t>(i)] = i;
    auto isStop = [&](int token) {
        return std::find(params.stopTokens.begin(), params.stopTokens.end(), token) != params.stopTokens.end();
    };

    // Key validity over the whole buffer: prompt padding is invalid, generated slots valid.
    auto keyValid = torch::ones({B, capacity}, torch::TensorOptions().dtype(torch::kBool).device(device));
    keyValid.narrow(1, 0, promptWidth).copy_(batch.valid);
    auto allTokens = torch::full({B, capacity}, special::kPad, torch::TensorOptions().dtype(torch::kLong).device(device));
    allTokens.narrow(1, 0, promptWidth).copy_(batch.tokens);
    auto padOffset = (promptWidth - batch.valid.sum(1)).to(torch::kLong);  // [B] left padding per row

    std::optional<KVCache> cache;
    torch::Tensor decodeMask;  // [rows, 1, 1, capacity]: 0 for valid keys, -inf for padding
    torch::Tensor logits;
    if (options.useCache) {
        cache.emplace(config, B, capacity, torch::TensorOptions().dtype(torch::kFloat).device(device));
        auto mask = attentionMask(keyValid, 0, promptWidth);
        logits = model->forward(batch.tokens, batch.positions, mask, &*cache).select(1, promptWidth - 1);
        decodeMask = torch::zeros({B, 1, 1, capacity}, torch::TensorOptions().dtype(torch::kFloat).device(device));
        decodeMask.masked_fill_(keyValid.logical_not().view({B, 1, 1, capacity}),
                                -std::numeric_limits<float>::infinity());
    }

    for (int64_t step = 0; step < params.maxNewTokens && !rows.empty(); ++step) {
        const int64_t width = promptWidth + step;  // tokens so far, padding included
        if (!options.useCache) {
            auto toks = allTokens.narrow(1, 0, width);
            auto pos = (torch::arange(width, toks.options()).view({1, width}) - padOffset.view({-1, 1})).clamp_min(0);
            auto mask = attentionMask(keyValid, 0, width);
            auto active = torch::tensor(std::vector<int64_t>(rows.begin(), rows.end()), toks.options());
            logits = model->forward(toks, pos, mask).select(1, width - 1).index_select(0, active);
        }
        if (options.onLogits) options.onLogits(step, rows, logits);
        auto [chosen, lps] = sampler.draw(logits);
        const auto* ct = chosen.data_ptr<int64_t>();
        const auto* cl = lps.data_ptr<float>();

        // Record, and decide which rows go on.
        std::vector<int64_t> keep;
        for (size_t r = 0; r < rows.size(); ++r) {
            const auto i = static_cast<size_t>(rows[r]);
            const int token = static_cast<int>(ct[r]);
            result.tokens[i].push_back(token);
            result.logProbs[i].push_back(cl[r]);
            const auto length = static_cast<int64_t>(prompts[i].size() + result.tokens[i].size());
            if (isStop(token)) result.finish[i] = FinishReason::Stop;
            else if (length >= config.contextLength) result.finish[i] = FinishReason::Context;
            else if (step + 1 < params.maxNewTokens) keep.push_back(static_cast<int64_t>(r));
        }
        result.steps = step + 1;
        if (keep.empty()) break;

        auto chosenDev = chosen.to(device);
        if (!options.useCache) {
            // The reference path keeps every row; finished rows just carry padding.
            auto column = allTokens.select(1, width);
            column.index_put_({torch::tensor(std::vector<int64_t>(rows.begin(), rows.end()), column.options())},
                              chosenDev);
            std::vector<int> next;
            for (auto r : keep) next.push_back(rows[static_cast<size_t>(r)]);
            rows = std::move(next);
            continue;
        }
        // Drop finished rows from every per-row tensor before the next step.
        if (static_cast<size_t>(keep.size()) != rows.size()) {
            auto idx = torch::tensor(keep, torch::TensorOptions().dtype(torch::kLong)).to(device);
            cache->selectRows(idx);
            decodeMask = decodeMask.index_select(0, idx);
            padOffset = padOffset.index_select(0, idx);
            chosenDev = chosenDev.index_select(0, idx);
            std::vector<int> next;
            for (auto r : keep) next.push_back(rows[static_cast<size_t>(r)]);
            rows = std::move(next);
        }
        auto positions = (padOffset.neg() + width).view({-1, 1});
        auto mask = decodeMask.narrow(3, 0, width + 1);
        logits = model->forward(chosenDev.view({-1, 1}), positions, mask, &*cache).select(1, 0);
    }
    if (wasTraining) model->train();
    return result;
}

}  // namespace mgrpo::core
