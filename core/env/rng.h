// Deterministic random numbers and hashing for the environment (splitmix64).
// Identical on every platform and standard library, unlike std:: distributions,
// so a seed names the same world everywhere. Not for the policies' sampling.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace mgrpo::core::env {

// splitmix64's output function: a strong 64-bit mixer.
inline uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

inline uint64_t combine(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b)); }

// FNV-1a, to fold text (a task, a name) into a seed.
inline uint64_t hashText(std::string_view text) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// Uniform in [0, 1) from a hash.
inline double unitFromHash(uint64_t h) { return static_cast<double>(mix64(h) >> 11) * 0x1.0p-53; }

class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}

    uint64_t next() {
        m_state += 0x9e3779b97f4a7c15ull;
        uint64_t z = m_state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi]; modulo bias is negligible for the small ranges used here.
    int64_t uniform(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
    }
    int index(size_t size) { return static_cast<int>(uniform(0, static_cast<int64_t>(size) - 1)); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }

    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[static_cast<size_t>(index(items.size()))];
    }
    template <typename T>
    void shuffle(std::vector<T>& items) {
        for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[static_cast<size_t>(index(i))]);
    }

private:
    uint64_t m_state;
};

}  // namespace mgrpo::core::env
