// Quantum kernels: gates per second for 1- and 2-qubit gates at 10..28 qubits, a 20-qubit QFT,
// random circuits, DARUAN/QKAN forward+backward, and onion-QRC time steps per second.
// Every benchmark checks its result first (norm preserved / gradient finite), then times.
//
//   bench_quantum [google-benchmark flags]
//   bench_quantum --qasm FILE [--reps N] [--threads T] [--precision complex64|complex128]
//                 [--no-fusion]
// The second form times one OpenQASM circuit (parse excluded) and prints JSON; bench/quantum/
// peers.py uses it to run our simulator on the same files as qulacs and qiskit-aer.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "quantum/circuit.hpp"
#include "quantum/nn/regression.hpp"
#include "quantum/qasm.hpp"
#include "quantum/qkan/qkan_layer.hpp"
#include "quantum/qrc/quantum_reservoir.hpp"
#include "quantum/qrc/tasks.hpp"

using namespace fieldlab::quantum;

namespace {

// CPU time of the whole process (all threads): robust against other processes on the machine.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct BestTimes {
  double wall = 1e300, cpu = 1e300;
};

// Calls prepare() then work() runs + 1 times and keeps the best wall and process CPU time of
// work() (CPU time stays meaningful on a loaded machine); the first call warms up. check() runs
// after each timed call, outside the timing (the peers' workers also check their result after).
template <typename Prepare, typename Work, typename Check = void (*)()>
BestTimes best_of(
    int runs, Prepare prepare, Work work, Check check = [] {}) {
  BestTimes best;
  for (int r = 0; r <= runs; ++r) {
    prepare();
    const double c0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    work();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double c = process_cpu_seconds() - c0;
    check();
    if (r > 0) best = {std::min(best.wall, s), std::min(best.cpu, c)};
  }
  return best;
}

void check_norm(double n2) {
  if (std::abs(n2 - 1.0) > 1e-3) throw std::runtime_error("benchmark state lost its norm");
}

// One gate per iteration on qubits cycling through the register (so low and high strides both
// count); bytes: one read and one write of every amplitude.
template <typename Real>
void BM_gate(benchmark::State& state, GateKind kind, bool controlled) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(static_cast<int>(state.range(1)));
  StateVector<Real> psi(n);
  psi.apply(make_gate(GateKind::h, {0}));
  int q = 0;
  for (auto _ : state) {
    const int t = q % n, c = (q + 1) % n;
    Gate g =
        gate_target_count(kind) == 2
            ? make_gate(kind, {t, c},
                        gate_param_count(kind) ? std::vector<double>{0.3} : std::vector<double>{})
            : make_gate(kind, {t},
                        gate_param_count(kind) ? std::vector<double>{0.3} : std::vector<double>{});
    if (controlled) g.controls = {c};
    psi.apply(g);
    ++q;
  }
  check_norm(psi.norm_squared());
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 2 *
                          static_cast<int64_t>(sizeof(std::complex<Real>)) * (int64_t{1} << n));
  state.counters["qubits"] = n;
  state.counters["threads"] = static_cast<double>(state.range(1));
}

void BM_gate_c128(benchmark::State& s, GateKind k, bool c) { BM_gate<double>(s, k, c); }
void BM_gate_c64(benchmark::State& s, GateKind k, bool c) { BM_gate<float>(s, k, c); }

void gate_args(benchmark::internal::Benchmark* b) {
  for (int t : {1, 2})
    for (int n = 10; n <= 26; n += 2) b->Args({n, t});
}

Circuit qft(int n) {
  Circuit c(n);
  for (int j = n - 1; j >= 0; --j) {
    c.h(j);
    for (int k = j - 1; k >= 0; --k)
      c.add(make_gate(GateKind::phase, {j}, {M_PI / std::pow(2.0, j - k)}, {k}));
  }
  for (int i = 0; i < n / 2; ++i) c.add(make_gate(GateKind::swap, {i, n - 1 - i}));
  return c;
}

Circuit random_layers(int n, int depth, unsigned long long seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> a(-M_PI, M_PI);
  Circuit c(n);
  for (int d = 0; d < depth; ++d) {
    for (int q = 0; q < n; ++q) c.add(make_gate(GateKind::u3, {q}, {a(rng), a(rng), a(rng)}));
    for (int q = d % 2; q + 1 < n; q += 2) c.cx(q, q + 1);
  }
  return c;
}

