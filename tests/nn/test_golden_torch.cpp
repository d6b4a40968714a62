// Golden PyTorch fixtures (tests/fixtures/torch/, written once by
// tests/python/make_golden_fixtures.py; no torch needed here): the engine replays PyTorch's
// inputs on PyTorch's weights, loaded by state_dict name, and must reproduce its outputs and the
// gradients of every input and parameter (llm.c's test_gpt2.c). Cases: TransformerEncoderLayer
// with a key-padding mask, TransformerDecoderLayer with a causal self-attention mask and a memory
// key-padding mask (each post-norm relu and norm_first gelu), cross-entropy with an ignore index
// with and without label smoothing, batched matmul, and a SineNet AdamW step.
//
// Tolerances (float32 on both sides; the two differ only in summation order and in the exp /
// erf approximations): every comparison is |ours - torch| <= atol + rtol |torch|, on values of
// order 1 (inputs U(-1, 1), PyTorch's initialisation). Single ops (matmul, cross-entropy) reduce
// a handful of terms: atol 1e-6, rtol 1e-5, about ten float32 ulp (measured worst 0.04 of it). A
// transformer layer chains projections, a softmax, two or three LayerNorms and a feed-forward
// block whose rounding compounds (a LayerNorm's 1/std amplifies it): atol 2e-6, rtol 1e-5
// (measured worst 0.21 of it, decoder linear2.weight). SineNet's gradients pass through ~20
// convolutions and GroupNorms and range over 1e-4..2: atol 1e-7, rtol 1e-4 (measured worst 0.36).
// After one AdamW step every parameter moved by about lr = 1e-3 (m / sqrt(v) = sign(g) at step
// 1), so the weights agree to 1e-6 unless float rounding flips the sign of a gradient below 1e-7
// (skipped; none of the fixture's 8209 gradients is that small). FIELDLAB_GOLDEN_VERBOSE=1
// prints each comparison's worst error / tolerance.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "nn/layers/transformer_decoder_layer.hpp"
#include "nn/layers/transformer_encoder_layer.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/ops.hpp"
#include "nn/optimizer.hpp"

#ifndef FIELDLAB_TORCH_FIXTURES
#error "FIELDLAB_TORCH_FIXTURES (the folder of the golden PyTorch fixtures) must be defined"
#endif

using namespace fieldlab;
using namespace fieldlab::nn;
using io::H5Handle;

namespace {

class Fixture {
 public:
  explicit Fixture(const std::string& name)
      : lock_(io::hdf5_mutex()),
        file_(io::open_file(std::string(FIELDLAB_TORCH_FIXTURES) + "/" + name, false)) {}

  bool has(const std::string& path) const { return io::has_object(file_.id(), path); }
  Tensor tensor(const std::string& path) const {
    H5Handle d = io::open_dataset(file_.id(), path);
    const auto info = io::dataset_info(d.id());
    Tensor t(Shape(info.shape.begin(), info.shape.end()));
    if (t.numel() > 0)
      io::read_block(d.id(), std::vector<hsize_t>(info.shape.size(), 0), info.shape, t.data());
    return t;
  }
  template <typename T>
  std::vector<T> integers(const std::string& path) const {
    const std::vector<double> v = io::read_dataset_as_double(file_.id(), path);
    return std::vector<T>(v.begin(), v.end());
  }
  long long integer(const std::string& name) const {
    return io::read_integer_attribute(file_.id(), name);
  }
  double real(const std::string& name) const { return io::read_double_attribute(file_.id(), name); }
  std::string text(const std::string& name) const {
    return io::read_string_attribute(file_.id(), name);
  }
  // Every parameter of `store` from /<group>/<name> (same shape), and no extra name there: the
  // fixture's state_dict and the store's names are the same set.
  void load(ParameterStore& store, const std::string& group = "weights") const {
    for (const auto& p : store.parameters()) {
      INFO("parameter " << p.name);
      REQUIRE(has(group + "/" + p.name));
      const Tensor t = tensor(group + "/" + p.name);
      REQUIRE(t.shape() == p.shape);
      std::copy_n(t.data(), t.numel(), store.value(p.name).data());
    }
    H5Handle g = io::open_group(file_.id(), group);
    hsize_t count = 0;
    H5Gget_num_objs(g.id(), &count);
    CHECK(count == store.parameters().size());
  }

