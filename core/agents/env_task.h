// The built-in deep-research environment (core/env) seen through the runtime's
// TaskInstance interface, plus its scripted experts as runtime policies.
// r_expert is exact: a sub-agent's answer is checked against the true answer of
// the subtask it was actually given (computed from the world), so a sub-agent
// that correctly answers a badly chosen subtask still gets expert credit.
#pragma once

#include "core/agents/policy.h"
#include "core/agents/topology.h"
#include "core/env/expert.h"
#include "core/env/protocol.h"
#include "core/env/question.h"
#include "core/env/tools.h"

namespace mgrpo::core {

class EnvTask final : public TaskInstance {
public:
    // `mainRole` is Planner for hierarchies and Single for a lone agent.
    EnvTask(env::Question question, env::Role mainRole, const env::ToolRegistry& tools = env::ToolRegistry::builtin());

    std::string mainPrompt() const override;
    std::string subPrompt(const std::string& instruction) const override;
    std::string questionText() const override { return m_question.text; }
    ParsedAction parse(std::string_view action) const override;
    std::string callTool(const std::string& tool, const std::string& args) const override;
    std::string renderResult(const std::string& answer, bool formatValid) const override;
    bool isCorrect(const std::string& answer) const override;
    double expertScore(const std::string& instruction, const std::string& answer) const override;

    const env::Question& question() const { return m_question; }
    env::Role mainRole() const { return m_mainRole; }
    // The true answer of a subtask instruction ("find R of X" or "calc a op b"), or "" if ill-formed.
    std::string trueAnswer(const std::string& instruction) const;

private:
    env::Question m_question;
    env::Role m_mainRole;
    const env::ToolRegistry& m_tools;
};

// The role the scripted expert plays for an agent of a topology.
env::Role expertRole(const AgentSpec& agent);

// The environment's scripted expert for one agent (needs EnvTask tasks).
std::shared_ptr<AgentPolicy> makeExpertPolicy(std::shared_ptr<const Tokenizer> tokenizer, const AgentSpec& agent,
                                              env::ExpertConfig config);

// Tools and delegation names the validator checks topologies against.
ValidationContext builtinValidationContext();

}  // namespace mgrpo::core
