// Torch-free facts about the LibTorch runtime, safe to include from Qt code:
// version string, devices LibTorch can use, and the intra-op thread setup.
#pragma once

#include <string>
#include <vector>

namespace mgrpo::core {

struct DeviceInfo {
    std::string id;           // "cpu", "cuda:0", ...: what configs and --device take
    std::string description;  // human text, e.g. "CPU (2 threads)"
};

// LibTorch's version, e.g. "1.13.1".
std::string libtorchVersion();

// The program's own version (from CMake's project()).
std::string workbenchVersion();

// Every device LibTorch can run on here: always "cpu", then "cuda:N" for each GPU.
std::vector<DeviceInfo> availableDevices();

// Sets LibTorch's intra-op thread count (it defaults to 1 in Debian's build),
// and OpenBLAS's own thread pool to the same count where OpenBLAS is loaded.
// requested <= 0 means $MGRPO_THREADS if set, else one thread per hardware core. Returns the count in effect.
int configureThreads(int requested = 0);

// Throws std::invalid_argument naming the problem if `device` is not a valid
// device string ("cpu", "cuda", "cuda:N") or names a device that is not present.
void checkDevice(const std::string& device);

}  // namespace mgrpo::core
