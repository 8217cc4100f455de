# Third-party packages, all from Debian (see scripts/install-deps.sh).
# A CUDA LibTorch can be used instead of Debian's with -DTorch_DIR=<prefix>/share/cmake/Torch.
find_package(Torch REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)

# c10d's ProcessGroupGloo header needs Gloo's headers: Debian ships them in
# libgloo-dev, a PyTorch wheel does not. Without them decoupled training still
# builds (TCPStore is in every LibTorch), but an agent cannot have several
# data-parallel ranks.
include(CheckIncludeFileCXX)
set(CMAKE_REQUIRED_INCLUDES ${TORCH_INCLUDE_DIRS})
check_include_file_cxx(gloo/algorithm.h MGRPO_HAVE_GLOO)
unset(CMAKE_REQUIRED_INCLUDES)

# LibTorch's config exports its ABI/define flags as a string; keep them on the
# LibTorch targets only (never on Qt targets).
separate_arguments(MGRPO_TORCH_CXX_FLAGS UNIX_COMMAND "${TORCH_CXX_FLAGS}")

if(MGRPO_BUILD_GUI)
  # QCustomPlotQt6's config expects Qt6 to be found first.
  find_package(Qt6 6.2 REQUIRED COMPONENTS Core Gui Widgets PrintSupport Test)
  find_package(QCustomPlotQt6 REQUIRED)
  set(CMAKE_AUTOMOC ON)
  set(CMAKE_AUTORCC ON)
endif()

# A tiny object library that owns the precompiled <torch/torch.h>; every
# LibTorch target reuses it (one ~14 s header parse instead of one per file).
add_library(mgrpo_torch_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp)
target_link_libraries(mgrpo_torch_pch PUBLIC ${TORCH_LIBRARIES})
target_compile_options(mgrpo_torch_pch PUBLIC ${MGRPO_TORCH_CXX_FLAGS})
if(MGRPO_USE_PCH)
  target_precompile_headers(mgrpo_torch_pch PRIVATE <torch/torch.h>)
endif()

# Use from a target whose sources include LibTorch headers.
function(mgrpo_use_torch target)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_compile_options(${target} PRIVATE ${MGRPO_TORCH_CXX_FLAGS})
  if(MGRPO_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM mgrpo_torch_pch)
  endif()
endfunction()
