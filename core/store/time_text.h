// ISO-8601 UTC timestamps as stored in the history ("2025-01-31T12:34:56Z").
#pragma once

#include <string>

namespace mgrpo::store {

std::string nowIso8601();

}  // namespace mgrpo::store
