#pragma once
// Run-time instruction-set dispatch for hot loops, without a hard -mavx2 requirement.
//
// FIELDLAB_MULTIVERSION before a function definition makes GCC/Clang compile it twice, for
// x86-64-v3 (AVX2, FMA, BMI2: Haswell / Zen and newer) and for the baseline x86-64, and pick the
// version once at load time through an ifunc resolver. The default build therefore stays
// portable (it runs on any x86-64 CPU) while the marked kernels use 256-bit vectors where the CPU
// has them. Use it on leaf kernels that the compiler can auto-vectorise (contiguous loops over
// floats/doubles); the call itself is indirect, so mark a function that does a whole loop, not a
// per-element helper. Elsewhere (other architectures, FIELDLAB_NATIVE builds that already target
// the build machine) it expands to nothing. Sanitizer builds also compile only the baseline
// version, so the test suite exercises both: the x86-64-v3 clone in Release (on a CPU that has
// it) and the baseline under ASan+UBSan.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FIELDLAB_NATIVE_BUILD) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(FIELDLAB_NO_MULTIVERSION)
#define FIELDLAB_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FIELDLAB_MULTIVERSION
#endif
