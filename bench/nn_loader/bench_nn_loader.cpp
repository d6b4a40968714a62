// Window-loader throughput (windows/s) from an HDF5 trajectory file: foreground reads versus the
// background loader thread, alone and next to a simulated training step that keeps the consumer
// busy for a fixed CPU time per batch (where the background thread should hide the reads).
// The file comes from FIELDLAB_LOADER_FILE (run_idle.sh generates it). One iteration = one epoch.
//
//   bench_nn_loader --benchmark_format=json   (args: batch, background 0/1, consumer us/batch)

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"

namespace {

using namespace fieldlab::datasets;

struct Data {
  std::unique_ptr<TrajectoryReader> reader;
  Normalisation norm;
};

const Data& data() {
  static const Data d = [] {
    const char* path = std::getenv("FIELDLAB_LOADER_FILE");
    if (!path) throw std::runtime_error("set FIELDLAB_LOADER_FILE to a trajectory file");
    Data x;
    x.reader = open_trajectories(path);
    x.norm = compute_normalisation(*x.reader, x.reader->fields());
    return x;
  }();
  return d;
}

// Busy-waits `us` microseconds of the consumer thread (a stand-in for forward/backward).
void consume(long us, const Batch& b) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  float sink = 0;
  while (std::chrono::steady_clock::now() < end) sink += b.inputs[0];
  benchmark::DoNotOptimize(sink);
}

void BM_loader(benchmark::State& state) {
  const Data& d = data();
  WindowLoaderConfig cfg;
  cfg.fields = d.reader->fields();
  cfg.history = 4;
  cfg.batch = static_cast<int>(state.range(0));
  cfg.background = state.range(1) != 0;
  cfg.seed = 1;
  WindowLoader loader(*d.reader, cfg, d.norm);
  const long consumer_us = static_cast<long>(state.range(2));
  long long epoch = 0, windows = 0;
  for (auto _ : state) {
    loader.start_epoch(epoch++);
    while (const Batch* b = loader.next()) {
      if (consumer_us > 0) consume(consumer_us, *b);
      windows += b->size;
    }
  }
  state.counters["windows_per_s"] =
      benchmark::Counter(static_cast<double>(windows), benchmark::Counter::kIsRate);
  state.counters["batch"] = static_cast<double>(cfg.batch);
  state.counters["background"] = static_cast<double>(cfg.background);
  state.counters["consumer_us"] = static_cast<double>(consumer_us);
}

}  // namespace

BENCHMARK(BM_loader)
    ->ArgsProduct({{8, 32}, {0, 1}, {0, 20000}})
    ->ArgNames({"batch", "background", "consumer_us"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);

BENCHMARK_MAIN();
