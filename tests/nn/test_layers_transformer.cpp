// The layer convention (nn/layers/layer.hpp): each layer's PyTorch state_dict names and shapes in
// PyTorch's order, parameter_count against the store, initialisation ranges, forward equal to the
// op it wraps, and for the transformer layers parameter gradients by central differences (post-
// and pre-norm, relu and gelu, with masks) and dropout only in training. Values against PyTorch
// itself are in test_golden_torch.cpp.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/embedding.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/layers/norm.hpp"
#include "nn/layers/transformer_decoder_layer.hpp"
#include "nn/layers/transformer_encoder_layer.hpp"
#include "param_fd.hpp"

using namespace fieldlab::nn;
using namespace fieldlab::nn::testing;

namespace {

std::vector<std::string> names(const ParameterStore& store) {
  std::vector<std::string> out;
  for (const auto& p : store.parameters()) out.push_back(p.name);
  return out;
}

void randomise(ParameterStore& store, unsigned seed, float lo = -0.5f, float hi = 0.5f) {
  const Tensor r = random_tensor({store.size()}, seed, lo, hi);
  auto values = store.values();
  for (std::int64_t i = 0; i < store.size(); ++i) values[i] = r[i];
}

double max_abs_difference(const Tensor& a, const Tensor& b) {
  double worst = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i)
    worst = std::max(worst, double(std::abs(a[i] - b[i])));
  return worst;
}

// Both Vars exist before either value is read: a Tensor reference from Var::value() is only good
// until the next node is recorded (nn/graph.hpp), so f(a.value(), op(...).value()) would read a
// stale reference when the second argument records nodes.
double max_abs_difference(Var a, Var b) { return max_abs_difference(a.value(), b.value()); }

}  // namespace

