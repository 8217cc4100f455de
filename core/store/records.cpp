// The functions declared in records.h: run status names and metric agents.
#include "core/store/records.h"
#include "core/store/store_error.h"

#include <array>
#include <utility>

namespace mgrpo::store {
namespace {

constexpr std::array<std::pair<RunStatus, const char*>, 7> kNames{{{RunStatus::Queued, "queued"},
                                                                   {RunStatus::Running, "running"},
                                                                   {RunStatus::Paused, "paused"},
                                                                   {RunStatus::Finished, "finished"},
                                                                   {RunStatus::Failed, "failed"},
                                                                   {RunStatus::Stopped, "stopped"},
                                                                   {RunStatus::Interrupted, "interrupted"}}};

}  // namespace

std::string runStatusName(RunStatus status) {
    for (const auto& [s, name] : kNames)
        if (s == status) return name;
    return "queued";
}

RunStatus runStatusFromName(const std::string& name) {
    for (const auto& [s, n] : kNames)
        if (name == n) return s;
    throw StoreError("unknown run status '" + name +
                     "' (expected queued, running, paused, finished, failed, stopped or interrupted)");
}

std::string metricAgent(const std::string& name) {
    const auto slash = name.find('/');
    return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

}  // namespace mgrpo::store