void BM_circuit(benchmark::State& state, Circuit (*build)(int), bool fusion) {
  fieldlab::set_threads(static_cast<int>(state.range(1)));
  const Circuit c0 = build(static_cast<int>(state.range(0)));
  const Circuit c = fusion ? fuse(c0) : c0;
  for (auto _ : state) {
    StateVector<double> psi(c.num_qubits());
    run(c, psi);
    benchmark::DoNotOptimize(psi.data());
    check_norm(psi.norm_squared());
  }
  state.counters["gates"] = static_cast<double>(c0.operations().size());
  state.counters["applied"] = static_cast<double>(c.operations().size());
}

Circuit qft_circuit(int n) { return qft(n); }
Circuit random_circuit(int n) { return random_layers(n, 20, 7); }

void BM_qkan(benchmark::State& state) {
  // Forward + backward of one QKAN layer, batch x in -> out, r repetitions.
  const int batch = static_cast<int>(state.range(0)), in = static_cast<int>(state.range(1)),
            out = static_cast<int>(state.range(2)), reps = static_cast<int>(state.range(3));
  fieldlab::set_threads(static_cast<int>(state.range(4)));
  qkan::QkanNetwork net({in, out}, reps, qkan::DaruanReadout::pauli_z, 1);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> x(static_cast<std::size_t>(batch) * in),
      y(static_cast<std::size_t>(batch) * out);
  for (double& v : x) v = u(rng);
  for (double& v : y) v = u(rng);
  std::vector<double> grad;
  for (auto _ : state) {
    const double loss = net.mse_and_gradient(x, y, batch, grad);
    if (!std::isfinite(loss)) throw std::runtime_error("QKAN loss not finite");
    benchmark::DoNotOptimize(grad.data());
  }
  state.counters["edges"] = in * out;
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_onion_qrc_steps(benchmark::State& state) {
  fieldlab::set_threads(static_cast<int>(state.range(0)));
  const int steps = 200;
  const auto series = qrc::narma10(steps, 1);
  for (auto _ : state) {
    qrc::QuantumReservoir r(qrc::default_onion(1), 1);
    const Eigen::MatrixXd f = r.features(series.inputs);
    benchmark::DoNotOptimize(f.data());
  }
  state.SetItemsProcessed(state.iterations() * steps);
}

int time_qasm(int argc, char** argv) {
  std::string path, precision = "complex128";
  int reps = 3, threads = 0;
  int parallel_threshold = kDefaultParallelThreshold;  // qubits from which kernels use OpenMP
  bool fusion = true;
  int prefetch_threshold = -1;  // qubits from which kernels prefetch; -1: the simulator's default
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw fieldlab::Error(fieldlab::ErrorKind::usage, a + " needs a value");
      return argv[++i];
    };
    if (a == "--qasm")
      path = next();
    else if (a == "--reps")
      reps = std::stoi(next());
    else if (a == "--threads")
      threads = std::stoi(next());
    else if (a == "--precision")
      precision = next();
    else if (a == "--no-fusion")
      fusion = false;
    else if (a == "--parallel-threshold")
      parallel_threshold = std::stoi(next());
    else if (a == "--prefetch-threshold")
      prefetch_threshold = std::stoi(next());
    else
      throw fieldlab::Error(fieldlab::ErrorKind::usage, "unknown option " + a);
  }
  fieldlab::set_threads(threads);
  const QasmProgram prog = read_qasm_file(path);
  const Circuit body =
      fusion ? fuse(prog.circuit.without_measurements()) : prog.circuit.without_measurements();
  auto time_it = [&](auto tag) {
    using Real = decltype(tag);
    StateVector<Real> psi(body.num_qubits());
    psi.set_parallel_threshold(parallel_threshold);
    if (prefetch_threshold >= 0) psi.set_prefetch_threshold(prefetch_threshold);
    return best_of(
        reps, [&] { psi.set_basis_state(0); }, [&] { run(body, psi); },
        [&] { check_norm(psi.norm_squared()); });
  };
  const BestTimes t = precision == "complex64" ? time_it(float{}) : time_it(double{});
  std::printf(
      "{\"qasm\": \"%s\", \"qubits\": %d, \"gates\": %zu, \"applied\": %zu, \"threads\": %d, "
      "\"precision\": \"%s\", \"seconds\": %.9g, \"cpu_seconds\": %.9g}\n",
      path.c_str(), body.num_qubits(), prog.circuit.operations().size(), body.operations().size(),
      fieldlab::max_threads(), precision.c_str(), t.wall, t.cpu);
  return 0;
}

