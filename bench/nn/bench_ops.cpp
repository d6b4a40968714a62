// Google Benchmark over the op table (tests/nn/op_table.hpp): for every case with a bench size,
// the forward alone (no gradient recording) and forward + backward, timed on a reused Graph (the
// arena is planned after the first iteration, as in training). Before a case is timed its forward
// is checked against the table's double-precision reference at the test size, and the bench-size
// output must be finite; a case that fails is reported as an error instead of a time.
//
//   bench_ops --benchmark_filter='matmul' --benchmark_out=ops.json --benchmark_out_format=json
//
// Names: <op>/<case index>/{forward,backward}, labelled with the bench shapes and the variant.
// Counters: elements/s of the output and GB/s of the inputs plus output read or written once (a
// lower bound on the traffic). The backward seeds with sum(y) (one cheap extra op) unless y is a
// scalar.

#include <benchmark/benchmark.h>

#include <cmath>
#include <string>

#include "nn/graph.hpp"
#include "nn/ops.hpp"
#include "op_table.hpp"

namespace {

using namespace fieldlab::nn;
using namespace fieldlab::nn::op_table;

// Empty when the case's forward agrees with its reference (test size) and is finite (bench size).
std::string check_case(const OpCase& c) {
  {
    const std::vector<Tensor> in = make_inputs(c);
    Graph g;
    NoGradGuard ng(g);
    std::vector<Var> vs;
    for (const Tensor& t : in) vs.push_back(g.constant(t));
    const double err = forward_error(c, c.build(g, vs).value(), in);
    if (!(err <= c.forward_tolerance))
      return c.op + ": forward disagrees with the reference (error " + std::to_string(err) + ")";
  }
  const std::vector<Tensor> in = make_inputs(c, true);
  Graph g;
  NoGradGuard ng(g);
  std::vector<Var> vs;
  for (const Tensor& t : in) vs.push_back(g.constant(t));
  const Tensor& y = c.build(g, vs).value();
  for (std::int64_t i = 0; i < y.numel(); ++i)
    if (!std::isfinite(y[i])) return c.op + ": non-finite output at the bench size";
  return {};
}

void run_case(benchmark::State& state, const OpCase* c, bool backward, const std::string* error) {
  if (!error->empty()) {
    state.SkipWithError(error->c_str());
    return;
  }
  const std::vector<Tensor> in = make_inputs(*c, true);
  std::int64_t in_elements = 0, out_elements = 0;
  for (const Tensor& t : in) in_elements += t.numel();
  Graph g;
  for (auto _ : state) {
    g.reset();
    std::vector<Var> vs;
    if (backward) {
      for (const Tensor& t : in) vs.push_back(g.variable(t));
      Var y = c->build(g, vs);
      out_elements = y.value().numel();
      g.backward(out_elements == 1 ? y : sum(y));
    } else {
      NoGradGuard ng(g);
      for (const Tensor& t : in) vs.push_back(g.constant(t));
      Var y = c->build(g, vs);
      out_elements = y.value().numel();
      benchmark::DoNotOptimize(y.value().data());
    }
  }
  std::string label = "bench";
  for (const Shape& s : c->bench_shapes) label += " " + std::string(to_string(s));
  state.SetLabel(label + " (test case: " + c->variant + ")");
  state.counters["elements/s"] = benchmark::Counter(static_cast<double>(out_elements),
                                                    benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GB/s"] = benchmark::Counter(
      4e-9 * static_cast<double>(in_elements + out_elements) * (backward ? 2 : 1),
      benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::vector<OpCase>& cases = all_cases();
  static std::vector<std::string> errors(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].bench_shapes.empty()) continue;
    errors[i] = check_case(cases[i]);
    for (bool backward : {false, true}) {
      const std::string name =
          cases[i].op + "/" + std::to_string(i) + (backward ? "/backward" : "/forward");
      benchmark::RegisterBenchmark(name.c_str(), run_case, &cases[i], backward, &errors[i])
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
