// The store connection. LibTorch 1.13's TCPStore master listens on every
// interface and has no option to choose one, so for a loopback address the
// listening socket is pinned to the loopback device (SO_BINDTODEVICE "lo")
// right after it is created: connections from other hosts are refused.
#include "core/dist/store_link.h"

#include "core/util/files.h"
#include "core/util/json_fields.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace mgrpo::core::dist {

namespace {

int socketPort(int fd) {
    sockaddr_storage a{};
    socklen_t length = sizeof a;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0) return -1;
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
    return -1;
}

// Pins this process's listening socket on `port` to the loopback device.
void restrictListenerToLoopback(int port) {
    bool found = false;
    for (const auto& name : listDirectory("/proc/self/fd")) {
        int fd = -1;
        try {
            fd = std::stoi(name);
        } catch (const std::exception&) {
            continue;
        }
        int listening = 0;
        socklen_t size = sizeof listening;
        if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) continue;
        if (socketPort(fd) != port) continue;
        if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0)
            throw ConfigError("cannot restrict the store's port " + std::to_string(port) +
                              " to the loopback device: " + std::strerror(errno));
        found = true;
    }
    if (!found) throw ConfigError("the store's listening socket on port " + std::to_string(port) + " was not found");
}

}  // namespace

std::string rankKey(int rank) { return "rank/" + std::to_string(rank); }
std::string heartbeatKey(int rank) { return "hb/" + std::to_string(rank); }
std::string errorKey(int rank) { return "error/" + std::to_string(rank); }
std::string commandKey(int n) { return "cmd/" + std::to_string(n); }
std::string phaseKey(int phase, const std::string& what) {
    return std::string("p").append(std::to_string(phase)).append("/").append(what);
}

StoreLink::StoreLink(const StoreAddress& address, bool master, int rank, double connectTimeoutS)
    : m_address(address), m_rank(rank) {
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(address.port);
    o.isServer = master;
    o.waitWorkers = false;
    o.timeout = std::chrono::milliseconds(static_cast<int64_t>(connectTimeoutS * 1000));
    try {
        m_store = c10::make_intrusive<c10d::TCPStore>(address.host, o);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        throw PeerFailure((master ? "cannot start the store on " : "cannot reach the store at ") + toString(address) +
                          " within " + std::to_string(static_cast<int>(connectTimeoutS)) + " s: " +
                          what.substr(0, what.find('\n')));
    }
    m_address.port = m_store->getPort();
    if (master && isLoopback(address.host)) restrictListenerToLoopback(m_address.port);
    m_heartbeat = std::thread([this] { heartbeatLoop(); });
}

StoreLink::~StoreLink() {
    m_stop = true;
    if (m_heartbeat.joinable()) m_heartbeat.join();
}

// Its own connection, so a large get() on the main one never delays a beat.
void StoreLink::heartbeatLoop() {
    c10::intrusive_ptr<c10d::TCPStore> own;
    try {
        c10d::TCPStoreOptions o;
        o.port = static_cast<uint16_t>(m_address.port);
        o.waitWorkers = false;
        o.timeout = std::chrono::milliseconds(10000);
        own = c10::make_intrusive<c10d::TCPStore>(m_address.host, o);
        while (!m_stop) {
            own->add(heartbeatKey(m_rank), 1);
            for (int i = 0; i < 10 && !m_stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    } catch (const std::exception&) {
        // The store is gone (the main process ended); the waits report it.
    }
}

void StoreLink::set(const std::string& key, const Bytes& value) {
    m_store->set(key, value);
    m_sent += static_cast<long long>(value.size());
}
void StoreLink::setText(const std::string& key, const std::string& value) { set(key, Bytes(value.begin(), value.end())); }
Bytes StoreLink::get(const std::string& key) {
    auto v = m_store->get(key);
    m_received += static_cast<long long>(v.size());
    return v;
}
std::string StoreLink::getText(const std::string& key) {
    const auto v = get(key);
    return {v.begin(), v.end()};
}
bool StoreLink::has(const std::string& key) { return m_store->check({key}); }
void StoreLink::erase(const std::string& key) { m_store->deleteKey(key); }
int64_t StoreLink::counter(const std::string& key) { return m_store->add(key, 0); }
int StoreLink::port() const { return m_address.port; }

// Polling keeps every wait bounded (a timed-out TCPStore wait would leave its
// connection mid-reply); the back-off caps the added latency at 2 ms.
void StoreLink::waitFor(const std::string& key, const std::function<void()>& check) {
    auto pause = std::chrono::microseconds(100);
    auto lastCheck = std::chrono::steady_clock::now();
    check();
    while (!has(key)) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(2000));
        if (std::chrono::steady_clock::now() - lastCheck > std::chrono::milliseconds(100)) {
            check();
            lastCheck = std::chrono::steady_clock::now();
        }
    }
}

void HeartbeatWatch::check(int rank, const std::string& who) {
    const auto now = std::chrono::steady_clock::now();
    const int64_t value = m_link.has(heartbeatKey(rank)) ? m_link.counter(heartbeatKey(rank)) : 0;
    auto& seen = m_seen[rank];
    if (seen.value < 0 || value != seen.value) {
        seen = {value, now};
        return;
    }
    const double silent = std::chrono::duration<double>(now - seen.at).count();
    if (silent > m_timeoutS)
        throw PeerFailure(who + " sent no heartbeat for " + std::to_string(static_cast<int>(silent)) +
                          " s: it died or lost its connection to the store at " + toString(m_link.address()));
}

}  // namespace mgrpo::core::dist
