// Window-loader throughput (windows/s) from an HDF5 trajectory file: foreground reads versus the
// background loader thread, alone and next to a simulated training step that keeps the consumer
// busy for a fixed CPU time per batch (where the background thread should hide the reads).
// The file comes from FIELDLAB_LOADER_FILE (run_idle.sh generates it). One iteration = one epoch.
// BM_read_windows isolates the read path: every window of an epoch read one hyperslab per field
// (read_window, what the loader does) or one HDF5 read per frame and field (the loader before
// multi-frame reads), timed in process CPU time, which a loaded machine disturbs less than wall
// time.
//
//   bench_nn_loader --benchmark_format=json   (BM_loader args: batch, background 0/1, consumer
//                                              us/batch; BM_read_windows arg: hyperslab 0/1)

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"

namespace {

using namespace fieldlab::datasets;
using namespace fieldlab::io;

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

// The read path before multi-frame reads: one read_frame call per frame and field.
void read_window_frame_by_frame(const TrajectoryReader& reader, const Normalisation& norm,
                                int history, const Window& w, float* inputs, float* targets,
                                std::vector<double>& scratch) {
  const auto shape = reader.shape();
  const std::size_t n = static_cast<std::size_t>(shape.nx) * shape.ny;
  scratch.resize(n);
  const int channels = static_cast<int>(norm.fields.size());
  for (int k = 0; k < history + 1; ++k) {
    float* base = k < history ? inputs + static_cast<std::size_t>(k) * channels * n : targets;
    for (int c = 0; c < channels; ++c) {
      reader.read_frame(norm.fields[c], w.trajectory, w.start + k, scratch.data());
      const double mean = norm.mean[c], inv = 1.0 / norm.std[c];
      float* out = base + static_cast<std::size_t>(c) * n;
      for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(scratch[i])) throw std::runtime_error("non-finite value");
        out[i] = static_cast<float>((scratch[i] - mean) * inv);
      }
    }
  }
}

void BM_read_windows(benchmark::State& state) {
  const Data& d = data();
  const bool hyperslab = state.range(0) != 0;
  const int history = 4;
  WindowLoaderConfig cfg;
  cfg.fields = d.reader->fields();
  cfg.history = history;
  cfg.batch = 1;
  cfg.background = false;
  cfg.seed = 1;
  WindowLoader loader(*d.reader, cfg, d.norm);
  const auto shape = d.reader->shape();
  const std::size_t frame = static_cast<std::size_t>(shape.nx) * shape.ny * cfg.fields.size();
  std::vector<float> inputs(frame * history), targets(frame);
  std::vector<double> scratch;
  long long epoch = 0, windows = 0;
  for (auto _ : state) {
    for (const Window& w : loader.epoch_plan(epoch++)) {
      if (hyperslab)
        read_window(*d.reader, d.norm, history, 1, w, inputs.data(), targets.data(), scratch);
      else
        read_window_frame_by_frame(*d.reader, d.norm, history, w, inputs.data(), targets.data(),
                                   scratch);
      ++windows;
    }
    benchmark::DoNotOptimize(inputs.data());
  }
  state.counters["windows"] = static_cast<double>(windows);
  state.counters["hyperslab"] = hyperslab ? 1.0 : 0.0;
}

}  // namespace

BENCHMARK(BM_read_windows)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("hyperslab")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->MinTime(1.0);

BENCHMARK(BM_loader)
    ->ArgsProduct({{8, 32}, {0, 1}, {0, 20000}})
    ->ArgNames({"batch", "background", "consumer_us"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);

BENCHMARK_MAIN();
