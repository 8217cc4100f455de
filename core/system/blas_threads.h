// Core-internal: OpenBLAS's own thread pool, separate from LibTorch's.
// Measured here (2 cores, Debian OpenBLAS pthread build): with 2 BLAS threads
// the small matmuls of token-by-token decoding spend about half their time in
// the kernel (thread hand-off), and batch-64 generation runs 3x slower than
// with 1 BLAS thread; large training matmuls gain about 40% from 2 threads.
// So decoding scopes BLAS to one thread and training keeps the default.
#pragma once

namespace mgrpo::core {

// OpenBLAS's current thread count, or 0 if LibTorch does not use OpenBLAS.
int blasThreads();
// No-op without OpenBLAS. Returns the previous count.
int setBlasThreads(int threads);

class ScopedBlasThreads {
public:
    explicit ScopedBlasThreads(int threads) : m_previous(setBlasThreads(threads)) {}
    ~ScopedBlasThreads() {
        if (m_previous > 0) setBlasThreads(m_previous);
    }
    ScopedBlasThreads(const ScopedBlasThreads&) = delete;
    ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

private:
    int m_previous;
};

}  // namespace mgrpo::core
