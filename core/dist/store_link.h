// Core-internal: this process's connection to the run's c10d TCPStore, with
// byte counters, a heartbeat thread and bounded waits that fail with a
// message naming the peer that went silent. Keys of the protocol:
//   rank/<r>            role of worker rank r (it registered)
//   layout              JSON {rank: role}, published by the main process
//   hb/<r>              heartbeat counter of rank r (main is rank 0)
//   error/<r>, abort    why rank r / the main process gave up
//   cmd/<n>             the main process's n-th command (phase, step, save, end)
//   p<phase>/...        per-phase payloads: init, batch, rcm, params, metrics, optim
#pragma once

#include "core/dist/decoupled.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace mgrpo::core::dist {

using Bytes = std::vector<uint8_t>;

// Thrown when a peer dies, never connects or reports an error.
class PeerFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class StoreLink {
public:
    // master: hold the store (bound to loopback only when the host is one).
    StoreLink(const StoreAddress& address, bool master, int rank, double connectTimeoutS);
    ~StoreLink();

    void set(const std::string& key, const Bytes& value);
    void setText(const std::string& key, const std::string& value);
    Bytes get(const std::string& key);
    std::string getText(const std::string& key);
    bool has(const std::string& key);
    void erase(const std::string& key);
    int64_t counter(const std::string& key);  // atomic read of an add() counter

    // Polls `key` until it exists; between polls `check` may throw PeerFailure.
    void waitFor(const std::string& key, const std::function<void()>& check);

    const StoreAddress& address() const { return m_address; }
    int port() const;
    long long bytesSent() const { return m_sent; }
    long long bytesReceived() const { return m_received; }
    c10::intrusive_ptr<c10d::Store> store() { return m_store; }

private:
    void heartbeatLoop();
    StoreAddress m_address;
    int m_rank;
    c10::intrusive_ptr<c10d::TCPStore> m_store;
    std::atomic<long long> m_sent{0}, m_received{0};
    std::atomic<bool> m_stop{false};
    std::thread m_heartbeat;
};

// Watches peers' heartbeats: dead() names one silent for longer than timeoutS.
class HeartbeatWatch {
public:
    HeartbeatWatch(StoreLink& link, double timeoutS) : m_link(link), m_timeoutS(timeoutS) {}
    // Throws PeerFailure("<who> sent no heartbeat for N s ...") if rank is silent too long.
    void check(int rank, const std::string& who);

private:
    struct Seen {
        int64_t value = -1;
        std::chrono::steady_clock::time_point at;
    };
    StoreLink& m_link;
    double m_timeoutS;
    std::map<int, Seen> m_seen;
};

std::string rankKey(int rank);
std::string heartbeatKey(int rank);
std::string errorKey(int rank);
std::string commandKey(int n);
std::string phaseKey(int phase, const std::string& what);

}  // namespace mgrpo::core::dist
