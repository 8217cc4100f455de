// GoogleTest entry point for the core tests: uses every core, like the apps do.
#include "core/system/system_info.h"

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    mgrpo::core::configureThreads();
    return RUN_ALL_TESTS();
}
