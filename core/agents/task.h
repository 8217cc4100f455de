// What the agent runtime needs from one query of an environment: prompts,
// the action parser, tool execution, and the verifiable checks behind the
// rewards. The built-in deep-research environment implements it (env_task.h);
// tests implement it by hand. Torch-free.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mgrpo::core {

struct ParsedAction {
    enum class Kind { Call, Delegate, Answer, Invalid };
    Kind kind = Kind::Invalid;
    std::string tool;    // Call: tool name
    std::string target;  // Delegate: agent id
    std::string text;    // Call: arguments; Delegate: subtask; Answer: the answer
    std::string error;   // Invalid: why
};

class TaskInstance {
public:
    virtual ~TaskInstance() = default;
    // Prompt text of the main agent (the question) and of a sub-agent (its subtask).
    virtual std::string mainPrompt() const = 0;
    virtual std::string subPrompt(const std::string& instruction) const = 0;
    virtual std::string questionText() const = 0;
    virtual ParsedAction parse(std::string_view action) const = 0;
    // Observation text appended after a tool call (never throws; errors are observations).
    virtual std::string callTool(const std::string& tool, const std::string& args) const = 0;
    // Text appended to the caller's context when a sub-agent returns.
    virtual std::string renderResult(const std::string& answer, bool formatValid) const = 0;
    virtual bool isCorrect(const std::string& answer) const = 0;
    // r_expert in [0, 1]: how well `answer` does the subtask `instruction`
    // (exact in the built-in environment; a judge elsewhere).
    virtual double expertScore(const std::string& instruction, const std::string& answer) const = 0;
};

// The tokens that end one action (the stop tokens of every turn).
struct ProtocolInfo {
    std::vector<std::string> stopWords;
};

}  // namespace mgrpo::core
