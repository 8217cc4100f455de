// The trajectory tree of one rollout: every agent invocation with its prompt,
// generated actions (tokens, sampling log-probs), tool observations, returned
// results, verdicts and, once the trainer has run, rewards, advantages and
// alignment status. Torch-free and JSON-serialisable for the inspector and DB.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mgrpo::core {

enum class SegmentKind { Prompt, Action, Observation, Result };

struct Segment {
    SegmentKind kind = SegmentKind::Prompt;
    std::string text;
    std::vector<int> tokens;
    std::vector<float> logProbs;  // Action only: sampling log-prob per token (empty for scripted policies)
};

struct Invocation {
    int id = 0;                 // index in Rollout::invocations (0 = the main agent)
    int parent = -1;            // invocation that delegated this one
    std::string agentId;
    std::string task;           // the question (main) or the subtask instruction (sub)
    std::vector<Segment> segments;
    std::vector<int> children;  // delegated invocations, in order
    int turns = 0;              // actions taken
    bool finished = false;
    bool formatValid = true;
    std::string formatError;    // why the format is invalid
    std::string answer;         // final answer (main) or the result it returned (sub)
    // Filled after the rollout: rewards (MGRPO.md section 2), advantage, alignment.
    double reward = 0.0;
    double expertScore = 0.0;
    double advantage = 0.0;
    std::string alignment = "original";  // original | duplicate:<id> | dropped | masked

    // Concatenated tokens, loss mask (1 on generated tokens) and sampling log-probs (0 elsewhere).
    std::vector<int> tokens() const;
    std::vector<uint8_t> lossMask() const;
    std::vector<float> oldLogProbs() const;
    size_t length() const;
};

struct Rollout {
    int query = 0;   // index of the query in its batch
    int sample = 0;  // k in 0..K-1
    std::vector<Invocation> invocations;
    bool correct = false;
    double rewardMain = 0.0;

    const Invocation& main() const { return invocations.front(); }
    // d_k: how many invocations of `agentId` this rollout made.
    int invocationCount(const std::string& agentId) const;
};

std::string toString(SegmentKind kind);
nlohmann::json toJson(const Invocation& invocation);
nlohmann::json toJson(const Rollout& rollout);
Rollout rolloutFromJson(const nlohmann::json& json);

}  // namespace mgrpo::core
