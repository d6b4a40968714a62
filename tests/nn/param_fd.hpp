#pragma once
// Parameter gradients of a whole model's loss against central finite differences, for a few
// elements of named parameters (first, middle, last).

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace fieldlab::nn::testing {

// Elements `indices` of the store's flat parameter buffer.
inline void check_parameter_elements(ParameterStore& store,
                                     const std::function<Var(Graph&)>& loss_of,
                                     const std::vector<std::int64_t>& indices, float eps,
                                     double atol, double rtol) {
  store.zero_grad();
  Graph g;
  g.backward(loss_of(g));
  const std::vector<float> analytic(store.grads().begin(), store.grads().end());
  auto values = store.values();
  for (std::int64_t i : indices) {
    const float orig = values[i];
    auto eval = [&](float v) {
      values[i] = v;
      Graph ng;
      NoGradGuard guard(ng);
      return static_cast<double>(loss_of(ng).value()[0]);
    };
    const double numeric = (eval(orig + eps) - eval(orig - eps)) / (2 * eps);
    values[i] = orig;
    INFO("parameter element " << i << ": analytic " << analytic[i] << " numeric " << numeric);
    CHECK(std::abs(analytic[i] - numeric) <= atol + rtol * std::abs(numeric));
  }
}

// First, middle and last element of each named parameter.
inline void check_parameter_gradients(ParameterStore& store,
                                      const std::function<Var(Graph&)>& loss_of,
                                      const std::vector<std::string>& names, float eps = 3e-3f,
                                      double atol = 5e-4, double rtol = 1e-2) {
  std::vector<std::int64_t> indices;
  for (const auto& name : names) {
    const auto& info = store.parameters()[store.index(name)];
    for (std::int64_t j : {std::int64_t{0}, info.size / 2, info.size - 1})
      indices.push_back(info.offset + j);
  }
  check_parameter_elements(store, loss_of, indices, eps, atol, rtol);
}

}  // namespace fieldlab::nn::testing
