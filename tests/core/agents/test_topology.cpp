// Topology: JSON round trip, templates valid, and each broken case reported
// against the agent and field it concerns.
#include "core/agents/topology.h"
#include "core/util/json_fields.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace mgrpo::core;

namespace {

const ValidationContext kContext{{"search", "open", "calc"}, {"searcher", "analyst", "agent1"}, 64};

// True if some problem concerns `agent` and `field` and its message contains `text`.
bool hasProblem(const std::vector<TopologyProblem>& problems, const std::string& agent, const std::string& field,
                const std::string& text) {
    for (const auto& p : problems)
        if (p.agentId == agent && p.field == field && p.message.find(text) != std::string::npos) return true;
    return false;
}

std::string dump(const std::vector<TopologyProblem>& problems) {
    std::string s;
    for (const auto& p : problems) s += describe(p) + "\n";
    return s;
}

}  // namespace

TEST(Topology, TemplatesAreValidAndRoundTrip) {
    for (const auto& t : {paperTopology(), singleAgentTopology(), twoSpecialistTopology()}) {
        EXPECT_TRUE(validateTopology(t, kContext).empty()) << t.name << "\n" << dump(validateTopology(t, kContext));
        EXPECT_EQ(topologyFromJson(toJson(t)), t) << t.name;
    }
}

TEST(Topology, FileRoundTripAndBrokenFiles) {
    mgrpo::test::TempDir tmp;
    const auto path = (tmp.path() / "t.json").string();
    auto t = twoSpecialistTopology();
    t.agents[1].trained = false;
    t.agents[2].sampling.temperature = 0.5;
    t.agents[2].learningRateScale = 0.1;
    saveTopologyFile(t, path);
    EXPECT_EQ(loadTopologyFile(path), t);
    std::ofstream(path) << "{\"agents\": [ {\"id\": \"main\", ";
    EXPECT_THROW(loadTopologyFile(path), ConfigError);
    std::ofstream(path) << R"({"agents": [{"id": "main", "role": "boss"}]})";
    try {
        loadTopologyFile(path);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("agent 'main'.role = 'boss'"), std::string::npos) << e.what();
    }
    std::ofstream(path) << R"({"agents": [{"id": "main", "role": "main", "model": {"n_layers": -1}}]})";
    try {
        loadTopologyFile(path);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("agent 'main'.model.n_layers"), std::string::npos) << e.what();
    }
}

TEST(Topology, EachBrokenCaseIsNamed) {
    {
        auto t = paperTopology();
        t.agents[1].role = AgentRole::Main;
        const auto p = validateTopology(t, kContext);
        EXPECT_TRUE(hasProblem(p, "main", "role", "main agents")) << dump(p);
        EXPECT_TRUE(hasProblem(p, "searcher", "role", "main agents")) << dump(p);
    }
    {
        auto t = paperTopology();
        t.agents[0].role = AgentRole::Sub;
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "", "", "no main agent"));
    }
    {
        auto t = twoSpecialistTopology();  // searcher -> analyst -> searcher
        t.agents[1].delegates = {"analyst"};
        t.agents[2].delegates = {"searcher"};
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "analyst", "delegates", "cycle"))
            << dump(validateTopology(t, kContext));
    }
    {
        auto t = paperTopology();
        t.agents[1].tools.push_back("teleport");
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "searcher", "tools", "unknown tool 'teleport'"));
    }
    {
        auto t = paperTopology();
        t.agents[0].delegates.push_back("ghost");
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "main", "delegates", "unknown agent 'ghost'"));
    }
    {
        auto t = paperTopology();
        t.agents[0].maxTurns = 0;
        t.agents[1].maxTokensPerTurn = 5000;
        const auto p = validateTopology(t, kContext);
        EXPECT_TRUE(hasProblem(p, "main", "max_turns", "[1, 64]"));
        EXPECT_TRUE(hasProblem(p, "searcher", "max_tokens_per_turn", "[2, 1024]"));
    }
    {
        auto t = paperTopology();
        t.agents[0].learningRateScale = 0;
        t.agents[1].learningRateScale = 1000;
        const auto p = validateTopology(t, kContext);
        EXPECT_TRUE(hasProblem(p, "main", "learning_rate_scale", "(0, 100]")) << dump(p);
        EXPECT_TRUE(hasProblem(p, "searcher", "learning_rate_scale", "(0, 100]")) << dump(p);
    }
    {
        auto t = paperTopology();
        t.agents[1].model.contextLength = 32;
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "searcher", "model.context_length", "below the minimum"));
    }
    {
        auto t = paperTopology();
        t.agents[0].delegates.clear();
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "searcher", "", "never runs"));
    }
    {
        auto t = paperTopology();
        t.agents[1].id = "zebra";
        t.agents[0].delegates = {"zebra"};
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "zebra", "id", "delegation name"));
    }
    {
        auto t = twoSpecialistTopology();
        t.agents[2].id = "searcher";
        EXPECT_TRUE(hasProblem(validateTopology(t, kContext), "searcher", "id", "more than once"));
    }
}