// bench_quantum --qkan-fit 1,5,10,15,20 [--steps 100] [--optimizer lbfgs|adam] [--readout R]
// [--samples N] [--threads T]: the reference notebook's protocol ([2,5,1] on exp(sin(pi x) + y^2),
// 1000/1000 points, layer extension between stages, L-BFGS steps of 20 strong-Wolfe iterations);
// one JSON line with the MSE after every stage.
int qkan_fit(int argc, char** argv) {
  qkan::RegressionConfig c;
  c.steps = 100;
  int threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw fieldlab::Error(fieldlab::ErrorKind::usage, a + " needs a value");
      return argv[++i];
    };
    if (a == "--qkan-fit") {
      c.reps_schedule.clear();
      const std::string list = next();
      for (std::size_t p = 0; p < list.size();) {
        const std::size_t q = std::min(list.find(',', p), list.size());
        c.reps_schedule.push_back(std::stoi(list.substr(p, q - p)));
        p = q + 1;
      }
    } else if (a == "--steps") {
      c.steps = std::stoi(next());
    } else if (a == "--optimizer") {
      c.optimizer = next();
    } else if (a == "--readout") {
      c.readout = qkan::parse_readout(next().c_str());
    } else if (a == "--samples") {
      c.train_samples = c.test_samples = std::stoi(next());
    } else if (a == "--threads") {
      threads = std::stoi(next());
    } else {
      throw fieldlab::Error(fieldlab::ErrorKind::usage, "unknown option " + a);
    }
  }
  fieldlab::set_threads(threads);
  const double c0 = process_cpu_seconds();
  const qkan::RegressionResult r = qkan::train_regression(c);
  std::printf(
      "{\"steps_per_stage\": %d, \"iterations_per_step\": %d, \"params\": %zu, "
      "\"seconds\": %.4g, \"cpu_seconds\": %.4g, \"stages\": [",
      c.steps, c.lbfgs_iterations, r.params, r.seconds, process_cpu_seconds() - c0);
  for (std::size_t k = 0; k < r.stages.size(); ++k)
    std::printf("%s{\"reps\": %d, \"train_mse\": %.6g, \"test_mse\": %.6g}", k ? ", " : "",
                r.stages[k].reps, r.stages[k].train_mse, r.stages[k].test_mse);
  std::printf("], \"test_mse\": %.6g}\n", r.test_mse);
  return 0;
}

// bench_quantum --stream [--threads T]: the machine's memory bandwidth for the gate kernels'
// access pattern (read and write every element of a 1 GiB array once, in place, as a one-qubit
// gate does): best of 5 passes, in GB/s counting 2 x 1 GiB per pass. The per-gate
// memory-bandwidth fraction in run_idle.sh divides by this.
int stream(int argc, char** argv) {
  int threads = 1;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::stoi(argv[++i]);
  fieldlab::set_threads(threads);
  const long long n = 1LL << 27;  // doubles: 1 GiB
  std::vector<double> a(static_cast<std::size_t>(n));
#pragma omp parallel for schedule(static)
  for (long long i = 0; i < n; ++i) a[i] = 1.0;
  double best = 1e300;
  for (int r = 0; r < 5; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
#pragma omp parallel for schedule(static)
    for (long long i = 0; i < n; ++i) a[i] = a[i] * 0.999 + 1e-3;
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::printf(
      "{\"threads\": %d, \"bytes\": %lld, \"seconds\": %.6g, \"gb_per_s\": %.4g, "
      "\"check\": %.3f}\n",
      fieldlab::max_threads(), 16 * n, best, 16.0 * n / best / 1e9, a[n / 2]);
  return 0;
}

// bench_quantum --qkan-layer BATCH,IN,OUT,REPS [--threads T] [--reps N]: forward + backward of one
// QKAN layer with the MSE loss (QkanNetwork::mse_and_gradient, what qkan's layer(x) +
// loss.backward() does), best wall and process CPU time of N runs after a warm-up.
int qkan_layer_time(int argc, char** argv) {
  int batch = 256, in = 16, out = 16, reps = 3, threads = 1, runs = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--qkan-layer" && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%d,%d,%d,%d", &batch, &in, &out, &reps) != 4)
        throw fieldlab::Error(fieldlab::ErrorKind::usage, "--qkan-layer takes BATCH,IN,OUT,REPS");
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::stoi(argv[++i]);
    } else if (a == "--reps" && i + 1 < argc) {
      runs = std::stoi(argv[++i]);
    } else {
      throw fieldlab::Error(fieldlab::ErrorKind::usage, "unknown option " + a);
    }
  }
  fieldlab::set_threads(threads);
  qkan::QkanNetwork net({in, out}, reps, qkan::DaruanReadout::pauli_z, 1);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> x(static_cast<std::size_t>(batch) * in),
      y(static_cast<std::size_t>(batch) * out), grad;
  for (double& v : x) v = u(rng);
  for (double& v : y) v = u(rng);
  const BestTimes t = best_of(
      runs, [] {},
      [&] {
        if (!std::isfinite(net.mse_and_gradient(x, y, batch, grad)))
          throw std::runtime_error("QKAN loss not finite");
      });
  std::printf(
      "{\"batch\": %d, \"in\": %d, \"out\": %d, \"reps\": %d, \"threads\": %d, "
      "\"seconds\": %.6g, \"cpu_seconds\": %.6g}\n",
      batch, in, out, reps, fieldlab::max_threads(), t.wall, t.cpu);
  return 0;
}

