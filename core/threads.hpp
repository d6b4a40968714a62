#pragma once
// Thin wrappers over OpenMP so code compiles with FIELDLAB_OPENMP=OFF too.

namespace fieldlab {

int max_threads();
void set_threads(int threads);  // threads <= 0 keeps the current setting
int thread_id();

// Deterministic per-unit seed from the user's seed and a unit index (trajectory, worker):
// results never depend on how units are scheduled over threads.
unsigned long long derive_seed(unsigned long long seed, unsigned long long index);

}  // namespace fieldlab