 private:
  std::lock_guard<std::recursive_mutex> lock_;
  H5Handle file_;
};

// Worst |a - b| / (atol + rtol |b|) over the elements (<= 1 passes).
double worst_error(const float* ours, const Tensor& ref, double atol, double rtol) {
  double worst = 0;
  for (std::int64_t i = 0; i < ref.numel(); ++i)
    worst = std::max(worst, std::abs(double(ours[i]) - ref[i]) / (atol + rtol * std::abs(ref[i])));
  return worst;
}

void check_close(const std::string& what, const Tensor& ours, const Tensor& ref, double atol,
                 double rtol) {
  INFO(what << ": ours " << to_string(ours.shape()) << " vs torch " << to_string(ref.shape()));
  REQUIRE(ours.shape() == ref.shape());
  const double worst = worst_error(ours.data(), ref, atol, rtol);
  INFO(what << ": worst error / tolerance " << worst);
  CHECK(worst <= 1.0);
  // FIELDLAB_GOLDEN_VERBOSE=1 prints how close each comparison came to its tolerance.
  if (std::getenv("FIELDLAB_GOLDEN_VERBOSE"))
    std::fprintf(stderr, "golden: %-50s worst error / tolerance %.3f\n", what.c_str(), worst);
}

void check_parameter_grads(const Fixture& f, ParameterStore& store, double atol, double rtol) {
  for (const auto& p : store.parameters())
    check_close("grad " + p.name, store.grad(p.name), f.tensor("grads/weights/" + p.name), atol,
                rtol);
}

TransformerLayerConfig layer_config(const Fixture& f) {
  TransformerLayerConfig c;
  c.d_model = static_cast<int>(f.integer("d_model"));
  c.heads = static_cast<int>(f.integer("heads"));
  c.dim_feedforward = static_cast<int>(f.integer("dim_feedforward"));
  c.activation = parse_activation(f.text("activation"));
  c.norm_first = f.integer("norm_first") != 0;
  c.layer_norm_eps = static_cast<float>(f.real("layer_norm_eps"));
  c.dropout = 0.0f;  // the fixtures ran PyTorch with dropout 0
  return c;
}

constexpr double kLayerAtol = 2e-6, kLayerRtol = 1e-5;

}  // namespace

TEST_CASE("golden torch: TransformerEncoderLayer with a key-padding mask") {
  for (const char* name : {"encoder_layer.h5", "encoder_layer_norm_first_gelu.h5"}) {
    CAPTURE(name);
    Fixture f(name);
    CHECK(f.text("torch_version").rfind("2.", 0) == 0);  // provenance recorded by the script
    ParameterStore store;
    TransformerEncoderLayer layer(store, "", layer_config(f));
    store.allocate();
    f.load(store);
    const auto pad = f.integers<std::uint8_t>("inputs/src_key_padding_mask");
    Graph g;
    Var src = g.variable(f.tensor("inputs/src"));
    Var y = layer.forward(g, src, AttentionMask{false, pad});
    check_close("output", y.value(), f.tensor("outputs/y"), kLayerAtol, kLayerRtol);
    g.backward(sum(mul(y, g.constant(f.tensor("output_grad")))));
    check_close("grad src", src.grad(), f.tensor("grads/inputs/src"), kLayerAtol, kLayerRtol);
    check_parameter_grads(f, store, kLayerAtol, kLayerRtol);
  }
}

TEST_CASE("golden torch: TransformerDecoderLayer with causal and memory key-padding masks") {
  for (const char* name : {"decoder_layer.h5", "decoder_layer_norm_first_gelu.h5"}) {
    CAPTURE(name);
    Fixture f(name);
    ParameterStore store;
    TransformerDecoderLayer layer(store, "", layer_config(f));
    store.allocate();
    f.load(store);
    const auto pad = f.integers<std::uint8_t>("inputs/memory_key_padding_mask");
    Graph g;
    Var tgt = g.variable(f.tensor("inputs/tgt"));
    Var memory = g.variable(f.tensor("inputs/memory"));
    Var y = layer.forward(g, tgt, memory, AttentionMask{true, {}}, AttentionMask{false, pad});
    check_close("output", y.value(), f.tensor("outputs/y"), kLayerAtol, kLayerRtol);
    g.backward(sum(mul(y, g.constant(f.tensor("output_grad")))));
    check_close("grad tgt", tgt.grad(), f.tensor("grads/inputs/tgt"), kLayerAtol, kLayerRtol);
    check_close("grad memory", memory.grad(), f.tensor("grads/inputs/memory"), kLayerAtol,
                kLayerRtol);
    check_parameter_grads(f, store, kLayerAtol, kLayerRtol);
  }
}

