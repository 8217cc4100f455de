#include "core/agents/neural_policy.h"

#include "core/rollout/generation.h"

#include <algorithm>
#include <map>

namespace mgrpo::core {

NeuralPolicy::NeuralPolicy(TransformerLM model, std::shared_ptr<const Tokenizer> tokenizer, SamplingParams sampling,
                           const std::vector<std::string>& stopWords)
    : m_model(std::move(model)), m_tokenizer(std::move(tokenizer)), m_sampling(std::move(sampling)) {
    m_sampling.stopTokens.clear();
    for (const auto& w : stopWords) m_sampling.stopTokens.push_back(m_tokenizer->tokenId(w));
}

std::vector<PolicyAction> NeuralPolicy::act(const std::vector<PolicyRequest>& requests, uint64_t seed) {
    std::vector<PolicyAction> out(requests.size());
    if (requests.empty()) return out;
    // Requests may carry different token budgets; generate in groups of equal budget.
    std::map<int, std::vector<size_t>> byBudget;
    for (size_t i = 0; i < requests.size(); ++i) byBudget[requests[i].maxTokens].push_back(i);
    for (const auto& [budget, indices] : byBudget) {
        std::vector<std::vector<int>> prompts;
        for (auto i : indices) prompts.push_back(requests[i].context);
        auto params = m_sampling;
        params.maxNewTokens = budget;
        params.seed = seed + static_cast<uint64_t>(budget);
        auto result = generate(m_model, prompts, params);
        for (size_t j = 0; j < indices.size(); ++j) {
            auto& a = out[indices[j]];
            a.tokens = std::move(result.tokens[j]);
            a.logProbs = std::move(result.logProbs[j]);
            a.text = m_tokenizer->decode(a.tokens);
        }
    }
    return out;
}

}  // namespace mgrpo::core