TEST_CASE("Linear, Conv2d, norms, Embedding, MLP: names, counts, initialisation, forward") {
  ParameterStore store;
  Linear lin(store, "fc.", 5, 3);
  Linear nobias(store, "proj.", 5, 2, false);
  Conv2d conv(store, "conv.", 2, 4, 3, Padding::circular);
  LayerNorm ln(store, "ln.", 3);
  GroupNorm gn(store, "gn.", 2, 4);
  Embedding emb(store, "tok.", 7, 3);
  MLP mlp(store, "time_embed.", {3, 12, 12}, Activation::gelu);
  CHECK(names(store) == std::vector<std::string>{"fc.weight", "fc.bias", "proj.weight",
                                                 "conv.weight", "conv.bias", "ln.weight", "ln.bias",
                                                 "gn.weight", "gn.bias", "tok.weight",
                                                 "time_embed.0.weight", "time_embed.0.bias",
                                                 "time_embed.2.weight", "time_embed.2.bias"});
  CHECK(store.parameters()[store.index("conv.weight")].shape == Shape{4, 2, 3, 3});
  CHECK(store.parameters()[store.index("time_embed.2.weight")].shape == Shape{12, 12});
  CHECK(lin.parameter_count() + nobias.parameter_count() + conv.parameter_count() +
            ln.parameter_count() + gn.parameter_count() + emb.parameter_count() +
            mlp.parameter_count() ==
        store.size());
  CHECK_THROWS_AS(lin.initialise(*std::make_unique<std::mt19937_64>(1)), fieldlab::Error);
  store.allocate();
  std::mt19937_64 rng(3);
  for (auto init : {+[](Linear&l, std::mt19937_64&r) { l.initialise(r); }}) init(lin, rng);
  nobias.initialise(rng);
  conv.initialise(rng);
  ln.initialise(rng);
  gn.initialise(rng);
  emb.initialise(rng);
  mlp.initialise(rng);
  // PyTorch's ranges: Linear/Conv2d U(+-1/sqrt(fan_in)), norms 1 and 0, Embedding N(0, 1).
  auto within = [&](const std::string& name, float bound) {
    const Tensor t = store.value(name);
    float worst = 0;
    for (std::int64_t i = 0; i < t.numel(); ++i) worst = std::max(worst, std::abs(t[i]));
    CHECK(worst <= bound);
    CHECK(worst > 0.5f * bound);  // drawn, not left at zero
  };
  within("fc.weight", 1 / std::sqrt(5.0f));
  within("fc.bias", 1 / std::sqrt(5.0f));
  within("conv.weight", 1 / std::sqrt(18.0f));
  within("time_embed.2.weight", 1 / std::sqrt(12.0f));
  CHECK(store.value("ln.weight")[2] == 1.0f);
  CHECK(store.value("gn.bias")[3] == 0.0f);
  double sq = 0;
  for (float w : store.value("tok.weight").to_vector()) sq += w * w;
  CHECK(sq / 21 > 0.3);  // unit variance, loosely (21 draws)
  CHECK(sq / 21 < 3.0);

  // Each forward is the op it wraps on the named parameters.
  randomise(store, 80);
  Graph g;
  auto x = g.constant(random_tensor({2, 3, 5}, 81));
  Var ref = linear(x, g.constant(store.value("fc.weight")), g.constant(store.value("fc.bias")));
  CHECK(max_abs_difference(lin.forward(g, x), ref) == 0);
  CHECK(nobias.forward(g, x).shape() == Shape{2, 3, 2});
  auto img = g.constant(random_tensor({1, 2, 4, 4}, 82));
  CHECK(max_abs_difference(conv.forward(g, img),
                           conv2d(img, g.constant(store.value("conv.weight")),
                                  g.constant(store.value("conv.bias")), Padding::circular)) == 0);
  auto seq = g.constant(random_tensor({2, 3}, 83));
  CHECK(max_abs_difference(ln.forward(g, seq), layer_norm(seq, g.constant(store.value("ln.weight")),
                                                          g.constant(store.value("ln.bias")))) ==
        0);
  auto img4 = g.constant(random_tensor({2, 4, 3, 3}, 84));
  CHECK(max_abs_difference(gn.forward(g, img4),
                           group_norm(img4, 2, g.constant(store.value("gn.weight")),
                                      g.constant(store.value("gn.bias")))) == 0);
  const Tensor e = emb.forward(g, {6, 0, 2, 2}, {2, 2}).value();
  CHECK(e.shape() == Shape{2, 2, 3});
  CHECK(e[1 * 3 + 2] == store.value("tok.weight")[0 * 3 + 2]);
  CHECK(e[3 * 3 + 1] == store.value("tok.weight")[2 * 3 + 1]);
  CHECK_THROWS_AS(emb.forward(g, {7}), fieldlab::Error);
  auto m_in = g.constant(random_tensor({4, 3}, 85));
  Var m_ref = linear(m_in, g.constant(store.value("time_embed.0.weight")),
                     g.constant(store.value("time_embed.0.bias")));
  m_ref = linear(gelu(m_ref), g.constant(store.value("time_embed.2.weight")),
                 g.constant(store.value("time_embed.2.bias")));
  CHECK(max_abs_difference(mlp.forward(g, m_in), m_ref) == 0);
  CHECK_THROWS_AS(ln.forward(g, x), fieldlab::Error);  // 5 features, not 3
  CHECK_THROWS_AS(parse_activation("swish"), fieldlab::Error);
  CHECK(parse_activation("gelu_tanh") == Activation::gelu_tanh);
}

