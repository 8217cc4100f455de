// Device strings: valid forms, and clear refusals for bad or absent devices.
#include "core/system/device.h"
#include "core/system/system_info.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

using namespace mgrpo::core;

TEST(Device, CpuIsAlwaysListedAndParsed) {
    const auto devices = availableDevices();
    ASSERT_FALSE(devices.empty());
    EXPECT_EQ(devices.front().id, "cpu");
    EXPECT_EQ(parseDevice("cpu"), torch::Device(torch::kCPU));
    for (const auto& d : devices) EXPECT_NO_THROW(checkDevice(d.id)) << d.id;
}

TEST(Device, MalformedStringsAreRejectedWithTheirText) {
    for (const std::string bad : {"gpu", "cuda:", "cuda:x", "cuda0", "CPU"}) {
        try {
            parseDevice(bad);
            FAIL() << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("'" + bad + "'"), std::string::npos) << e.what();
        }
    }
}

TEST(Device, AbsentCudaDeviceIsRefused) {
    const auto count = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    EXPECT_THROW(parseDevice("cuda:" + std::to_string(count)), std::invalid_argument);
}

TEST(SystemInfo, ThreadsAndVersion) {
    EXPECT_EQ(configureThreads(1), 1);
    // OpenBLAS's own pool follows (where this build's BLAS is OpenBLAS, as in CI).
    using GetThreads = int (*)();
    if (auto* get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"))) {
        EXPECT_EQ(get(), 1);
        configureThreads(2);
        EXPECT_EQ(get(), 2);
    }
    EXPECT_GE(configureThreads(0), 1);
    EXPECT_EQ(libtorchVersion().substr(0, libtorchVersion().find('.')), std::to_string(TORCH_VERSION_MAJOR));
}
