# Every dependency comes from a Debian package (scripts/install_deps.sh); nothing is fetched here.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(Boost 1.74 REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 CONFIG QUIET)
find_package(PNG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)

# GEMM for the nn engine: Debian's OpenBLAS, OpenMP variant (libopenblas-openmp-dev). Its
# DYNAMIC_ARCH build picks AVX2/AVX-512 kernels at run time, so the portable build gets them too;
# the OpenMP variant runs single-threaded inside our parallel regions (no oversubscription). The
# variant's own directory is searched (and ends up in the run path), not the alternatives symlink,
# which may point at the pthread or serial build.
set(_openblas_arch_dir ${CMAKE_LIBRARY_ARCHITECTURE})
if(NOT _openblas_arch_dir)
  set(_openblas_arch_dir x86_64-linux-gnu)
endif()
find_library(OPENBLAS_OPENMP_LIBRARY openblas
             PATHS /usr/lib/${_openblas_arch_dir}/openblas-openmp NO_DEFAULT_PATH)
find_path(OPENBLAS_OPENMP_INCLUDE_DIR cblas.h
          PATHS /usr/include/${_openblas_arch_dir}/openblas-openmp NO_DEFAULT_PATH)
if(NOT OPENBLAS_OPENMP_LIBRARY OR NOT OPENBLAS_OPENMP_INCLUDE_DIR)
  message(FATAL_ERROR "OpenBLAS (OpenMP variant) not found: install libopenblas-openmp-dev "
                      "(scripts/install_deps.sh)")
endif()
add_library(fieldlab_openblas INTERFACE)
target_include_directories(fieldlab_openblas SYSTEM INTERFACE ${OPENBLAS_OPENMP_INCLUDE_DIR})
target_link_libraries(fieldlab_openblas INTERFACE ${OPENBLAS_OPENMP_LIBRARY})
add_library(fieldlab::openblas ALIAS fieldlab_openblas)

if(NOT CLI11_FOUND)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()

if(FIELDLAB_OPENMP)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
endif()

# One interface target carrying what every fieldlab module compiles with.
add_library(fieldlab_options INTERFACE)
target_compile_features(fieldlab_options INTERFACE cxx_std_20)
if(FIELDLAB_OPENMP)
  target_link_libraries(fieldlab_options INTERFACE OpenMP::OpenMP_CXX)
  target_compile_definitions(fieldlab_options INTERFACE FIELDLAB_HAVE_OPENMP=1)
endif()
if(FIELDLAB_NATIVE)
  target_compile_options(fieldlab_options INTERFACE -march=native)
  # core/cpu_dispatch.hpp: no run-time clones needed when the whole build targets this CPU.
  target_compile_definitions(fieldlab_options INTERFACE FIELDLAB_NATIVE_BUILD=1)
endif()
if(FIELDLAB_SANITIZE)
  target_compile_options(fieldlab_options INTERFACE -fsanitize=address,undefined
                                                   -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(fieldlab_options INTERFACE -fsanitize=address,undefined)
endif()