TEST_CASE("transformer layers: PyTorch's state_dict names, shapes and counts") {
  TransformerLayerConfig c;
  c.d_model = 8;
  c.heads = 2;
  c.dim_feedforward = 16;
  ParameterStore store;
  TransformerEncoderLayer enc(store, "encoder.layers.0.", c);
  TransformerDecoderLayer dec(store, "decoder.layers.0.", c);
  std::vector<std::string> expected;
  // torch.nn.TransformerEncoderLayer(8, 2, 16).state_dict().keys(), then the decoder's.
  for (std::string n :
       {"self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
        "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
        "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"})
    expected.push_back("encoder.layers.0." + n);
  for (std::string n :
       {"self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
        "self_attn.out_proj.bias", "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias",
        "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias", "linear1.weight",
        "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias",
        "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"})
    expected.push_back("decoder.layers.0." + n);
  CHECK(names(store) == expected);
  CHECK(store.parameters()[store.index("encoder.layers.0.linear1.weight")].shape == Shape{16, 8});
  CHECK(store.parameters()[store.index("decoder.layers.0.linear2.weight")].shape == Shape{8, 16});
  // PyTorch: sum(p.numel()) = 4 D^2 + 4 D + 2 D F + F + D + 4 D (encoder), + 4 D^2 + 4 D + 2 D.
  const std::int64_t d = 8, f = 16;
  CHECK(enc.parameter_count() == 4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d);
  CHECK(dec.parameter_count() == enc.parameter_count() + 4 * d * d + 4 * d + 2 * d);
  CHECK(store.size() == enc.parameter_count() + dec.parameter_count());
  store.allocate();
  std::mt19937_64 rng(9);
  enc.initialise(rng);
  dec.initialise(rng);
  CHECK(store.value("encoder.layers.0.self_attn.in_proj_bias")[5] == 0.0f);
  CHECK(store.value("decoder.layers.0.norm3.weight")[7] == 1.0f);
  TransformerLayerConfig bad = c;
  bad.heads = 3;
  ParameterStore s2;
  CHECK_THROWS_AS(TransformerEncoderLayer(s2, "", bad), fieldlab::Error);
  bad = c;
  bad.dropout = 1.0f;
  CHECK_THROWS_AS(TransformerDecoderLayer(s2, "", bad), fieldlab::Error);
}

TEST_CASE("transformer layers: parameter and input gradients by central differences") {
  const std::vector<std::uint8_t> src_pad = {0, 0, 0, 1, 0, 0, 1, 1};  // B = 2, T = 4
  for (bool norm_first : {false, true})
    for (Activation act : {Activation::relu, Activation::gelu}) {
      CAPTURE(norm_first);
      CAPTURE(to_string(act));
      TransformerLayerConfig c;
      c.d_model = 4;
      c.heads = 2;
      c.dim_feedforward = 6;
      c.norm_first = norm_first;
      c.activation = act;
      ParameterStore store;
      TransformerEncoderLayer enc(store, "enc.", c);
      TransformerDecoderLayer dec(store, "dec.", c);
      store.allocate();
      randomise(store, 90);
      const Tensor src = random_tensor({2, 4, 4}, 91), tgt = random_tensor({2, 3, 4}, 92);
      const Tensor weights = random_tensor({2, 3, 4}, 93);
      // The encoder's output is the decoder's memory: one loss reaches every parameter.
      auto loss = [&](Graph& g, Var s, Var t) {
        Var memory = enc.forward(g, s, AttentionMask{false, src_pad});
        // Causal self-attention over T = 3 targets, cross-attention to S = 4 memory positions
        // with the source's padding as memory_key_padding_mask.
        Var y = dec.forward(g, t, memory, AttentionMask{true, {}}, AttentionMask{false, src_pad});
        return sum(mul(y, g.constant(weights)));
      };
      std::vector<std::string> all = names(store);
      // relu's kink: a finite difference straddling 0 is wrong by O(1), so the relu case uses a
      // smaller step, which fewer pre-activations lie within.
      check_parameter_gradients(
          store, [&](Graph& g) { return loss(g, g.constant(src), g.constant(tgt)); }, all,
          act == Activation::relu ? 1e-3f : 3e-3f, 1e-3, 2e-2);
      GradCheckOptions opt;
      opt.eps = act == Activation::relu ? 1e-3f : 3e-3f;
      opt.atol = 2e-3;
      opt.rtol = 2e-2;
      check_gradients([&](Graph& g, const std::vector<Var>& v) { return loss(g, v[0], v[1]); },
                      {src, tgt}, opt);
    }
}

