// L-BFGS: PyTorch parity on Rosenbrock (same iterations, evaluations and iterate as
// torch.optim.LBFGS in float64), finite termination on a quadratic with exact line searches, the
// ParameterStore adaptor, and errors.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "nn/lbfgs.hpp"

using namespace fieldlab::nn;

namespace {

double rosenbrock(std::span<const double> x, std::span<double> g) {
  const double a = 1 - x[0], b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return a * a + 100 * b * b;
}

// f = x^T A x / 2 - b^T x with A = Hilbert(n) + diag(1..n) (SPD, condition ~ 10), b_i = sin(i+1).
struct Quadratic {
  int n;
  std::vector<double> a, b;
  explicit Quadratic(int size) : n(size), a(size * size), b(size) {
    for (int i = 0; i < n; ++i) {
      b[i] = std::sin(i + 1.0);
      for (int j = 0; j < n; ++j) a[i * n + j] = 1.0 / (i + j + 1) + (i == j ? 1.0 + i : 0.0);
    }
  }
  double operator()(std::span<const double> x, std::span<double> g) const {
    double f = 0;
    for (int i = 0; i < n; ++i) {
      double ax = 0;
      for (int j = 0; j < n; ++j) ax += a[i * n + j] * x[j];
      g[i] = ax - b[i];
      f += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return f;
  }
  // The minimiser by Gaussian elimination (no pivoting needed: A is SPD).
  std::vector<double> solve() const {
    std::vector<double> m = a, r = b;
    for (int k = 0; k < n; ++k)
      for (int i = k + 1; i < n; ++i) {
        const double l = m[i * n + k] / m[k * n + k];
        for (int j = k; j < n; ++j) m[i * n + j] -= l * m[k * n + j];
        r[i] -= l * r[k];
      }
    std::vector<double> x(n);
    for (int i = n - 1; i >= 0; --i) {
      double s = r[i];
      for (int j = i + 1; j < n; ++j) s -= m[i * n + j] * x[j];
      x[i] = s / m[i * n + i];
    }
    return x;
  }
};

}  // namespace

TEST_CASE("L-BFGS strong Wolfe on Rosenbrock matches torch.optim.LBFGS (float64)") {
  // torch.optim.LBFGS([x], lr=1, max_iter=500, tolerance_grad=1e-12, tolerance_change=1e-14,
  // history_size=10, line_search_fn="strong_wolfe") from (-1.2, 1) in float64 (torch 2.x):
  // 37 iterations, 45 closure evaluations, x = (0.9999999942651888, 0.9999999879364829).
  LbfgsOptions o;
  o.max_iter = 500;
  o.tolerance_grad = 1e-12;
  o.tolerance_change = 1e-14;
  o.history_size = 10;
  Lbfgs opt(2, o);
  std::vector<double> x{-1.2, 1.0};
  const LbfgsResult r = opt.step(x, rosenbrock);
  CHECK(r.initial_loss == doctest::Approx(24.2));
  CHECK(r.iterations == 37);
  CHECK(r.evaluations == 45);
  CHECK(r.reason == LbfgsStop::change_tolerance);
  CHECK(std::abs(x[0] - 0.9999999942651888) < 1e-12);
  CHECK(std::abs(x[1] - 0.9999999879364829) < 1e-12);
  // Converged: within 2e-8 of the minimiser (1, 1), f below 1e-15.
  CHECK(std::abs(x[0] - 1) < 2e-8);
  CHECK(std::abs(x[1] - 1) < 2e-8);
  CHECK(r.loss < 1e-15);
  CHECK(opt.history() == 10);
}

TEST_CASE("L-BFGS max_eval and fixed-step mode match torch.optim.LBFGS") {
  SUBCASE("default max_iter 20 stops at max_eval 25") {
    // torch: 19 iterations, 25 evaluations. (The trial points agree with torch's to ~1e-14 for
    // 13 evaluations, then a line-search branch decided by rounding separates them, so only the
    // counts are compared here; the converged run above compares iterates.)
    Lbfgs opt(2, LbfgsOptions{});
    std::vector<double> x{-1.2, 1.0};
    const LbfgsResult r = opt.step(x, rosenbrock);
    CHECK(r.iterations == 19);
    CHECK(r.evaluations == 25);
    CHECK(r.reason == LbfgsStop::max_eval);
    CHECK(r.loss < 1.0);
    // A second step() continues from the kept history, as PyTorch's state does.
    const LbfgsResult r2 = opt.step(x, rosenbrock);
    CHECK(r2.initial_loss == doctest::Approx(r.loss).epsilon(1e-12));
    CHECK(r2.loss < r.loss);
    CHECK(opt.total_iterations() == r.iterations + r2.iterations);
  }
  SUBCASE("line_search_fn=None: steps of length lr") {
    // torch: 89 iterations, 89 evaluations, x = (0.9999999951080071, 0.9999999880417724).
    LbfgsOptions o;
    o.max_iter = 500;
    o.tolerance_grad = 1e-12;
    o.tolerance_change = 1e-14;
    o.history_size = 10;
    o.strong_wolfe = false;
    Lbfgs opt(2, o);
    std::vector<double> x{-1.2, 1.0};
    const LbfgsResult r = opt.step(x, rosenbrock);
    CHECK(r.iterations == 89);
    CHECK(r.evaluations == 89);
    CHECK(std::abs(x[0] - 0.9999999951080071) < 1e-9);
    CHECK(std::abs(x[1] - 0.9999999880417724) < 1e-9);
  }
}

TEST_CASE("L-BFGS with exact line searches minimises an n-dimensional quadratic in n steps") {
  // With a full history and exact line searches L-BFGS equals BFGS, which on a quadratic
  // generates conjugate directions and terminates in at most n iterations. A tiny c2 forces the
  // zoom to the exact line minimum (the cubic through two points of a quadratic is exact).
  const int n = 10;
  Quadratic q(n);
  const auto exact = q.solve();
  LbfgsOptions o;
  o.max_iter = n;
  o.max_eval = 1000;
  o.tolerance_grad = 0;
  o.tolerance_change = 0;
  o.c1 = 1e-12;
  o.c2 = 1e-9;
  Lbfgs opt(n, o);
  std::vector<double> x(n, 0.0);
  const LbfgsResult r = opt.step(x, [&](auto xs, auto g) { return q(xs, g); });
  CHECK(r.iterations <= n);
  double err = 0;
  for (int i = 0; i < n; ++i) err = std::max(err, std::abs(x[i] - exact[i]));
  INFO("max |x - x*| after " << r.iterations << " iterations: " << err);
  CHECK(err < 1e-10);
  // After n - 2 iterations it is not there yet: the termination is the conjugacy, not luck.
  Lbfgs short_run(n, [&] {
    LbfgsOptions s = o;
    s.max_iter = n - 2;
    return s;
  }());
  std::vector<double> y(n, 0.0);
  short_run.step(y, [&](auto xs, auto g) { return q(xs, g); });
  double err_short = 0;
  for (int i = 0; i < n; ++i) err_short = std::max(err_short, std::abs(y[i] - exact[i]));
  CHECK(err_short > 1e-6);
}

TEST_CASE("L-BFGS over a float ParameterStore") {
  ParameterStore store;
  store.add("x", {2});
  store.allocate();
  store.values()[0] = -1.2f;
  store.values()[1] = 1.0f;
  LbfgsOptions o;
  o.max_iter = 200;
  o.tolerance_grad = 1e-6;
  o.tolerance_change = 1e-12;
  LbfgsParameterStore opt(store, o);
  int calls = 0;
  const LbfgsResult r = opt.step([&] {
    ++calls;
    std::vector<double> x{store.values()[0], store.values()[1]}, g(2);
    const double f = rosenbrock(x, g);
    store.grads()[0] += static_cast<float>(g[0]);  // a backward pass accumulates
    store.grads()[1] += static_cast<float>(g[1]);
    return f;
  });
  CHECK(calls == r.evaluations);
  // Float parameters: converged to float resolution around (1, 1).
  CHECK(store.values()[0] == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(store.values()[1] == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(r.loss < 1e-8);
}

TEST_CASE("L-BFGS errors") {
  CHECK_THROWS_AS(Lbfgs(0), fieldlab::Error);
  LbfgsOptions bad;
  bad.history_size = 0;
  CHECK_THROWS_AS(Lbfgs(2, bad), fieldlab::Error);
  bad = LbfgsOptions{};
  bad.c2 = 1e-5;  // c2 < c1
  CHECK_THROWS_AS(Lbfgs(2, bad), fieldlab::Error);
  Lbfgs opt(2);
  std::vector<double> wrong(3, 0.0);
  CHECK_THROWS_AS(opt.step(wrong, rosenbrock), fieldlab::Error);
  std::vector<double> x{1.0, 2.0};
  try {
    opt.step(x, [](auto, auto g) {
      g[0] = g[1] = 1;
      return std::nan("");
    });
    FAIL("no error for a NaN loss");
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::numerical);
    CHECK(std::string(e.what()).find("non-finite") != std::string::npos);
  }
}
