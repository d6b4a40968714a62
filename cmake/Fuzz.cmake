# FIELDLAB_FUZZ: libFuzzer harnesses (tests/fuzz/). Configure a separate build folder with clang:
#   CXX=clang++ CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DFIELDLAB_FUZZ=ON
#     -DFIELDLAB_TESTS=OFF -DFIELDLAB_OPENMP=OFF
#   cmake --build build-fuzz --target fieldlab_fuzzers
# Every library is compiled with libFuzzer's coverage instrumentation plus ASan and UBSan (any
# report aborts, so the fuzzer counts it as a crash); only the harnesses link libFuzzer's main.
# OpenMP is off in this build (clang's libomp is not needed and threads only blur coverage).
if(NOT FIELDLAB_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "FIELDLAB_FUZZ needs clang (libFuzzer): configure with CXX=clang++ CC=clang")
endif()
if(FIELDLAB_OPENMP)
  message(FATAL_ERROR "FIELDLAB_FUZZ: configure with -DFIELDLAB_OPENMP=OFF")
endif()
# -O1 and line tables only: the usual fuzzing trade (fast to build on 2 cores, still fast to run,
# stack traces with lines). Configure with -DCMAKE_BUILD_TYPE=Fuzz so no other -O is added.
target_compile_options(fieldlab_options INTERFACE -O1 -gline-tables-only
                                                 -fsanitize=fuzzer-no-link,address,undefined
                                                 -fno-sanitize-recover=all -fno-omit-frame-pointer)
target_link_options(fieldlab_options INTERFACE -fsanitize=address,undefined)
