// Core-internal: turns a device string from a config into a torch::Device,
// refusing devices that are not present with a message that says why.
#pragma once

#include <torch/torch.h>

#include <string>

namespace mgrpo::core {

// "cpu", "cuda" (= cuda:0) or "cuda:N". Throws std::invalid_argument.
torch::Device parseDevice(const std::string& device);

}  // namespace mgrpo::core
