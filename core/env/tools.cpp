#include "core/env/tools.h"

#include "core/env/words.h"

#include <algorithm>
#include <set>

namespace mgrpo::core::env {

std::string SearchTool::describe() const {
    return "search <words>: up to 3 page ids ranked by word overlap, each with its first fact";
}

std::string SearchTool::call(const std::string& args, const World& world) const {
    const auto query = splitWords(args);
    if (query.empty()) return std::string(kBadArguments);
    const std::set<std::string> q(query.begin(), query.end());
    // Appends, not " " + s: GCC 12 flags that form with a false -Wstringop-overflow.
    std::string queryText = " ";
    queryText += joinWords(query);
    queryText += ' ';

    struct Hit {
        int score;
        int entity;
    };
    std::vector<Hit> hits;
    for (size_t i = 0; i < world.entities().size(); ++i) {
        const auto& e = world.entities()[i];
        const auto title = splitWords(e.name);
        const std::set<std::string> titleSet(title.begin(), title.end());
        int inTitle = 0, missing = 0, inBody = 0;
        for (const auto& w : titleSet) (q.contains(w) ? inTitle : missing) += 1;
        std::set<std::string> body;
        for (const auto& sentence : world.page(static_cast<int>(i)))
            for (auto& w : splitWords(sentence))
                if (!titleSet.contains(w)) body.insert(std::move(w));
        for (const auto& w : q) inBody += body.contains(w) ? 1 : 0;
        if (inTitle + inBody == 0) continue;
        // The whole name, in order, beats look-alikes that share or swap its pieces.
        const bool exact = queryText.find(" " + e.name + " ") != std::string::npos;
        hits.push_back({(exact ? 8 : 0) + 3 * inTitle - missing + inBody, static_cast<int>(i)});
    }
    if (hits.empty()) return "no results";
    std::stable_sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        if (a.score != b.score) return a.score > b.score;
        return world.entity(a.entity).name < world.entity(b.entity).name;
    });

    std::string out;
    for (size_t k = 0; k < hits.size() && k < static_cast<size_t>(kSearchHits); ++k) {
        const auto& page = world.page(hits[k].entity);
        // The first fact after the type sentence: informative, but not the whole page.
        const std::string& snippet = page.size() > 1 ? page[1] : page[0];
        if (!out.empty()) out += ' ';
        out += "page " + world.entity(hits[k].entity).name + " : " + snippet;
    }
    return out;
}

std::string OpenTool::describe() const { return "open <page id>: all facts on that page"; }

std::string OpenTool::call(const std::string& args, const World& world) const {
    if (splitWords(args).empty()) return std::string(kBadArguments);
    const int index = world.find(args);
    return index < 0 ? "no such page" : world.pageText(index);
}

const std::vector<std::string>& CalcTool::operators() {
    static const std::vector<std::string> ops = {"plus", "minus", "greater", "less"};
    return ops;
}

std::string CalcTool::describe() const {
    return "calc <a> plus|minus|greater|less <b>: numbers digit by digit; a number or yes/no";
}

std::vector<std::string> CalcTool::words() const {
    std::vector<std::string> w = operators();
    for (const char* extra : {"yes", "no", "error", "bad", "arguments"}) w.emplace_back(extra);
    w.emplace_back(kNegativeWord);
    return w;
}

std::string CalcTool::call(const std::string& args, const World&) const {
    const auto words = splitWords(args);
    const auto& ops = operators();
    const auto opIt = std::find_first_of(words.begin(), words.end(), ops.begin(), ops.end());
    if (opIt == words.end()) return std::string(kBadArguments);
    const auto a = parseNumber({words.begin(), opIt});
    const auto b = parseNumber({opIt + 1, words.end()});
    if (!a || !b) return std::string(kBadArguments);
    const std::string& op = *opIt;
    if (op == "plus") return spellNumber(*a + *b);
    if (op == "minus") return spellNumber(*a - *b);
    if (op == "greater") return *a > *b ? "yes" : "no";
    return *a < *b ? "yes" : "no";
}

const ToolRegistry& ToolRegistry::builtin() {
    static const ToolRegistry registry = [] {
        ToolRegistry r;
        r.add(std::make_shared<SearchTool>());
        r.add(std::make_shared<OpenTool>());
        r.add(std::make_shared<CalcTool>());
        return r;
    }();
    return registry;
}

void ToolRegistry::add(std::shared_ptr<const Tool> tool) {
    for (auto& t : m_tools)
        if (t->name() == tool->name()) {
            t = std::move(tool);
            return;
        }
    m_tools.push_back(std::move(tool));
}

const Tool* ToolRegistry::find(std::string_view name) const {
    for (const auto& t : m_tools)
        if (t->name() == name) return t.get();
    return nullptr;
}

std::vector<std::string> ToolRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& t : m_tools) out.push_back(t->name());
    return out;
}

}  // namespace mgrpo::core::env
