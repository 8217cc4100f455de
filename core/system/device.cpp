#include "core/system/device.h"

#include <stdexcept>

namespace mgrpo::core {

torch::Device parseDevice(const std::string& device) {
    if (device == "cpu") return torch::Device(torch::kCPU);
    if (device.rfind("cuda", 0) != 0)
        throw std::invalid_argument("device '" + device + "' is not valid: use cpu, cuda or cuda:N");
    int index = 0;
    if (device.size() > 4) {
        const std::string rest = device.substr(4);
        if (rest.size() < 2 || rest[0] != ':' ||
            rest.find_first_not_of("0123456789", 1) != std::string::npos)
            throw std::invalid_argument("device '" + device + "' is not valid: use cpu, cuda or cuda:N");
        index = std::stoi(rest.substr(1));
    }
    if (!torch::cuda::is_available())
        throw std::invalid_argument("device '" + device +
                                    "' is not available: this LibTorch build has no CUDA or no GPU is visible");
    const auto count = static_cast<int>(torch::cuda::device_count());
    if (index >= count)
        throw std::invalid_argument("device '" + device + "' is not available: only " + std::to_string(count) +
                                    " CUDA device(s) found");
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

}  // namespace mgrpo::core
