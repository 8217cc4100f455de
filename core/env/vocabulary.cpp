#include "core/env/vocabulary.h"

#include "core/env/protocol.h"
#include "core/env/schema.h"
#include "core/env/words.h"

#include <unordered_set>

namespace mgrpo::core::env {

std::vector<std::string> vocabulary() { return vocabulary(ToolRegistry::builtin()); }

std::vector<std::string> vocabulary(const ToolRegistry& tools) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    auto add = [&](const std::string& w) {
        if (seen.insert(w).second) out.push_back(w);
    };
    auto addAll = [&](const std::vector<std::string>& words) {
        for (const auto& w : words) add(w);
    };

    addAll(protocolTokens());
    addAll(agentSlotNames());
    for (const auto& tool : tools.tools()) {
        add(tool->name());
        addAll(tool->words());
    }
    // Questions ("what is X of Y ?", "is A greater than B ?"), subtasks ("find X of Y",
    // "calc A op B"), page sentences ("Y X Z ."), protocol observations.
    addAll({"what", "is", "of", "than", "greater", "less", "?", "find", "calc", ".", "yes", "no", std::string(kNoResult)});
    addAll(splitWords(kInvalidActionObservation));
    addAll(splitWords(kBadArguments));
    add(std::string(kTypeRelation));
    for (int t = 0; t < kEntityTypeCount; ++t) add(typeWord(static_cast<EntityType>(t)));
    for (const auto& r : relations()) add(r.word);
    addAll(digitWords());
    add(std::string(kNegativeWord));
    addAll(namePieces());
    return out;
}

}  // namespace mgrpo::core::env
