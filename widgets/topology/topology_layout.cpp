// Layout rules of the designer: tool nodes hang under leaf agents or sit left
// of delegating agents; auto-layout is a tidy top-down tree whose subtrees are
// as wide as their widest row of nodes.
#include "widgets/topology/topology_layout.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace mgrpo::widgets::layout {

namespace {

constexpr double kSiblingGap = 40;  // horizontal space between neighbouring subtrees
constexpr double kSideGap = 44;     // agent edge to a left column of tools

bool toolsBelow(const core::AgentSpec& agent) { return agent.delegates.empty(); }

double toolRowWidth(int n) { return n <= 0 ? 0 : n * kToolSize.width() + (n - 1) * kToolGap; }

// Width an agent needs on its row, tool nodes included (kept symmetric).
double nodeWidth(const core::AgentSpec& agent) {
    const int n = static_cast<int>(agent.tools.size());
    if (n == 0) return kAgentSize.width();
    if (toolsBelow(agent)) return std::max(kAgentSize.width(), toolRowWidth(n));
    return kAgentSize.width() + 2 * (kSideGap + kToolSize.width());
}

}  // namespace

QPointF toolCentre(const core::AgentSpec& agent, int i) {
    const int n = static_cast<int>(agent.tools.size());
    if (toolsBelow(agent)) {
        const double left = agent.x - toolRowWidth(n) / 2 + kToolSize.width() / 2;
        return {left + i * (kToolSize.width() + kToolGap), agent.y + kAgentSize.height() / 2 + 24 + kToolSize.height() / 2};
    }
    const double step = kToolSize.height() + kToolGap;
    return {agent.x - kAgentSize.width() / 2 - kSideGap - kToolSize.width() / 2, agent.y - (n - 1) * step / 2 + i * step};
}

QRectF agentFootprint(const core::AgentSpec& agent) {
    QRectF r(agent.x - kAgentSize.width() / 2, agent.y - kAgentSize.height() / 2, kAgentSize.width(),
             kAgentSize.height());
    for (int i = 0; i < static_cast<int>(agent.tools.size()); ++i) {
        const QPointF c = toolCentre(agent, i);
        r = r.united(QRectF(c.x() - kToolSize.width() / 2, c.y() - kToolSize.height() / 2, kToolSize.width(),
                            kToolSize.height()));
    }
    return r;
}

QPointF snapToGrid(QPointF p) {
    return {std::round(p.x() / kGrid) * kGrid, std::round(p.y() / kGrid) * kGrid};
}

std::vector<QPointF> autoLayout(const core::Topology& t) {
    const int n = static_cast<int>(t.agents.size());
    std::vector<QPointF> out(n);
    if (n == 0) return out;
    std::map<std::string, int> indexOf;
    for (int i = n - 1; i >= 0; --i) indexOf[t.agents[i].id] = i;  // first agent wins on duplicate ids

    // The tree: each agent is the child of the first agent (in depth-first
    // order from the roots) that delegates to it.
    std::vector<std::vector<int>> children(n);
    std::vector<bool> placed(n, false);
    std::vector<int> roots;
    for (int i = 0; i < n; ++i)
        if (t.agents[i].role == core::AgentRole::Main) roots.push_back(i);
    if (roots.empty()) {
        std::set<std::string> called;
        for (const auto& a : t.agents) called.insert(a.delegates.begin(), a.delegates.end());
        for (int i = 0; i < n; ++i)
            if (!called.count(t.agents[i].id)) roots.push_back(i);
        if (roots.empty()) roots.push_back(0);
    }
    std::function<void(int)> claim = [&](int i) {
        for (const auto& d : t.agents[i].delegates) {
            const auto it = indexOf.find(d);
            if (it == indexOf.end() || placed[it->second]) continue;
            placed[it->second] = true;
            children[i].push_back(it->second);
            claim(it->second);
        }
    };
    for (int r : roots) placed[r] = true;
    for (int r : roots) claim(r);
    std::vector<int> orphans;
    for (int i = 0; i < n; ++i)
        if (!placed[i]) orphans.push_back(i);

    std::vector<double> width(n, 0);
    std::function<double(int)> measure = [&](int i) {
        double kids = 0;
        for (size_t k = 0; k < children[i].size(); ++k) kids += measure(children[i][k]) + (k ? kSiblingGap : 0);
        return width[i] = std::max(nodeWidth(t.agents[i]), kids);
    };
    int depthMax = 0;
    std::function<void(int, double, int)> place = [&](int i, double left, int depth) {
        depthMax = std::max(depthMax, depth);
        out[i] = snapToGrid({left + width[i] / 2, depth * kLevelGap});
        double kids = 0;
        for (size_t k = 0; k < children[i].size(); ++k) kids += width[children[i][k]] + (k ? kSiblingGap : 0);
        double x = left + (width[i] - kids) / 2;
        for (int c : children[i]) {
            place(c, x, depth + 1);
            x += width[c] + kSiblingGap;
        }
    };
    // Roots side by side, centred on x = 0.
    double total = 0;
    for (size_t k = 0; k < roots.size(); ++k) total += measure(roots[k]) + (k ? kSiblingGap : 0);
    double x = -total / 2;
    for (int r : roots) {
        place(r, x, 0);
        x += width[r] + kSiblingGap;
    }
    // Agents nobody reaches: one row under the tree.
    double orphanTotal = 0;
    for (size_t k = 0; k < orphans.size(); ++k) orphanTotal += measure(orphans[k]) + (k ? kSiblingGap : 0);
    x = -orphanTotal / 2;
    for (int o : orphans) {
        out[o] = snapToGrid({x + width[o] / 2, (depthMax + 1) * kLevelGap});
        x += width[o] + kSiblingGap;
    }
    return out;
}

}  // namespace mgrpo::widgets::layout
