target_compile_options(fieldlab_options INTERFACE -Wall -Wextra -Wpedantic -Wno-unknown-pragmas
                                                 # Falling off a value-returning function is UB.
                                                 -Werror=return-type)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s string code (GCC bug 105329).
  target_compile_options(fieldlab_options INTERFACE -Wno-restrict)
endif()
