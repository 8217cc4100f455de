// Core-internal: an agent policy backed by its own transformer. One act() is
// one batched generate() over every waiting invocation of the agent; each
// action ends at a protocol stop word or at max_tokens_per_turn.
#pragma once

#include "core/agents/policy.h"
#include "core/model/transformer.h"
#include "core/rollout/sampling_params.h"

namespace mgrpo::core {

class NeuralPolicy final : public AgentPolicy {
public:
    NeuralPolicy(TransformerLM model, std::shared_ptr<const Tokenizer> tokenizer, SamplingParams sampling,
                 const std::vector<std::string>& stopWords);

    const Tokenizer& tokenizer() const override { return *m_tokenizer; }
    std::vector<PolicyAction> act(const std::vector<PolicyRequest>& requests, uint64_t seed) override;

    TransformerLM& model() { return m_model; }
    SamplingParams& sampling() { return m_sampling; }

private:
    TransformerLM m_model;
    std::shared_ptr<const Tokenizer> m_tokenizer;
    SamplingParams m_sampling;
};

}  // namespace mgrpo::core