// bench_quantum --qrc-steps [--threads T] [--steps N]: exact features of the default onion QRC
// configuration (four 4-qubit density-matrix sub-reservoirs) over an N-step NARMA10 input; time
// steps per second by wall and by process CPU time, best of 3 after a warm-up.
int qrc_steps(int argc, char** argv) {
  int threads = 1, steps = 200;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else if (a == "--steps" && i + 1 < argc)
      steps = std::stoi(argv[++i]);
    else if (a != "--qrc-steps")
      throw fieldlab::Error(fieldlab::ErrorKind::usage, "unknown option " + a);
  }
  fieldlab::set_threads(threads);
  const auto series = qrc::narma10(steps, 1);
  const BestTimes t = best_of(
      3, [] {},
      [&] {
        qrc::QuantumReservoir res(qrc::default_onion(1), 1);
        if (!std::isfinite(res.features(series.inputs).sum()))
          throw std::runtime_error("QRC features not finite");
      });
  std::printf(
      "{\"steps\": %d, \"threads\": %d, \"seconds\": %.6g, \"cpu_seconds\": %.6g, "
      "\"steps_per_s\": %.5g, \"steps_per_cpu_s\": %.5g}\n",
      steps, fieldlab::max_threads(), t.wall, t.cpu, steps / t.wall, steps / t.cpu);
  return 0;
}

}  // namespace

BENCHMARK_CAPTURE(BM_gate_c128, h_c128, GateKind::h, false)->Apply(gate_args)->UseRealTime();
BENCHMARK_CAPTURE(BM_gate_c64, h_c64, GateKind::h, false)->Apply(gate_args)->UseRealTime();
BENCHMARK_CAPTURE(BM_gate_c128, rz_c128, GateKind::rz, false)->Apply(gate_args)->UseRealTime();
BENCHMARK_CAPTURE(BM_gate_c128, cnot_c128, GateKind::x, true)->Apply(gate_args)->UseRealTime();
BENCHMARK_CAPTURE(BM_gate_c128, rxx_c128, GateKind::rxx, false)->Apply(gate_args)->UseRealTime();
BENCHMARK_CAPTURE(BM_circuit, qft_fused, qft_circuit, true)
    ->Args({20, 1})
    ->Args({20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_circuit, qft_unfused, qft_circuit, false)
    ->Args({20, 1})
    ->Args({20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_circuit, random_fused, random_circuit, true)
    ->Args({20, 1})
    ->Args({20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_circuit, random_unfused, random_circuit, false)
    ->Args({20, 1})
    ->Args({20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_qkan)
    ->Args({256, 16, 16, 3, 1})
    ->Args({256, 16, 16, 3, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_onion_qrc_steps)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
  // Command-line modes for run_idle.sh / peers.py (one JSON line each); otherwise the Google
  // Benchmark suite.
  const std::pair<const char*, int (*)(int, char**)> modes[] = {{"--qkan-fit", qkan_fit},
                                                                {"--stream", stream},
                                                                {"--qkan-layer", qkan_layer_time},
                                                                {"--qrc-steps", qrc_steps}};
  for (int i = 1; i < argc; ++i)
    for (const auto& [flag, mode] : modes)
      if (std::strcmp(argv[i], flag) == 0) {
        try {
          return mode(argc, argv);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "bench_quantum: error: %s\n", e.what());
          return 2;
        }
      }
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--qasm") == 0) {
      try {
        return time_qasm(argc, argv);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_quantum: error: %s\n", e.what());
        return 2;
      }
    }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
