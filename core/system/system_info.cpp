// LibTorch runtime queries behind the torch-free system_info.h.
#include "core/system/system_info.h"

#include "core/system/device.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace mgrpo::core {

namespace {

// OpenBLAS (libopenblas0-pthread, where LibTorch's CPU matrix products land)
// keeps its own pool of one thread per core, which torch::set_num_threads does
// not bound; two one-thread runs side by side then each used ~150% CPU, half of
// it spinning in the kernel, and an RL update took 12-16 s instead of 5 s.
// Looked up at run time: other BLAS builds have no such call and need none.
void limitBlasThreads(int n) {
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(n);
}

}  // namespace

std::string libtorchVersion() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

std::string workbenchVersion() { return MGRPO_VERSION; }

std::vector<DeviceInfo> availableDevices() {
    std::vector<DeviceInfo> devices;
    devices.push_back({"cpu", "CPU (" + std::to_string(torch::get_num_threads()) + " threads)"});
    if (torch::cuda::is_available()) {
        const auto n = torch::cuda::device_count();
        for (size_t i = 0; i < n; ++i)
            devices.push_back({"cuda:" + std::to_string(i), "CUDA GPU " + std::to_string(i)});
    }
    return devices;
}

int configureThreads(int requested) {
    if (requested <= 0)
        if (const char* env = std::getenv("MGRPO_THREADS"); env && std::atoi(env) > 0) requested = std::atoi(env);
    int n = requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(n);
    limitBlasThreads(n);
    return torch::get_num_threads();
}

void checkDevice(const std::string& device) { (void)parseDevice(device); }

}  // namespace mgrpo::core
