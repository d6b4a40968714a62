// Runs the op table (op_table.hpp): every case's forward against its double-precision reference
// and its input gradients against central differences; prints the coverage (one line per op)
// and fails when an op declared in nn/ops.hpp has no entry, so a new op cannot skip its checks.

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/threads.hpp"
#include "grad_check.hpp"
#include "op_table.hpp"

using namespace fieldlab::nn;
using namespace fieldlab::nn::op_table;

namespace {

// The names of the functions nn/ops.hpp declares as returning a Var (one declaration per line,
// as clang-format leaves them).
std::set<std::string> declared_ops() {
  std::ifstream in(FIELDLAB_OPS_HEADER);
  REQUIRE_MESSAGE(in.good(), "cannot read " << FIELDLAB_OPS_HEADER);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const std::regex declaration(R"((^|\n)Var\s+([a-z_0-9]+)\s*\()");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), declaration);
       it != std::sregex_iterator(); ++it)
    names.insert((*it)[2].str());
  return names;
}

struct Coverage {
  int cases = 0;
  bool forward = true, gradient = true, bench = false;
  int gradient_cases = 0;
  std::string note;
};

}  // namespace

TEST_CASE("every op declared in nn/ops.hpp has an op-table entry, and every entry is declared") {
  const std::set<std::string> declared = declared_ops();
  CHECK(declared.size() >= 40);  // the parse found the header's declarations
  std::set<std::string> tabled;
  for (const OpCase& c : all_cases()) tabled.insert(c.op);
  for (const std::string& op : declared) {
    INFO("nn/ops.hpp declares " << op << " but tests/nn/op_table_*.cpp has no entry for it");
    CHECK(tabled.count(op) == 1);
  }
  for (const std::string& op : tabled) {
    INFO("the op table lists " << op << ", which nn/ops.hpp does not declare");
    CHECK(declared.count(op) == 1);
  }
}

TEST_CASE("op table: planned steps (arena reused after reset) repeat the first step exactly") {
  // The first step frees by reference counts, later ones follow the memory plan made from it: an
  // op that reads a value its closure did not hold (a missing hold, a wrong weak()) breaks here.
  for (const OpCase& c : all_cases()) {
    if (!c.gradient.defined) continue;
    CAPTURE(c.op);
    CAPTURE(c.variant);
    const std::vector<Tensor> inputs = make_inputs(c);
    Graph g;
    std::vector<std::vector<float>> first;
    for (int step = 0; step < 3; ++step) {
      g.reset();
      std::vector<Var> vs;
      for (const Tensor& t : inputs) vs.push_back(g.variable(t));
      Var y = c.build(g, vs);
      std::vector<std::vector<float>> results{y.value().to_vector()};
      Var weights = g.constant(testing::random_tensor(y.shape(), 5));
      g.backward(sum(mul(y, weights)));
      for (const Var& v : vs) results.push_back(v.grad().to_vector());
      if (step == 0)
        first = results;
      else
        CHECK(results == first);
    }
  }
}

TEST_CASE("op table: results do not depend on the thread count") {
  // The cases past the OpenMP thresholds take the parallel paths with 3 threads; forward values
  // and gradients must equal the single-threaded ones bit for bit (no reduction whose order
  // follows the schedule).
  const int previous = fieldlab::max_threads();
  auto run = [](const OpCase& c, const std::vector<Tensor>& inputs, int threads) {
    fieldlab::set_threads(threads);
    Graph g;
    std::vector<Var> vs;
    for (const Tensor& t : inputs) vs.push_back(g.variable(t));
    Var y = c.build(g, vs);
    std::vector<std::vector<float>> results{y.value().to_vector()};
    g.backward(sum(mul(y, g.constant(testing::random_tensor(y.shape(), 5)))));
    for (const Var& v : vs) results.push_back(v.grad().to_vector());
    return results;
  };
  for (const OpCase& c : all_cases()) {
    if (!c.gradient.defined) continue;
    CAPTURE(c.op);
    CAPTURE(c.variant);
    const std::vector<Tensor> inputs = make_inputs(c);
    CHECK(run(c, inputs, 3) == run(c, inputs, 1));
  }
  fieldlab::set_threads(previous);
}

TEST_CASE("op table: forward against the reference, gradients against central differences") {
  std::map<std::string, Coverage> coverage;
  for (const OpCase& c : all_cases()) {
    CAPTURE(c.op);
    CAPTURE(c.variant);
    Coverage& cov = coverage[c.op];
    ++cov.cases;
    cov.bench = cov.bench || !c.bench_shapes.empty();
    if (!c.bench_shapes.empty()) CHECK(c.bench_shapes.size() == c.inputs.size());
    const std::vector<Tensor> inputs = make_inputs(c);
    {
      Graph g;
      std::vector<Var> vs;
      for (const Tensor& t : inputs) vs.push_back(g.constant(t));
      const double err = forward_error(c, c.build(g, vs).value(), inputs);
      INFO("forward error " << err << " (tolerance " << c.forward_tolerance << ")");
      CHECK(err <= c.forward_tolerance);
      cov.forward = cov.forward && err <= c.forward_tolerance;
    }
    if (!c.gradient.note.empty()) cov.note = c.gradient.note;
    if (!c.gradient.defined) continue;
    testing::GradCheckOptions opt;
    opt.eps = c.gradient.eps;
    opt.atol = c.gradient.atol;
    opt.rtol = c.gradient.rtol;
    opt.max_checks_per_input = c.gradient.max_checks_per_input;
    const double worst = testing::check_gradients(
        [&c](Graph& g, const std::vector<Var>& v) { return c.build(g, v); }, inputs, opt);
    ++cov.gradient_cases;
    cov.gradient = cov.gradient && worst <= 1.0;
  }
  std::printf("op table coverage: %zu ops, %zu cases\n", coverage.size(), all_cases().size());
  std::printf("  %-30s %5s  %-8s %-9s %-5s %s\n", "op", "cases", "forward", "gradient", "bench",
              "note");
  for (const auto& [op, cov] : coverage) {
    const char* gradient = cov.gradient_cases == 0 ? "n/a" : (cov.gradient ? "ok" : "FAILED");
    std::printf("  %-30s %5d  %-8s %-9s %-5s %s\n", op.c_str(), cov.cases,
                cov.forward ? "ok" : "FAILED", gradient, cov.bench ? "yes" : "no",
                cov.note.c_str());
    INFO(op << " has no benchmark entry");
    CHECK(cov.bench);
  }
}
