// Tools agents call on a world: the abstract Tool, the built-in search/open/calc,
// and a name -> tool registry. A tool turns argument words into observation words
// and never throws (bad arguments give "error bad arguments"). Adding a tool: one
// Tool subclass plus one line in ToolRegistry::builtin(). Parsing actions: protocol.h.
#pragma once

#include "core/env/world.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mgrpo::core::env {

inline constexpr std::string_view kBadArguments = "error bad arguments";
inline constexpr int kSearchHits = 3;

class Tool {
public:
    virtual ~Tool() = default;
    // One word; the first word inside <call> ... </call>.
    virtual std::string name() const = 0;
    // A line for people (topology editor, docs); never shown to policies.
    virtual std::string describe() const = 0;
    // Observation words for `args` (the words after the tool name).
    virtual std::string call(const std::string& args, const World& world) const = 0;
    // Words its observations may contain besides world words (names, relations,
    // types, digits); vocabulary() collects them.
    virtual std::vector<std::string> words() const = 0;
};

// `search w1 w2 ...`: up to kSearchHits pages ranked by word overlap, each as
// "page <id> : <first fact> ." or "no results".
class SearchTool final : public Tool {
public:
    std::string name() const override { return "search"; }
    std::string describe() const override;
    std::string call(const std::string& args, const World& world) const override;
    std::vector<std::string> words() const override { return {"page", ":", "no", "results", "error", "bad", "arguments"}; }
};

// `open <page id>`: every sentence of that page, or "no such page".
class OpenTool final : public Tool {
public:
    std::string name() const override { return "open"; }
    std::string describe() const override;
    std::string call(const std::string& args, const World& world) const override;
    std::vector<std::string> words() const override { return {"no", "such", "page", "error", "bad", "arguments"}; }
};

// `calc <a> <op> <b>` with digit-by-digit numbers and op plus | minus | greater | less:
// a spelled number, or yes / no for comparisons.
class CalcTool final : public Tool {
public:
    std::string name() const override { return "calc"; }
    std::string describe() const override;
    std::string call(const std::string& args, const World& world) const override;
    std::vector<std::string> words() const override;
    static const std::vector<std::string>& operators();
};

class ToolRegistry {
public:
    // search, open, calc.
    static const ToolRegistry& builtin();

    // Adds a tool or replaces the one with the same name.
    void add(std::shared_ptr<const Tool> tool);
    const Tool* find(std::string_view name) const;
    std::vector<std::string> names() const;  // in registration order
    const std::vector<std::shared_ptr<const Tool>>& tools() const { return m_tools; }

private:
    std::vector<std::shared_ptr<const Tool>> m_tools;
};

}  // namespace mgrpo::core::env
