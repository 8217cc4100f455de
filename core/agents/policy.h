// An agent's decision maker as the runtime sees it: given the contexts of
// several waiting invocations, return each one's next action. Neural policies
// (neural_policy.h) sample from a transformer; scripted policies (experts,
// test doubles) compute text directly. Torch-free.
#pragma once

#include "core/agents/task.h"
#include "core/agents/trajectory.h"
#include "core/model/tokenizer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace mgrpo::core {

struct PolicyRequest {
    const Invocation* invocation = nullptr;  // the invocation so far (segments, task)
    const TaskInstance* task = nullptr;
    std::vector<int> context;                // its tokens, the prompt to continue
    int maxTokens = 32;                      // the agent's max_tokens_per_turn
    int contextLength = 0;                   // the model's limit (0 = none)
};

struct PolicyAction {
    std::string text;
    std::vector<int> tokens;
    std::vector<float> logProbs;  // empty for scripted policies
};

class AgentPolicy {
public:
    virtual ~AgentPolicy() = default;
    virtual const Tokenizer& tokenizer() const = 0;
    // One action per request, in order. `seed` makes sampling reproducible.
    virtual std::vector<PolicyAction> act(const std::vector<PolicyRequest>& requests, uint64_t seed) = 0;
};

// A policy from a function of one request, e.g. a scripted expert.
class ScriptedPolicy final : public AgentPolicy {
public:
    using Script = std::function<std::string(const PolicyRequest&)>;
    ScriptedPolicy(std::shared_ptr<const Tokenizer> tokenizer, Script script)
        : m_tokenizer(std::move(tokenizer)), m_script(std::move(script)) {}
    const Tokenizer& tokenizer() const override { return *m_tokenizer; }
    std::vector<PolicyAction> act(const std::vector<PolicyRequest>& requests, uint64_t seed) override;

private:
    std::shared_ptr<const Tokenizer> m_tokenizer;
    Script m_script;
};

}  // namespace mgrpo::core
