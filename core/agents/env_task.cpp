#include "core/agents/env_task.h"

#include "core/env/words.h"

namespace mgrpo::core {

EnvTask::EnvTask(env::Question question, env::Role mainRole, const env::ToolRegistry& tools)
    : m_question(std::move(question)), m_mainRole(mainRole), m_tools(tools) {}

std::string EnvTask::mainPrompt() const { return env::promptText(m_mainRole, m_question.text); }

std::string EnvTask::subPrompt(const std::string& instruction) const {
    return env::promptText(env::Role::SubAgent, instruction);
}

ParsedAction EnvTask::parse(std::string_view action) const {
    const auto a = env::parseAction(action, m_tools);
    ParsedAction p;
    switch (a.kind) {
        case env::ActionKind::Call: p.kind = ParsedAction::Kind::Call; break;
        case env::ActionKind::Delegate: p.kind = ParsedAction::Kind::Delegate; break;
        case env::ActionKind::Answer: p.kind = ParsedAction::Kind::Answer; break;
        case env::ActionKind::Invalid: p.kind = ParsedAction::Kind::Invalid; break;
    }
    p.tool = a.tool;
    p.target = a.target;
    p.text = a.kind == env::ActionKind::Call ? a.args : a.text;
    p.error = a.error;
    return p;
}

std::string EnvTask::callTool(const std::string& tool, const std::string& args) const {
    env::Action a;
    a.kind = env::ActionKind::Call;
    a.tool = tool;
    a.args = args;
    return env::respondToCall(a, m_question.world, m_tools);
}

std::string EnvTask::renderResult(const std::string& answer, bool formatValid) const {
    return env::resultText(formatValid && !answer.empty() ? answer : std::string(env::kNoResult));
}

bool EnvTask::isCorrect(const std::string& answer) const { return env::answerMatches(answer, m_question.answer); }

std::string EnvTask::trueAnswer(const std::string& instruction) const {
    const auto w = env::splitWords(instruction);
    // "find <relation> of <entity words>"
    if (w.size() >= 4 && w[0] == "find" && w[2] == "of") {
        const int entity = m_question.world.find(env::joinWords(w, 3));
        return entity < 0 ? "" : m_question.world.value(entity, w[1]);
    }
    // "calc <a> <op> <b>": the calculator's own answer.
    if (w.size() >= 4 && w[0] == "calc") {
        const auto* calc = m_tools.find("calc");
        if (!calc) return "";
        const auto out = calc->call(env::joinWords(w, 1), m_question.world);
        return out == env::kBadArguments ? "" : out;
    }
    return "";
}

double EnvTask::expertScore(const std::string& instruction, const std::string& answer) const {
    const auto truth = trueAnswer(instruction);
    return !truth.empty() && env::answerMatches(answer, truth) ? 1.0 : 0.0;
}

env::Role expertRole(const AgentSpec& agent) {
    if (agent.role == AgentRole::Sub) return env::Role::SubAgent;
    return agent.delegates.empty() ? env::Role::Single : env::Role::Planner;
}

std::shared_ptr<AgentPolicy> makeExpertPolicy(std::shared_ptr<const Tokenizer> tokenizer, const AgentSpec& agent,
                                              env::ExpertConfig config) {
    if (!agent.delegates.empty()) config.delegateTo = agent.delegates.front();
    const env::Role role = expertRole(agent);
    auto expert = std::make_shared<env::Expert>(config);
    return std::make_shared<ScriptedPolicy>(std::move(tokenizer), [expert, role](const PolicyRequest& r) {
        const auto* task = dynamic_cast<const EnvTask*>(r.task);
        if (!task) throw std::logic_error("the scripted expert needs built-in environment tasks");
        env::AgentView view;
        view.role = role;
        view.task = r.invocation->task;
        // (action, the observation or result that followed it)
        const auto& segs = r.invocation->segments;
        for (size_t i = 0; i < segs.size(); ++i) {
            if (segs[i].kind != SegmentKind::Action) continue;
            const bool answered = i + 1 < segs.size() && segs[i + 1].kind != SegmentKind::Action;
            view.turns.emplace_back(segs[i].text, answered ? segs[i + 1].text : std::string());
        }
        return expert->act(view, task->question());
    });
}

ValidationContext builtinValidationContext() {
    ValidationContext ctx;
    ctx.knownTools = env::ToolRegistry::builtin().names();
    ctx.delegateNames = env::agentSlotNames();
    return ctx;
}

}  // namespace mgrpo::core
