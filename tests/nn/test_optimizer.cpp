// Optimiser updates against hand-computed values (PyTorch's update rules), clipping, schedule.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "nn/optimizer.hpp"

using namespace fieldlab::nn;

namespace {
ParameterStore two_params(float p0, float p1) {
  ParameterStore s;
  s.add("p", {2});
  s.allocate();
  s.values()[0] = p0;
  s.values()[1] = p1;
  return s;
}
void set_grads(ParameterStore& s, float g0, float g1) {
  s.grads()[0] = g0;
  s.grads()[1] = g1;
}
}  // namespace

TEST_CASE("SGD with momentum") {
  auto s = two_params(1.0f, -2.0f);
  OptimizerConfig c;
  c.kind = OptimizerKind::sgd;
  c.momentum = 0.9f;
  Optimizer opt(c, s.size());
  set_grads(s, 0.5f, 1.0f);
  opt.step(s, 0.1f);  // buf = g: p = 1 - 0.05, -2 - 0.1
  CHECK(s.values()[0] == doctest::Approx(0.95));
  CHECK(s.values()[1] == doctest::Approx(-2.1));
  set_grads(s, 0.5f, -1.0f);
  opt.step(s, 0.1f);  // buf = 0.9*0.5+0.5 = 0.95; 0.9*1-1 = -0.1
  CHECK(s.values()[0] == doctest::Approx(0.95 - 0.095));
  CHECK(s.values()[1] == doctest::Approx(-2.1 + 0.01));
}

TEST_CASE("Adam: the first step moves each parameter by lr against its gradient's sign") {
  auto s = two_params(1.0f, -2.0f);
  OptimizerConfig c;
  c.kind = OptimizerKind::adam;
  Optimizer opt(c, s.size());
  set_grads(s, 0.5f, -3.0f);
  opt.step(s, 0.01f);
  // m_hat = g, v_hat = g^2: step = lr * g / (|g| + eps)
  CHECK(s.values()[0] == doctest::Approx(1.0 - 0.01 * 0.5 / (0.5 + 1e-8)));
  CHECK(s.values()[1] == doctest::Approx(-2.0 + 0.01));
  set_grads(s, 1.0f, 0.0f);
  opt.step(s, 0.01f);
  // m = 0.1*0.5*0.9 + 0.1*1 = 0.145, v = 0.001*0.25*0.999 + 0.001*1 = 0.00124975
  const double m = 0.9 * 0.05 + 0.1, v = 0.999 * 0.00025 + 0.001;
  const double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
  CHECK(s.values()[0] ==
        doctest::Approx(1.0 - 0.01 * 0.5 / (0.5 + 1e-8) - 0.01 * mh / (std::sqrt(vh) + 1e-8)));
}

TEST_CASE("AdamW decays the weights before the Adam step; Adam adds decay to the gradient") {
  auto s = two_params(2.0f, 0.0f);
  OptimizerConfig c;
  c.kind = OptimizerKind::adamw;
  c.weight_decay = 0.1f;
  Optimizer opt(c, s.size());
  set_grads(s, 1.0f, 0.0f);
  opt.step(s, 0.01f);
  CHECK(s.values()[0] == doctest::Approx(2.0 * (1 - 0.001) - 0.01 * 1.0 / (1.0 + 1e-8)));
  CHECK(s.values()[1] == 0.0f);  // zero gradient, zero moments: no movement
  auto s2 = two_params(2.0f, 0.0f);
  c.kind = OptimizerKind::adam;
  Optimizer adam(c, s2.size());
  set_grads(s2, -0.2f, 0.0f);  // effective gradient -0.2 + 0.1 * 2 = 0
  adam.step(s2, 0.01f);
  CHECK(s2.values()[0] == doctest::Approx(2.0));
}

TEST_CASE("gradient clipping by global norm") {
  auto s = two_params(0, 0);
  set_grads(s, 3.0f, 4.0f);
  CHECK(clip_grad_norm(s, 1.0) == doctest::Approx(5.0));
  CHECK(s.grads()[0] == doctest::Approx(0.6).epsilon(1e-5));
  CHECK(s.grads()[1] == doctest::Approx(0.8).epsilon(1e-5));
  set_grads(s, 0.3f, 0.4f);
  clip_grad_norm(s, 1.0);
  CHECK(s.grads()[0] == 0.3f);  // under the limit: untouched
  set_grads(s, NAN, 0.0f);
  CHECK_THROWS_AS(clip_grad_norm(s, 1.0), fieldlab::Error);
}

TEST_CASE("linear warm-up then cosine decay") {
  WarmupCosineSchedule sch{1e-3, 1e-7, 1e-7, 10, 110};
  CHECK(sch(0) == doctest::Approx(1e-7));
  CHECK(sch(5) == doctest::Approx(1e-7 + 0.5 * (1e-3 - 1e-7)));
  CHECK(sch(10) == doctest::Approx(1e-3));
  CHECK(sch(60) == doctest::Approx(1e-7 + 0.5 * (1e-3 - 1e-7)));
  CHECK(sch(110) == doctest::Approx(1e-7));
  CHECK(sch(500) == doctest::Approx(1e-7));
  CHECK_THROWS_AS(parse_optimizer_kind("rmsprop"), fieldlab::Error);
}
