#pragma once
// Thin wrappers over OpenMP so code compiles with FIELDLAB_OPENMP=OFF too.

namespace fieldlab {

int max_threads();
// threads <= 0 keeps the current setting; above thread_limit() it is a usage error (checked
// before OpenMP sees it: 100000 threads used to crash inside the runtime's thread creation).
void set_threads(int threads);

// The largest thread count accepted: 16 × the hardware threads, and at least 64. Results never
// depend on the thread count, so oversubscribing further buys nothing, while every OpenMP thread
// reserves a stack (100000 threads × 8 MiB is 800 GB of address space).
int thread_limit();
// Usage error naming the option unless 0 <= threads <= thread_limit() (0: all cores).
void check_thread_count(int threads, const char* option = "--threads");
int thread_id();

// Deterministic per-unit seed from the user's seed and a unit index (trajectory, worker):
// results never depend on how units are scheduled over threads.
unsigned long long derive_seed(unsigned long long seed, unsigned long long index);

}  // namespace fieldlab
