#include "core/dist/local_workers.h"

#include "core/util/json_fields.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace mgrpo::core::dist {

namespace {

std::string describeStatus(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "stopped";
}

std::string describeWorker(const LocalWorker& w) {
    const auto agent = w.role.rfind("sub:", 0) == 0 ? w.role.substr(4) : w.role;
    return "the worker of agent '" + agent + "' (rank " + std::to_string(w.rank) + ", pid " + std::to_string(w.pid) + ")";
}

}  // namespace

void LocalWorkers::spawn(const std::string& executable, const std::vector<std::string>& args, int rank,
                         const std::string& role, const std::string& logFile) {
    std::vector<std::string> all{executable};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw ConfigError(std::string("cannot start a worker process: ") + std::strerror(errno));
    if (pid == 0) {
        // Only async-signal-safe calls until exec.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(1);
        if (!logFile.empty()) {
            const int fd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, STDOUT_FILENO);
                ::dup2(fd, STDERR_FILENO);
                ::close(fd);
            }
        }
        ::execv(executable.c_str(), argv.data());
        ::_exit(127);
    }
    m_workers.push_back({rank, role, pid, false});
}

std::string LocalWorkers::exitedEarly() {
    for (auto& w : m_workers) {
        if (w.exited) continue;
        int status = 0;
        if (::waitpid(w.pid, &status, WNOHANG) == w.pid) {
            w.exited = true;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                return describeWorker(w) + " could not be started (exec failed)";
            return describeWorker(w) + " " + describeStatus(status);
        }
    }
    return {};
}

void LocalWorkers::join(double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (auto& w : m_workers) {
        while (!w.exited) {
            int status = 0;
            if (::waitpid(w.pid, &status, WNOHANG) == w.pid) {
                w.exited = true;
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    for (auto& w : m_workers)
        if (!w.exited) ::kill(w.pid, SIGTERM);
    for (auto& w : m_workers) {
        for (int i = 0; i < 100 && !w.exited; ++i) {
            int status = 0;
            if (::waitpid(w.pid, &status, WNOHANG) == w.pid) w.exited = true;
            else std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (!w.exited) {
            ::kill(w.pid, SIGKILL);
            ::waitpid(w.pid, nullptr, 0);
            w.exited = true;
        }
    }
}

LocalWorkers::~LocalWorkers() { join(0); }

}  // namespace mgrpo::core::dist