TEST_CASE("transformer layers: dropout only in training, reproducible from the seed") {
  TransformerLayerConfig c;
  c.d_model = 8;
  c.heads = 2;
  c.dim_feedforward = 16;
  c.dropout = 0.25f;
  ParameterStore store;
  TransformerEncoderLayer enc(store, "", c);
  store.allocate();
  std::mt19937_64 init(4);
  enc.initialise(init);
  const Tensor x = random_tensor({2, 5, 8}, 94);
  auto run = [&](std::mt19937_64* rng) {
    Graph g;
    return enc.forward(g, g.constant(x), {}, rng).value().clone();
  };
  const Tensor eval1 = run(nullptr), eval2 = run(nullptr);
  CHECK(max_abs_difference(eval1, eval2) == 0);
  std::mt19937_64 a(7), b(7), other(8);
  const Tensor train_a = run(&a), train_b = run(&b), train_other = run(&other);
  CHECK(max_abs_difference(train_a, train_b) == 0);
  CHECK(max_abs_difference(train_a, eval1) > 1e-3);
  CHECK(max_abs_difference(train_a, train_other) > 1e-3);
  // With dropout 0 a generator changes nothing: training and evaluation agree.
  c.dropout = 0.0f;
  ParameterStore s0;
  TransformerEncoderLayer enc0(s0, "", c);
  s0.allocate();
  std::copy(store.values().begin(), store.values().end(), s0.values().begin());
  Graph g1, g2;
  std::mt19937_64 r(1);
  CHECK(max_abs_difference(enc0.forward(g1, g1.constant(x), {}, &r).value(),
                           enc0.forward(g2, g2.constant(x)).value()) == 0);
}

TEST_CASE("transformer layers: planned steps (arena memory reused) repeat the first step exactly") {
  TransformerLayerConfig c;
  c.d_model = 8;
  c.heads = 2;
  c.dim_feedforward = 16;
  ParameterStore store;
  TransformerEncoderLayer enc(store, "enc.", c);
  TransformerDecoderLayer dec(store, "dec.", c);
  store.allocate();
  randomise(store, 95);
  const Tensor src = random_tensor({2, 5, 8}, 96), tgt = random_tensor({2, 3, 8}, 97);
  const std::vector<std::uint8_t> pad = {0, 0, 0, 1, 1, 0, 0, 0, 0, 1};
  Graph g;
  std::vector<float> first_grads;
  float first_loss = 0;
  for (int step = 0; step < 3; ++step) {
    CAPTURE(step);
    g.reset();
    store.zero_grad();
    Var s = g.variable(src);
    Var memory = enc.forward(g, s, AttentionMask{false, pad});
    Var y =
        dec.forward(g, g.constant(tgt), memory, AttentionMask{true, {}}, AttentionMask{false, pad});
    Var loss = sum(mul(y, y));
    const float value = loss.value()[0];
    g.backward(loss);
    const std::vector<float> grads(store.grads().begin(), store.grads().end());
    if (step == 0) {
      first_loss = value;
      first_grads = grads;
    } else {
      CHECK(value == first_loss);
      CHECK(grads == first_grads);
    }
  }
}

