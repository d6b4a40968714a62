#pragma once
// Finite-difference gradient checking for nn ops (the ggml test-backend-ops approach): the scalar
// objective is sum(output * R) with a fixed random R, evaluated in double from the float32 output;
// analytic gradients come from one backward pass, numerical ones from central differences.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <vector>

#include "nn/graph.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn::testing {

inline Tensor random_tensor(Shape shape, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  Tensor t(std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = u(rng);
  return t;
}

using OpFn = std::function<Var(Graph&, const std::vector<Var>&)>;

struct GradCheckOptions {
  float eps = 1e-2f;
  double atol = 5e-4;
  double rtol = 5e-3;
  int max_checks_per_input = 64;  // elements sampled per input (all when fewer)
};

// Returns the largest error relative to the tolerance (<= 1 passes) and CHECKs every element.
inline double check_gradients(const OpFn& op, std::vector<Tensor> inputs,
                              GradCheckOptions opt = {}) {
  // Weights of the objective, shaped like the output.
  Tensor weights;
  {
    Graph g;
    NoGradGuard ng(g);
    std::vector<Var> vs;
    for (auto& t : inputs) vs.push_back(g.constant(t));
    weights = random_tensor(op(g, vs).shape(), 12345);
  }
  auto objective = [&]() {
    Graph g;
    NoGradGuard ng(g);
    std::vector<Var> vs;
    for (auto& t : inputs) vs.push_back(g.constant(t));
    const Tensor& out = op(g, vs).value();
    double s = 0;
    for (std::int64_t i = 0; i < out.numel(); ++i) s += static_cast<double>(out[i]) * weights[i];
    return s;
  };
  Graph g;
  std::vector<Var> vs;
  for (auto& t : inputs) vs.push_back(g.variable(t));
  Var out = op(g, vs);
  g.backward(sum(mul(out, g.constant(weights))));
  double worst = 0;
  std::mt19937 rng(7);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Tensor analytic = vs[k].grad();
    REQUIRE_FALSE(analytic.empty());
    Tensor& x = inputs[k];
    std::vector<std::int64_t> idx(x.numel());
    for (std::int64_t i = 0; i < x.numel(); ++i) idx[i] = i;
    if (static_cast<int>(idx.size()) > opt.max_checks_per_input) {
      std::shuffle(idx.begin(), idx.end(), rng);
      idx.resize(opt.max_checks_per_input);
    }
    for (std::int64_t i : idx) {
      const float orig = x[i];
      x[i] = orig + opt.eps;
      const double fp = objective();
      x[i] = orig - opt.eps;
      const double fm = objective();
      x[i] = orig;
      const double numeric = (fp - fm) / (2.0 * opt.eps);
      const double a = analytic[i];
      const double tol = opt.atol + opt.rtol * std::max(std::abs(a), std::abs(numeric));
      worst = std::max(worst, std::abs(a - numeric) / tol);
      INFO("input " << k << " element " << i << ": analytic " << a << " numeric " << numeric);
      CHECK(std::abs(a - numeric) <= tol);
    }
  }
  // FIELDLAB_GRADCHECK_VERBOSE=1 prints how close each check came to its tolerance.
  if (std::getenv("FIELDLAB_GRADCHECK_VERBOSE"))
    std::fprintf(stderr, "gradcheck: worst error / tolerance = %.3f (eps %g, atol %g, rtol %g)\n",
                 worst, opt.eps, opt.atol, opt.rtol);
  return worst;
}

}  // namespace fieldlab::nn::testing
