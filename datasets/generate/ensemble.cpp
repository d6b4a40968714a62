#include "datasets/generate/ensemble.hpp"

#include <atomic>
#include <exception>
#include <mutex>

#include "core/threads.hpp"

namespace fieldlab::datasets {

EnsembleOutcome run_ensemble(const std::vector<long long>& indices, int threads,
                             const std::function<bool(long long)>& work, ProgressSink* progress,
                             const StopToken& stop_token) {
  if (threads <= 0) {
    set_threads(0);  // refuses an OMP_NUM_THREADS above the bound, naming it
    threads = max_threads();
  }
  const long long n = static_cast<long long>(indices.size());
  std::atomic<bool> stop{false};
  std::atomic<bool> interrupted{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto run_unit = [&](long long k) {
    if (stop.load() || stop_token.stop_requested()) {
      interrupted = interrupted || stop_token.stop_requested();
      return;
    }
    try {
      if (!work(indices[k])) {
        interrupted = true;
        stop = true;
      } else if (progress) {
        progress->advance(1, {});
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      stop = true;
    }
  };

  if (n >= threads && threads > 1) {
    const int saved = max_threads();
    set_threads(threads);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long k = 0; k < n; ++k) run_unit(k);
    set_threads(saved);
  } else {
    const int saved = max_threads();
    set_threads(threads);  // inner loops of each unit use these threads
    for (long long k = 0; k < n; ++k) run_unit(k);
    set_threads(saved);
  }
  if (first_error) std::rethrow_exception(first_error);
  return interrupted ? EnsembleOutcome::interrupted : EnsembleOutcome::finished;
}

}  // namespace fieldlab::datasets
