#include "core/agents/runtime.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace mgrpo::core {

std::vector<PolicyAction> ScriptedPolicy::act(const std::vector<PolicyRequest>& requests, uint64_t) {
    std::vector<PolicyAction> out;
    out.reserve(requests.size());
    for (const auto& r : requests) {
        PolicyAction a;
        a.text = m_script(r);
        a.tokens = m_tokenizer->encode(a.text);
        out.push_back(std::move(a));
    }
    return out;
}

AgentRuntime::AgentRuntime(Topology topology, std::map<std::string, std::shared_ptr<AgentPolicy>> policies)
    : m_topology(std::move(topology)), m_policies(std::move(policies)) {
    for (const auto& a : m_topology.agents)
        if (!m_policies.count(a.id) || !m_policies.at(a.id))
            throw std::invalid_argument("agent runtime: no policy for agent '" + a.id + "'");
}

namespace {

// Where one running invocation lives.
struct Slot {
    int rollout;
    int invocation;
};

Segment textSegment(SegmentKind kind, const std::string& text, const Tokenizer& tokenizer) {
    Segment s;
    s.kind = kind;
    s.text = text;
    s.tokens = tokenizer.encode(text);
    return s;
}

// Cuts a segment to `room` tokens (its text re-decoded to match). The runtime
// never lets an invocation outgrow its agent's context: a model could not have
// read the tokens past it, and training on them would index past its positions.
bool clipSegment(Segment& segment, int room, const Tokenizer& tokenizer) {
    const auto keep = static_cast<size_t>(std::max(0, room));
    if (segment.tokens.size() <= keep) return false;
    segment.tokens.resize(keep);
    if (segment.logProbs.size() > keep) segment.logProbs.resize(keep);
    segment.text = tokenizer.decode(segment.tokens);
    return true;
}

// Tokens an invocation may still add before it fills its agent's context.
int roomLeft(const Invocation& invocation, const AgentSpec& spec) {
    return spec.model.contextLength - static_cast<int>(invocation.length());
}

uint64_t mixSeed(uint64_t seed, uint64_t a, uint64_t b) {
    // splitmix64 over the combined value: distinct, well-spread seeds per (round, agent).
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (a * 1315423911ULL + b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace

std::vector<Rollout> AgentRuntime::run(const std::vector<const TaskInstance*>& tasks, int samples, uint64_t seed,
                                       const RewardWeights& weights) {
    m_stats = {};
    const auto& mainSpec = m_topology.mainAgent();
    std::vector<Rollout> rollouts;
    std::vector<Slot> ready;
    for (size_t q = 0; q < tasks.size(); ++q)
        for (int k = 0; k < samples; ++k) {
            Rollout r;
            r.query = static_cast<int>(q);
            r.sample = k;
            Invocation main;
            main.agentId = mainSpec.id;
            main.task = tasks[q]->questionText();
            main.segments.push_back(
                textSegment(SegmentKind::Prompt, tasks[q]->mainPrompt(), m_policies.at(mainSpec.id)->tokenizer()));
            main.segments.front().tokens.insert(main.segments.front().tokens.begin(), special::kBos);
            r.invocations.push_back(std::move(main));
            ready.push_back({static_cast<int>(rollouts.size()), 0});
            rollouts.push_back(std::move(r));
        }
    auto taskOf = [&](const Slot& s) { return tasks[static_cast<size_t>(rollouts[static_cast<size_t>(s.rollout)].query)]; };
    auto inv = [&](const Slot& s) -> Invocation& {
        return rollouts[static_cast<size_t>(s.rollout)].invocations[static_cast<size_t>(s.invocation)];
    };

    std::vector<Slot> next;
    // Ends an invocation; a sub-agent's answer goes back to its caller as a result.
    std::function<void(const Slot&, const std::string&)> fail;
    auto finish = [&](const Slot& s) {
        auto& me = inv(s);
        me.finished = true;
        if (me.parent < 0) return;
        const Slot parent{s.rollout, me.parent};
        auto& p = inv(parent);
        const auto& policy = *m_policies.at(p.agentId);
        const auto* spec = m_topology.find(p.agentId);
        auto result = textSegment(SegmentKind::Result, taskOf(s)->renderResult(me.answer, me.formatValid),
                                  policy.tokenizer());
        clipSegment(result, roomLeft(p, *spec), policy.tokenizer());
        p.segments.push_back(std::move(result));
        if (p.turns >= spec->maxTurns) fail(parent, "turn limit of " + std::to_string(spec->maxTurns) + " reached");
        else next.push_back(parent);
    };
    fail = [&](const Slot& s, const std::string& why) {
        auto& me = inv(s);
        me.formatValid = false;
        me.formatError = why;
        finish(s);
    };

    while (!ready.empty()) {
        m_stats.rounds++;
        next.clear();
        // Group by agent, keeping rollout order inside each group (deterministic).
        std::map<std::string, std::vector<Slot>> groups;
        for (const auto& s : ready) groups[inv(s).agentId].push_back(s);
        int agentIndex = 0;
        for (auto& [agentId, slots] : groups) {
            const auto* spec = m_topology.find(agentId);
            auto& policy = *m_policies.at(agentId);
            std::vector<PolicyRequest> requests;
            std::vector<Slot> acting;
            for (const auto& s : slots) {
                // The next action needs room for at least one token.
                if (roomLeft(inv(s), *spec) <= 1) {
                    fail(s, "context of " + std::to_string(spec->model.contextLength) + " tokens is full");
                    continue;
                }
                requests.push_back({&inv(s), taskOf(s), inv(s).tokens(), spec->maxTokensPerTurn,
                                    spec->model.contextLength});
                acting.push_back(s);
            }
            if (requests.empty()) continue;
            m_stats.policyCalls[agentId]++;
            auto actions = policy.act(requests, mixSeed(seed, static_cast<uint64_t>(m_stats.rounds),
                                                        static_cast<uint64_t>(agentIndex++)));
            if (actions.size() != acting.size())
                throw std::logic_error("policy of agent '" + agentId + "' returned the wrong number of actions");
            for (size_t i = 0; i < acting.size(); ++i) {
                const Slot s = acting[i];
                auto& action = actions[i];
                m_stats.actionsTaken[agentId]++;
                Segment seg;
                seg.kind = SegmentKind::Action;
                seg.text = action.text;
                seg.tokens = std::move(action.tokens);
                seg.logProbs = std::move(action.logProbs);
                // Scripted policies do not count tokens; sampled ones never exceed either limit.
                const int limit = std::min(spec->maxTokensPerTurn, roomLeft(inv(s), *spec));
                const bool clipped = clipSegment(seg, limit, policy.tokenizer());
                inv(s).segments.push_back(std::move(seg));
                inv(s).turns++;
                if (clipped) {
                    fail(s, "action longer than the " + std::to_string(limit) + " tokens left for it");
                    continue;
                }
                const auto parsed = taskOf(s)->parse(action.text);
                switch (parsed.kind) {
                    case ParsedAction::Kind::Invalid:
                        fail(s, "malformed action: " + parsed.error);
                        break;
                    case ParsedAction::Kind::Answer:
                        inv(s).answer = parsed.text;
                        finish(s);
                        break;
                    case ParsedAction::Kind::Call: {
                        if (std::find(spec->tools.begin(), spec->tools.end(), parsed.tool) == spec->tools.end()) {
                            fail(s, "tool '" + parsed.tool + "' is not available to agent '" + agentId + "'");
                            break;
                        }
                        auto observation = textSegment(SegmentKind::Observation,
                                                       taskOf(s)->callTool(parsed.tool, parsed.text), policy.tokenizer());
                        clipSegment(observation, roomLeft(inv(s), *spec), policy.tokenizer());
                        inv(s).segments.push_back(std::move(observation));
                        if (inv(s).turns >= spec->maxTurns)
                            fail(s, "turn limit of " + std::to_string(spec->maxTurns) + " reached");
                        else next.push_back(s);
                        break;
                    }
                    case ParsedAction::Kind::Delegate: {
                        if (std::find(spec->delegates.begin(), spec->delegates.end(), parsed.target) ==
                            spec->delegates.end()) {
                            fail(s, "agent '" + agentId + "' may not delegate to '" + parsed.target + "'");
                            break;
                        }
                        auto& rollout = rollouts[static_cast<size_t>(s.rollout)];
                        Invocation child;
                        child.id = static_cast<int>(rollout.invocations.size());
                        child.parent = s.invocation;
                        child.agentId = parsed.target;
                        child.task = parsed.text;
                        child.segments.push_back(textSegment(SegmentKind::Prompt, taskOf(s)->subPrompt(parsed.text),
                                                             m_policies.at(parsed.target)->tokenizer()));
                        child.segments.front().tokens.insert(child.segments.front().tokens.begin(), special::kBos);
                        inv(s).children.push_back(child.id);
                        next.push_back({s.rollout, child.id});
                        rollout.invocations.push_back(std::move(child));
                        break;
                    }
                }
            }
        }
        ready = next;
    }
    for (auto& r : rollouts) assignRewards(r, *tasks[static_cast<size_t>(r.query)], weights);
    return rollouts;
}

void assignRewards(Rollout& rollout, const TaskInstance& task, const RewardWeights& weights) {
    auto& main = rollout.invocations.front();
    rollout.correct = main.formatValid && task.isCorrect(main.answer);
    rollout.rewardMain = mainReward(main.formatValid, rollout.correct, weights);
    main.reward = rollout.rewardMain;
    for (auto& inv : rollout.invocations) {
        if (inv.parent < 0) continue;
        inv.expertScore = inv.formatValid ? task.expertScore(inv.task, inv.answer) : 0.0;
        inv.reward = subReward(inv.formatValid, rollout.correct, inv.expertScore, weights);
    }
}

}  // namespace mgrpo::core
