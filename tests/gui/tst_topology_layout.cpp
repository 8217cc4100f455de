// Tests for widgets::layout: tool nodes beside or under their agent, snapping,
// and the auto-layout (main on top, children one level down, no two node
// footprints overlapping) on the core templates and a wider tree.
#include "widgets/topology/topology_layout.h"

#include <QtTest>

using namespace mgrpo;
namespace layout = mgrpo::widgets::layout;

namespace {

core::AgentSpec agent(std::string id, core::AgentRole role, std::vector<std::string> tools,
                      std::vector<std::string> delegates) {
    core::AgentSpec a;
    a.id = std::move(id);
    a.role = role;
    a.tools = std::move(tools);
    a.delegates = std::move(delegates);
    return a;
}

core::Topology withLayout(core::Topology t) {
    const auto pos = layout::autoLayout(t);
    for (size_t i = 0; i < pos.size(); ++i) {
        t.agents[i].x = pos[i].x();
        t.agents[i].y = pos[i].y();
    }
    return t;
}

}  // namespace

class TstTopologyLayout : public QObject {
    Q_OBJECT

    static void verifyNoOverlap(const core::Topology& t) {
        for (size_t i = 0; i < t.agents.size(); ++i)
            for (size_t j = i + 1; j < t.agents.size(); ++j)
                QVERIFY2(!layout::agentFootprint(t.agents[i]).intersects(layout::agentFootprint(t.agents[j])),
                         (t.agents[i].id + " overlaps " + t.agents[j].id).c_str());
    }

private slots:
    void toolsSitUnderLeavesAndBesideDelegators() {
        const core::Topology paper = core::paperTopology();
        const auto& main = paper.agents[0];      // delegates: tools in a column on the left
        const auto& searcher = paper.agents[1];  // leaf: tools in a row below
        const QPointF calc = layout::toolCentre(main, 0);
        QVERIFY(calc.x() < main.x - layout::kAgentSize.width() / 2);
        QCOMPARE(calc.y(), main.y);
        const QPointF search = layout::toolCentre(searcher, 0), open = layout::toolCentre(searcher, 1);
        QVERIFY(search.y() > searcher.y + layout::kAgentSize.height() / 2);
        QCOMPARE(search.y(), open.y());
        QCOMPARE(open.x() - search.x(), layout::kToolSize.width() + layout::kToolGap);
        QCOMPARE((search.x() + open.x()) / 2, searcher.x);  // centred under the agent
        // The core's template positions already leave room for every node.
        verifyNoOverlap(paper);
        verifyNoOverlap(core::twoSpecialistTopology());
    }

    void snapsToTheGrid() {
        QCOMPARE(layout::snapToGrid({29, -31}), QPointF(20, -40));
        QCOMPARE(layout::snapToGrid({30.1, 9.9}), QPointF(40, 0));
    }

    void autoLayoutIsATopDownTree() {
        core::Topology t;
        t.agents = {agent("main", core::AgentRole::Main, {"calc"}, {"a", "b", "c"}),
                    agent("a", core::AgentRole::Sub, {"search", "open", "calc"}, {"d"}),
                    agent("b", core::AgentRole::Sub, {"search", "open", "calc"}, {}),
                    agent("c", core::AgentRole::Sub, {"calc"}, {}),
                    agent("d", core::AgentRole::Sub, {"search", "open"}, {}),
                    agent("lonely", core::AgentRole::Sub, {"search"}, {})};
        const core::Topology laid = withLayout(t);
        const auto y = [&](int i) { return laid.agents[i].y; };
        QCOMPARE(y(0), 0.0);
        QCOMPARE(y(1), layout::kLevelGap);
        QCOMPARE(y(2), y(1));
        QCOMPARE(y(3), y(1));
        QCOMPARE(y(4), 2 * layout::kLevelGap);
        QVERIFY(y(5) > y(4));  // nobody delegates to it: a row of its own under the tree
        QVERIFY(laid.agents[1].x < laid.agents[2].x && laid.agents[2].x < laid.agents[3].x);  // delegation order
        QCOMPARE(laid.agents[4].x, laid.agents[1].x);  // an only child sits under its parent
        verifyNoOverlap(laid);
        for (const auto& tmpl : {core::paperTopology(), core::singleAgentTopology(), core::twoSpecialistTopology()})
            verifyNoOverlap(withLayout(tmpl));
        // Cycles and dangling names do not hang or crash it.
        t.agents[4].delegates = {"a", "ghost"};
        verifyNoOverlap(withLayout(t));
    }
};

QTEST_MAIN(TstTopologyLayout)
#include "tst_topology_layout.moc"
