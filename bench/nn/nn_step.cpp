// One SineNet configuration, timed in its own process so that its peak memory (ru_maxrss) belongs
// to it alone: the fieldlab half of bench/nn/run_idle.sh (torch_compare.py step is the PyTorch
// half, with the same arguments and the same JSON line).
//
//   nn_step --model small|sinenet8 --size 128 --batch 8 --threads 1 --mode train|infer --steps 3
//
// train = forward + scaled-L2 loss + backward + AdamW; infer = forward in no-grad mode. After
// --warmup untimed steps (the first fills the arena and scratch buffers), each of --steps steps is
// timed in wall clock and in process CPU time (getrusage: all threads). Prints one JSON object;
// peak_rss_mib is VmHWM, the process's peak resident memory; steady_peak_rss_mib that of the timed
// steps alone (VmHWM reset after the warm-up; they run on the arena's plan, docs/nn.md "Memory");
// arena_mib is the planned slab, arena_requested_mib the sum of one step's buffers.
// heap_allocs_in_timed_steps counts malloc/calloc/realloc calls in the timed steps (0 expected
// at one thread: docs/nn.md "No heap allocation per step").

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/gemm.hpp"
#include "nn/graph.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/ops.hpp"
#include "nn/optimizer.hpp"

// Counts the process's heap allocations: this executable's definitions interpose glibc's for every
// library (libstdc++'s operator new, libgomp, OpenBLAS) and forward to its implementation.
namespace {
std::atomic<long long> g_heap_allocations{0};
}  // namespace
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* malloc(std::size_t n) {
  g_heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  g_heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  g_heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
}
#endif

namespace {

using namespace fieldlab;
using namespace fieldlab::nn;

// The two benchmark models; torch_compare.py builds the same ones (and asserts the counts).
SineNetConfig model_config(const std::string& name) {
  if (name == "sinenet8") {
    SineNetConfig c = sinenet_preset(8);  // K = 8, m = 1.425, hidden 64, zero padding
    return c;
  }
  if (name == "small") {  // K = 2, hidden 16, m = 1.5, circular padding
    SineNetConfig c;
    c.waves = 2;
    c.hidden = 16;
    c.mult = 1.5;
    c.padding = Padding::circular;
    return c;
  }
  fail(ErrorKind::usage, "unknown model '{}' (expected small or sinenet8)", name);
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// VmHWM / VmRSS from /proc/self/status. Not ru_maxrss: Linux carries that across execve, so a
// child of the (PyTorch-importing) driver script would report the driver's peak.
double status_mib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    double kib = 0;
    if (key == field && status >> kib) return kib / 1024.0;
  }
  return 0;
}

// Resets VmHWM to the current resident size (Linux >= 4.0: "5" > /proc/self/clear_refs), so that
// the peak after it is that of the timed steps alone. False where the kernel refuses.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

std::string fmt_mib(double mib) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", mib);
  return buf;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Tensor random_tensor(Shape shape, unsigned seed) {
  Tensor t(std::move(shape));
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0f, 1.0f);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = n(rng);
  return t;
}

int run(int argc, char** argv) {
  std::string model = "small", mode = "train";
  int size = 128, batch = 8, threads = 1, steps = 3, warmup = 1;
  CLI::App app{"time one SineNet step configuration (fieldlab)"};
  app.add_option("--model", model, "small or sinenet8")->capture_default_str();
  app.add_option("--mode", mode, "train or infer")->capture_default_str();
  app.add_option("--size", size, "H = W")->capture_default_str();
  app.add_option("--batch", batch)->capture_default_str();
  app.add_option("--threads", threads)->capture_default_str();
  app.add_option("--steps", steps, "timed steps")->capture_default_str();
  app.add_option("--warmup", warmup, "untimed steps first")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  require(mode == "train" || mode == "infer", "nn_step: --mode must be train or infer, got '{}'",
          mode);
  require(size >= 16 && size % 16 == 0, "nn_step: --size must be a multiple of 16, got {}", size);
  require(batch >= 1 && threads >= 1 && steps >= 1 && warmup >= 1,
          "nn_step: --batch, --threads, --steps and --warmup must be >= 1");
  set_threads(threads);
  const double rss_start = status_mib("VmRSS:");

  const SineNetConfig config = model_config(model);
  SineNet net(config);
  net.initialise(7);
  OptimizerConfig oc;
  oc.weight_decay = 1e-5f;
  Optimizer opt(oc, mode == "train" ? net.parameters().size() : 0);
  const int in = config.fields * config.history, out = config.fields * config.future;
  const Tensor x = random_tensor({batch, in, size, size}, 3);
  const Tensor y = random_tensor({batch, out, size, size}, 4);
  Graph g;
  double loss = 0;
  auto step = [&] {
    g.reset();
    if (mode == "infer") {
      NoGradGuard ng(g);
      loss = mean(net.forward(g, g.constant(x))).value()[0];
      return;
    }
    net.parameters().zero_grad();
    Var l = scaled_l2_loss(net.forward(g, g.constant(x)), g.constant(y));
    g.backward(l);
    opt.step(net.parameters(), 2e-4f);
    loss = l.value()[0];
  };
  for (int i = 0; i < warmup; ++i) step();
  // Ends the last warm-up step, which plans the arena (nn/arena.hpp) if it was not yet planned:
  // the timed steps run on the plan.
  g.reset();
  const std::size_t allocs_after_warmup = g.arena().allocations();
  const double peak_warmup = status_mib("VmHWM:");
  const bool hwm_reset = reset_peak_rss();
  std::vector<double> wall, cpu;
  wall.reserve(steps);
  cpu.reserve(steps);
  const long long heap_before = g_heap_allocations.load();
  for (int i = 0; i < steps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    step();
    cpu.push_back(1e3 * (cpu_seconds() - c0));
    wall.push_back(1e3 *
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const long long heap_allocs = g_heap_allocations.load() - heap_before;
  require(std::isfinite(loss), "nn_step: non-finite loss {}", loss);
  std::printf(
      "{\"engine\": \"fieldlab\", \"model\": \"%s\", \"mode\": \"%s\", \"size\": %d, \"batch\": "
      "%d, "
      "\"threads\": %d, \"steps\": %d, \"parameters\": %lld, \"wall_ms\": %.3f, \"cpu_ms\": %.3f, "
      "\"wall_ms_all\": [",
      model.c_str(), mode.c_str(), size, batch, threads, steps,
      static_cast<long long>(net.parameters().size()), median(wall), median(cpu));
  for (std::size_t i = 0; i < wall.size(); ++i) std::printf("%s%.3f", i ? ", " : "", wall[i]);
  std::printf(
      "], \"peak_rss_mib\": %.1f, \"warmup_peak_rss_mib\": %.1f, \"steady_peak_rss_mib\": %s, "
      "\"start_rss_mib\": %.1f, \"arena_mib\": %.1f, \"arena_requested_mib\": %.1f, "
      "\"arena_allocs_in_timed_steps\": %zu, \"heap_allocs_in_timed_steps\": %lld, \"gemm\": "
      "\"%s\", \"loss\": %.6g}\n",
      std::max(peak_warmup, status_mib("VmHWM:")), peak_warmup,
      hwm_reset ? fmt_mib(status_mib("VmHWM:")).c_str() : "null", rss_start,
      g.arena().bytes_reserved() / 1048576.0, g.arena().requested_bytes() / 1048576.0,
      g.arena().allocations() - allocs_after_warmup, heap_allocs, gemm_backend(), loss);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const fieldlab::Error& e) {
    std::fprintf(stderr, "nn_step: %s\n", e.what());
    return e.exit_code();
  }
}