TEST_CASE("golden torch: cross-entropy with ignore index and label smoothing") {
  Fixture f("cross_entropy.h5");
  const auto targets = f.integers<std::int64_t>("inputs/target");
  const auto ignore = static_cast<std::int64_t>(f.integer("ignore_index"));
  for (const char* tag : {"plain", "smoothed"}) {
    CAPTURE(tag);
    Graph g;
    Var logits = g.variable(f.tensor("inputs/logits"));
    const float smoothing = static_cast<float>(f.real(std::string("label_smoothing_") + tag));
    Var loss = cross_entropy(logits, targets, ignore, smoothing);
    check_close("loss", loss.value().reshaped({1}), f.tensor(std::string("outputs/loss_") + tag),
                1e-6, 1e-5);
    g.backward(loss);
    check_close("grad logits", logits.grad(), f.tensor(std::string("grads/inputs/logits_") + tag),
                1e-6, 1e-5);
  }
}

TEST_CASE("golden torch: batched matmul and a shared right operand") {
  Fixture f("matmul.h5");
  for (std::string tag : {"batched", "shared"}) {
    CAPTURE(tag);
    Graph g;
    Var a = g.variable(f.tensor("inputs/a_" + tag));
    Var b = g.variable(f.tensor("inputs/b_" + tag));
    Var y = matmul(a, b);
    check_close("output", y.value(), f.tensor("outputs/y_" + tag), 1e-6, 1e-5);
    g.backward(sum(mul(y, g.constant(f.tensor("output_grad_" + tag)))));
    check_close("grad a", a.grad(), f.tensor("grads/inputs/a_" + tag), 1e-6, 1e-5);
    check_close("grad b", b.grad(), f.tensor("grads/inputs/b_" + tag), 1e-6, 1e-5);
  }
}

TEST_CASE("golden torch: a SineNet training step (loss, gradients, AdamW, three losses)") {
  Fixture f("sinenet_step.h5");
  SineNetConfig c;
  c.fields = static_cast<int>(f.integer("fields"));
  c.history = static_cast<int>(f.integer("history"));
  c.waves = static_cast<int>(f.integer("waves"));
  c.mult = f.real("mult");
  c.hidden = static_cast<int>(f.integer("hidden"));
  c.levels = static_cast<int>(f.integer("levels"));
  c.blocks = static_cast<int>(f.integer("blocks"));
  SineNet net(c);
  ParameterStore& store = net.parameters();
  store.allocate();
  f.load(store);
  OptimizerConfig oc;
  oc.kind = OptimizerKind::adamw;
  oc.beta1 = static_cast<float>(f.real("beta1"));
  oc.beta2 = static_cast<float>(f.real("beta2"));
  oc.eps = static_cast<float>(f.real("eps"));
  oc.weight_decay = static_cast<float>(f.real("weight_decay"));
  const float lr = static_cast<float>(f.real("lr"));
  Optimizer opt(oc, store.size());
  const Tensor x = f.tensor("inputs/x"), target = f.tensor("inputs/target");
  const Tensor losses = f.tensor("outputs/losses");
  Graph g;
  for (int step = 0; step < losses.numel(); ++step) {
    CAPTURE(step);
    store.zero_grad();
    g.reset();
    Var loss = scaled_l2_loss(net.forward(g, g.constant(x)), g.constant(target));
    // Losses after 0, 1, 2 AdamW steps: 1e-5 relative (each step moves weights by ~lr, the
    // loss responds smoothly).
    CHECK(std::abs(loss.value()[0] - losses[step]) <= 1e-5 * std::abs(losses[step]));
    g.backward(loss);
    if (step == 0) {
      check_close("loss", loss.value().reshaped({1}), f.tensor("outputs/loss"), 0, 1e-5);
      check_parameter_grads(f, store, 1e-7, 1e-4);
      // Parameters after the first step, by name.
      opt.step(store, lr);
      for (const auto& p : store.parameters()) {
        const Tensor grad = f.tensor("grads/weights/" + p.name);
        const Tensor after = f.tensor("weights_after_step/" + p.name);
        const Tensor ours = store.value(p.name);
        for (std::int64_t i = 0; i < after.numel(); ++i) {
          // A sign flip of a gradient below the comparison's own resolution moves the weight by
          // up to 2 lr; any larger gradient must give the same update.
          if (std::abs(grad[i]) < 1e-7) continue;
          INFO(p.name << "[" << i << "]: ours " << ours[i] << " torch " << after[i] << " grad "
                      << grad[i]);
          CHECK(std::abs(ours[i] - after[i]) <= 1e-6 + 1e-5 * std::abs(after[i]));
        }
      }
    } else {
      opt.step(store, lr);
    }
  }
}
