// nowIso8601 (see time_text.h).
#include "core/store/time_text.h"

#include <ctime>

namespace mgrpo::store {

std::string nowIso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace mgrpo::store
