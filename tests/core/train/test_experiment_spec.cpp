// The experiment file's warm_start.expert: the teachers' mistake rates, defaults
// for what is left out, round trip through toJson, and named errors.
#include "core/train/experiment_spec.h"
#include "core/util/json_fields.h"

#include <gtest/gtest.h>

using namespace mgrpo::core;

namespace {

ExperimentSpec parse(const nlohmann::json& warmStart) {
    return experimentSpecFromJson({{"topology", "paper"}, {"warm_start", warmStart}});
}

std::string errorOf(const nlohmann::json& warmStart) {
    try {
        parse(warmStart);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ExperimentSpec, WarmStartTeachersDefaultToTheWarmStartDefaults) {
    const auto spec = parse({{"demonstrations", 10}});
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.wrongHop, 0.1);
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.skipVerification, 0.1);
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.prematureAnswer, 0.05);
    EXPECT_EQ(spec.warmStart.expert, WarmStartOptions{}.expert);
}

TEST(ExperimentSpec, WarmStartTeachersTakePartialRatesAndRoundTrip) {
    const auto spec = parse({{"demonstrations", 10}, {"expert", {{"wrong_hop", 0.0}, {"premature_answer", 0.5}}}});
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.wrongHop, 0.0);
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.skipVerification, 0.1);  // left out: the default
    EXPECT_DOUBLE_EQ(spec.warmStart.expert.prematureAnswer, 0.5);
    const auto again = experimentSpecFromJson(toJson(spec));
    EXPECT_EQ(again.warmStart, spec.warmStart);
}

TEST(ExperimentSpec, WarmStartTeachersNameTheBadField) {
    EXPECT_NE(errorOf({{"expert", 3}}).find("experiment.warm_start.expert: expected an object"), std::string::npos)
        << errorOf({{"expert", 3}});
    const auto e = errorOf({{"expert", {{"skip_verification", 2.0}}}});
    EXPECT_NE(e.find("experiment.warm_start.expert.skip_verification"), std::string::npos) << e;
}

TEST(ExperimentSpec, WarmStartReadingStepsDefaultToNoneRoundTripAndAreRanged) {
    EXPECT_EQ(parse({{"demonstrations", 10}}).warmStart.readingSteps, 0);
    const auto spec = parse({{"demonstrations", 10}, {"reading_steps", 2500}});
    EXPECT_EQ(spec.warmStart.readingSteps, 2500);
    EXPECT_EQ(experimentSpecFromJson(toJson(spec)).warmStart.readingSteps, 2500);
    const auto e = errorOf({{"reading_steps", -1}});
    EXPECT_NE(e.find("experiment.warm_start.reading_steps"), std::string::npos) << e;
    // Pages per reading step: the warm start's default unless given.
    EXPECT_EQ(spec.warmStart.readingBatch, 32);
    const auto small = parse({{"demonstrations", 10}, {"reading_batch", 16}});
    EXPECT_EQ(experimentSpecFromJson(toJson(small)).warmStart.readingBatch, 16);
    const auto zero = errorOf({{"reading_batch", 0}});
    EXPECT_NE(zero.find("experiment.warm_start.reading_batch"), std::string::npos) << zero;
}
