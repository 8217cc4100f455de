# Third-party packages, all from Debian (see scripts/install-deps.sh).
# A CUDA LibTorch can be used instead of Debian's with -DTorch_DIR=<prefix>/share/cmake/Torch.
find_package(Torch REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)

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

# PyTorch wheels since 2.5 export the std::filesystem symbols they link
# statically (pytorch/pytorch#133437); when libtorch precedes libstdc++ in an
# executable's search order, our std::filesystem calls bind to those copies and
# crash. Naming libstdc++ first among the needed libraries keeps them in
# libstdc++. Link options come before objects and libraries on the command line;
# INTERFACE carries this to every executable that links a torch-using library.
set(MGRPO_LIBSTDCXX_FIRST "LINKER:--push-state,--no-as-needed" "-lstdc++" "LINKER:--pop-state")

# Use from a target whose sources include LibTorch headers.
function(mgrpo_use_torch target)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_link_options(${target} PUBLIC ${MGRPO_LIBSTDCXX_FIRST})
  target_compile_options(${target} PRIVATE ${MGRPO_TORCH_CXX_FLAGS})
  if(MGRPO_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM mgrpo_torch_pch)
  endif()
endfunction()
