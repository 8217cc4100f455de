// ModelConfig: JSON round trip, field-named validation, parameter count.
#include "core/model/model_config.h"
#include "core/model/transformer.h"
#include "core/util/json_fields.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;

TEST(ModelConfig, JsonRoundTrip) {
    ModelConfig c;
    c.vocabSize = 777;
    c.dModel = 96;
    c.nHeads = 3;
    c.nLayers = 5;
    c.dMlp = 100;
    c.dropout = 0.25;
    c.tieEmbeddings = false;
    c.keySmear = true;
    EXPECT_EQ(modelConfigFromJson(toJson(c)), c);
}

TEST(ModelConfig, MissingFieldsTakeDefaults) { EXPECT_EQ(modelConfigFromJson(nlohmann::json::object()), ModelConfig{}); }

TEST(ModelConfig, ErrorsNameTheField) {
    try {
        modelConfigFromJson({{"n_layers", 0}}, "agents.planner.model");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("agents.planner.model.n_layers"), std::string::npos) << e.what();
    }
    EXPECT_THROW(modelConfigFromJson({{"d_model", "wide"}}), ConfigError);
    try {
        modelConfigFromJson({{"d_model", 100}, {"n_heads", 3}});
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("n_heads"), std::string::npos) << e.what();
    }
}

TEST(ModelConfig, ParameterCountMatchesTheBuiltModel) {
    for (bool tied : {true, false})
      for (bool smear : {false, true}) {
        ModelConfig c;
        c.keySmear = smear;
        c.vocabSize = 50;
        c.dModel = 24;
        c.nHeads = 2;
        c.nLayers = 3;
        c.contextLength = 40;
        c.tieEmbeddings = tied;
        auto model = makeTransformer(c, 1);
        long long counted = 0;
        for (const auto& p : model->parameters()) counted += p.numel();
        EXPECT_EQ(c.parameterCount(), counted) << "tied=" << tied << " smear=" << smear;
      }
}

TEST(ModelConfig, DescribeMismatchNamesTheField) {
    ModelConfig a, b;
    EXPECT_EQ(describeMismatch(a, b), "");
    b.nLayers = 7;
    EXPECT_NE(describeMismatch(a, b).find("'n_layers' is 7"), std::string::npos) << describeMismatch(a, b);
}