TEST_CASE("MLP as a ModuleList with Xavier init and sin; Linear and MLP on jets") {
  ParameterStore store;
  MLP mlp(store, "layers.", {2, 4, 3, 1}, Activation::sin, MLPNaming::module_list);
  CHECK(names(store) == std::vector<std::string>{"layers.0.weight", "layers.0.bias",
                                                 "layers.1.weight", "layers.1.bias",
                                                 "layers.2.weight", "layers.2.bias"});
  CHECK(mlp.parameter_count() == store.size());
  store.allocate();
  randomise(store, 90);  // the biases must be zeroed by the init, not left as they were
  std::mt19937_64 rng(5);
  mlp.initialise_xavier(rng);
  // xavier_uniform_ drawn layer by layer from one generator: weights U(+-sqrt(6 / (in + out)))
  // in storage order, biases zero without a draw (the next layer's weights continue the stream).
  std::mt19937_64 ref(5);
  const std::vector<int> w{2, 4, 3, 1};
  for (int l = 0; l < 3; ++l) {
    std::uniform_real_distribution<float> u(-std::sqrt(6.0f / static_cast<float>(w[l] + w[l + 1])),
                                            std::sqrt(6.0f / static_cast<float>(w[l] + w[l + 1])));
    const Tensor wt = store.value("layers." + std::to_string(l) + ".weight");
    for (std::int64_t i = 0; i < wt.numel(); ++i) CHECK(wt[i] == u(ref));
    const Tensor bt = store.value("layers." + std::to_string(l) + ".bias");
    for (std::int64_t i = 0; i < bt.numel(); ++i) CHECK(bt[i] == 0.0f);
  }
  randomise(store, 91);
  Graph g;
  const Tensor pts = random_tensor({5, 2}, 92);
  // Forward: Linear, sin, Linear, sin, Linear on the named parameters.
  auto p = [&](const char* n) { return g.constant(store.value(n)); };
  Var ref_y = linear(g.constant(pts), p("layers.0.weight"), p("layers.0.bias"));
  ref_y = linear(sin(ref_y), p("layers.1.weight"), p("layers.1.bias"));
  ref_y = linear(sin(ref_y), p("layers.2.weight"), p("layers.2.bias"));
  CHECK(max_abs_difference(mlp.forward(g, g.constant(pts)), ref_y) == 0);
  // Jets: the same chain of jet ops, value equal to forward, d1 against central differences.
  Jet jr = jet_input(g, pts, {0, 1});
  jr = jet_linear(jr, p("layers.0.weight"), p("layers.0.bias"));
  jr = jet_linear(jet_sin(jr), p("layers.1.weight"), p("layers.1.bias"));
  jr = jet_linear(jet_sin(jr), p("layers.2.weight"), p("layers.2.bias"));
  const Jet j = mlp.forward(g, jet_input(g, pts, {0, 1}));
  CHECK(max_abs_difference(j.value.value(), ref_y.value()) == 0);
  for (int d = 0; d < 2; ++d) {
    CHECK(max_abs_difference(j.d1[d].value(), jr.d1[d].value()) == 0);
    CHECK(max_abs_difference(j.d2[d].value(), jr.d2[d].value()) == 0);
  }
  const float h = 1e-2f;
  Tensor xp({5, 2}), xm({5, 2});
  for (int i = 0; i < 10; ++i) {
    xp[i] = pts[i] + (i % 2 == 0 ? h : 0.0f);
    xm[i] = pts[i] - (i % 2 == 0 ? h : 0.0f);
  }
  const Tensor yp = mlp.forward(g, g.constant(xp)).value(),
               ym = mlp.forward(g, g.constant(xm)).value();
  for (int i = 0; i < 5; ++i)
    CHECK(j.d1[0].value()[i] == doctest::Approx((yp[i] - ym[i]) / (2 * h)).epsilon(2e-3));
  // A sequential MLP with relu has no jet.
  ParameterStore s2;
  MLP relu_mlp(s2, "m.", {2, 3, 1}, Activation::relu);
  s2.allocate();
  CHECK(names(s2) == std::vector<std::string>{"m.0.weight", "m.0.bias", "m.2.weight", "m.2.bias"});
  CHECK_THROWS_WITH_AS(relu_mlp.forward(g, jet_input(g, pts, {0})),
                       doctest::Contains("activation relu has no jet"), fieldlab::Error);
  CHECK(parse_activation("sin") == Activation::sin);
  CHECK_THROWS_WITH_AS(parse_activation("swish"), doctest::Contains("silu, tanh or sin"),
                       fieldlab::Error);
}
