// Tensor views, the parameter store, tape mechanics: accumulation, no-grad mode, arena reuse.

#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/graph.hpp"
#include "nn/ops.hpp"

using namespace fieldlab::nn;

TEST_CASE("tensor shape, strides and reshape") {
  Tensor t({2, 3, 4});
  CHECK(t.numel() == 24);
  CHECK(t.strides() == Shape{12, 4, 1});
  CHECK(t.size(-1) == 4);
  Tensor r = t.reshaped({6, 4});
  r[5] = 3.0f;
  CHECK(t[5] == 3.0f);  // a view
  CHECK(t.clone().data() != t.data());
  CHECK_THROWS_AS(t.reshaped({5, 5}), fieldlab::Error);
  CHECK_THROWS_AS(Tensor({2}, {1.0f}), fieldlab::Error);
}

TEST_CASE("parameter store: one buffer, views by name") {
  ParameterStore s;
  const int a = s.add("a.weight", {2, 3});
  s.add("a.bias", {2});
  CHECK(s.size() == 8);
  CHECK_THROWS_AS(s.value(a), fieldlab::Error);  // before allocate()
  s.allocate();
  s.value("a.bias")[1] = 5.0f;
  CHECK(s.values()[7] == 5.0f);
  CHECK(s.parameters()[1].offset == 6);
  CHECK_THROWS_AS(s.index("nope"), fieldlab::Error);
  CHECK_THROWS_AS(s.add("late", {1}), fieldlab::Error);
}

#if !defined(__SANITIZE_ADDRESS__)  // the test below is skipped under ASan
namespace {
// Resident set size in bytes, from /proc/self/statm (pages).
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
}
}  // namespace
#endif

TEST_CASE("parameter store: the gradient buffer is zero but not resident until written") {
  // Inference never writes gradients; a 64 MiB model should cost 64 MiB, not 128.
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("skipped under AddressSanitizer (its allocator fills calloc'd memory itself)");
#else
  const std::int64_t n = std::int64_t{16} << 20;  // 16 Mi floats = 64 MiB
  const double bytes = 4.0 * static_cast<double>(n);
  ParameterStore s;
  s.add("w", {n});
  const double before = resident_bytes();
  s.allocate();  // values are zero-filled (written), gradients come untouched from calloc
  const double after_allocate = resident_bytes() - before;
  CHECK(s.grads()[n / 2] == 0.0f);
  s.zero_grad();
  const double after_zero_grad = resident_bytes() - before;
  MESSAGE("resident after allocate " << after_allocate / bytes << " x values, after zero_grad "
                                     << after_zero_grad / bytes);
  CHECK(after_allocate < 1.25 * bytes);
  CHECK(after_zero_grad > 1.75 * bytes);
#endif
}

TEST_CASE("gradients accumulate across backward passes until zero_grad") {
  ParameterStore s;
  const int w = s.add("w", {3});
  s.allocate();
  s.value(w)[0] = 1;
  s.value(w)[1] = 2;
  s.value(w)[2] = 3;
  for (int pass = 1; pass <= 2; ++pass) {
    Graph g;
    Var p = g.parameter(s, w);
    g.backward(sum(mul(p, p)));  // d/dw = 2w
    CHECK(s.grad(w)[2] == doctest::Approx(6.0 * pass));
  }
  s.zero_grad();
  CHECK(s.grad(w)[2] == 0.0f);
}

TEST_CASE("no-grad mode records nothing") {
  ParameterStore s;
  const int w = s.add("w", {3});
  s.allocate();
  Graph g;
  {
    NoGradGuard guard(g);
    Var y = sum(tanh(g.parameter(s, w)));
    CHECK_FALSE(g.requires_grad(y));
    CHECK_THROWS_AS(g.backward(y), fieldlab::Error);
  }
  CHECK(g.recording());
  Var y = sum(tanh(g.parameter(s, w)));
  CHECK(g.requires_grad(y));
}

TEST_CASE("backward twice on one graph is refused") {
  Graph g;
  Var x = g.variable(Tensor({2}, {1, 2}));
  Var y = sum(x);
  g.backward(y);
  CHECK_THROWS_AS(g.backward(y), fieldlab::Error);
}

TEST_CASE("a repeated step reuses the arena: no allocation after the first") {
  // The first step runs on fresh memory and is planned when it ends (the reset() that starts the
  // second step allocates the plan's slab); from then on nothing is allocated.
  ParameterStore s;
  const int w = s.add("w", {4, 3, 3, 3});
  const int b = s.add("b", {4});
  s.allocate();
  auto x = fieldlab::nn::testing::random_tensor({2, 3, 8, 8}, 1);
  Graph g;
  std::size_t after_first = 0;
  for (int step = 0; step < 3; ++step) {
    g.reset();
    if (step == 1) after_first = g.arena().allocations();
    Var y = conv2d(g.constant(x), g.parameter(s, w), g.parameter(s, b), Padding::circular);
    y = upsample_bicubic2x(avg_pool2x2(gelu(y)), Padding::zeros);
    g.backward(mean(mul(y, y)));
  }
  CHECK(after_first > 0);
  CHECK(g.arena().allocations() == after_first);
}

TEST_CASE("backward recycles the gradients of op outputs: peak = activations + live gradients") {
  // A chain of 16 tanh layers on a [64, 64] variable. Without recycling the arena would hold 16
  // activations + 17 gradients; with it, each gradient buffer is handed on down the chain.
  constexpr int depth = 16;
  const auto x = fieldlab::nn::testing::random_tensor({64, 64}, 3);
  const std::size_t bytes = 64 * 64 * sizeof(float);
  Graph g;
  for (int step = 0; step < 2; ++step) {
    g.reset();
    Var in = g.variable(x);
    Var h = in;
    std::vector<Var> layers;
    for (int i = 0; i < depth; ++i) layers.push_back(h = tanh(h));
    g.backward(sum(h));
    // d/dx of sum(tanh^16(x)) by the chain rule, from the forward values.
    const Tensor gx = in.grad();
    for (std::int64_t i = 0; i < x.numel(); i += 97) {
      double d = 1.0;
      for (int k = 0; k < depth; ++k)
        d *= 1.0 - double(layers[k].value()[i]) * layers[k].value()[i];
      CHECK(gx[i] == doctest::Approx(d).epsilon(1e-5));
    }
    CHECK(layers[depth / 2].grad().empty());  // recycled
  }
  // 16 activations + the input gradient + a handful of recycled buffers (+ scalars).
  CHECK(g.arena().bytes_reserved() < (depth + 4) * bytes);
  CHECK(g.arena().bytes_reserved() >= (depth + 1) * bytes);
}
