#include "core/system/blas_threads.h"

#include <dlfcn.h>

namespace mgrpo::core {

namespace {
// Looked up at run time so the build does not depend on which BLAS LibTorch loads.
using GetFn = int (*)();
using SetFn = void (*)(int);
GetFn getter() {
    static auto fn = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn;
}
SetFn setter() {
    static auto fn = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return fn;
}
}  // namespace

int blasThreads() { return getter() ? getter()() : 0; }

int setBlasThreads(int threads) {
    const int previous = blasThreads();
    if (setter() && threads > 0 && threads != previous) setter()(threads);
    return previous;
}

}  // namespace mgrpo::core
