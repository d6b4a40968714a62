// Unrolled (multi-step) training: the unrolled loss equals a rollout assembled by hand, its
// parameter gradients match finite differences through the whole rollout, the pushforward
// variant's gradient equals the one-step gradient on a detached model-made input, each step gets
// its own dt, and `train_model` with --unroll trains, resumes bit-identically and refuses bad
// settings.

#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/models/registry.hpp"
#include "nn/ops.hpp"
#include "nn/train/trainer.hpp"
#include "param_fd.hpp"
#include "tests/nn/ns2d_files.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

constexpr int kB = 2, kC = 2, kH = 2, kM = 3, kS = 8;
constexpr std::size_t kFrame = static_cast<std::size_t>(kC) * kS * kS;  // one sample's frame

ModelKeys tiny(const std::string& conditioning) {
  ModelKeys o;
  o["fields"] = std::to_string(kC);
  o["history"] = std::to_string(kH);
  o["waves"] = "1";
  o["mult"] = "1.5";
  o["hidden"] = "4";
  o["levels"] = "1";
  o["padding"] = "circular";
  o["conditioning"] = conditioning;
  return o;
}

datasets::Batch random_batch() {
  std::mt19937_64 rng(3);
  std::normal_distribution<float> n(0.0f, 1.0f);
  datasets::Batch b;
  b.size = kB;
  b.inputs.resize(kB * kH * kFrame);
  b.targets.resize(kB * kM * kFrame);
  for (auto& v : b.inputs) v = n(rng);
  for (auto& v : b.targets) v = n(rng);
  for (int j = 0; j < kM; ++j)
    for (int s = 0; s < kB; ++s) b.dt.push_back(0.25f * (j + 1) + 0.1f * s);  // step-major
  return b;
}

// Prediction of step j of sample s's rollout, computed one sample at a time from flat buffers.
std::vector<float> rollout_by_hand(const FrameModel& model, const datasets::Batch& b) {
  std::vector<float> preds(kM * kB * kFrame);  // [j][s]
  for (int s = 0; s < kB; ++s) {
    std::vector<float> window(b.inputs.begin() + s * kH * kFrame,
                              b.inputs.begin() + (s + 1) * kH * kFrame);
    for (int j = 0; j < kM; ++j) {
      Graph g;
      NoGradGuard no_grad(g);
      Var x = g.constant(Tensor::view(window.data(), {1, kH * kC, kS, kS}));
      const float dt = b.dt[j * kB + s];
      Var y = model.step(g, x, {std::span<const float>(&dt, 1), {}});
      std::copy_n(y.value().data(), kFrame, &preds[(j * kB + s) * kFrame]);
      std::copy(window.begin() + kFrame, window.end(), window.begin());
      std::copy_n(y.value().data(), kFrame, window.end() - kFrame);
    }
  }
  return preds;
}

// scaled_l2_loss of one step's [B, C, S, S] prediction against its targets (from flat buffers).
double step_loss(const std::vector<float>& preds, const datasets::Batch& b, int j) {
  std::vector<float> p(kB * kFrame), t(kB * kFrame);
  for (int s = 0; s < kB; ++s) {
    std::copy_n(&preds[(j * kB + s) * kFrame], kFrame, &p[s * kFrame]);
    std::copy_n(&b.targets[(s * kM + j) * kFrame], kFrame, &t[s * kFrame]);
  }
  Graph g;
  NoGradGuard no_grad(g);
  const Shape shape{kB, kC, kS, kS};
  return scaled_l2_loss(g.constant(Tensor::view(p.data(), shape)),
                        g.constant(Tensor::view(t.data(), shape)))
      .value()[0];
}

std::string temp_path(const std::string& name) {
  return test::fresh_temp_path("fieldlab_tests_unrolled", name);
}

}  // namespace

TEST_CASE(
    "unrolled loss: equals a hand-made rollout; gradients vs finite differences; "
    "pushforward trains the last step on a detached input") {
  set_threads(1);
  auto model = make_frame_model("sinenet", tiny("add"));
  model->initialise(5);
  const datasets::Batch batch = random_batch();
  UnrolledLoss unrolled(kB, kC, kH, kM, kS, kS);

  const auto preds = rollout_by_hand(*model, batch);
  double expected = 0;
  for (int j = 0; j < kM; ++j) expected += step_loss(preds, batch, j) / kM;
  {
    Graph g;
    CHECK(unrolled(*model, g, batch, false).value()[0] == doctest::Approx(expected).epsilon(1e-5));
    Graph p;
    CHECK(unrolled(*model, p, batch, true).value()[0] ==
          doctest::Approx(step_loss(preds, batch, kM - 1)).epsilon(1e-5));
  }
  // Each step's own dt matters: swapping the steps' dt changes the loss.
  datasets::Batch swapped = batch;
  std::rotate(swapped.dt.begin(), swapped.dt.begin() + kB, swapped.dt.end());
  {
    Graph g;
    CHECK(unrolled(*model, g, swapped, false).value()[0] !=
          doctest::Approx(expected).epsilon(1e-4));
  }

  // Gradients through the whole rollout against central differences.
  auto& store = model->parameters();
  testing::check_parameter_gradients(
      store, [&](Graph& g) { return unrolled(*model, g, batch, false); },
      {"image_proj.weight", "final.weight", "final.bias", "time_embed.0.weight"});

  // Pushforward: the gradient equals that of the last step's one-step loss with the model-made
  // history held constant, and differs from the full unrolled gradient.
  store.zero_grad();
  {
    Graph g;
    g.backward(unrolled(*model, g, batch, true));
  }
  const std::vector<float> pushforward(store.grads().begin(), store.grads().end());
  std::vector<float> last_input(kB * kH * kFrame);  // frames M-1 .. M+H-2 of the sequence
  for (int s = 0; s < kB; ++s)
    for (int k = 0; k < kH; ++k) {
      const int index = kM - 1 + k;  // position in [inputs..., predictions...]
      const float* src = index < kH ? &batch.inputs[(s * kH + index) * kFrame]
                                    : &preds[((index - kH) * kB + s) * kFrame];
      std::copy_n(src, kFrame, &last_input[(s * kH + k) * kFrame]);
    }
  std::vector<float> last_target(kB * kFrame);
  for (int s = 0; s < kB; ++s)
    std::copy_n(&batch.targets[(s * kM + kM - 1) * kFrame], kFrame, &last_target[s * kFrame]);
  store.zero_grad();
  {
    Graph g;
    Var x = g.constant(Tensor::view(last_input.data(), {kB, kH * kC, kS, kS}));
    Var t = g.constant(Tensor::view(last_target.data(), {kB, kC, kS, kS}));
    g.backward(scaled_l2_loss(
        model->step(g, x, {std::span<const float>(batch.dt).subspan((kM - 1) * kB, kB), {}}), t));
  }
  const std::vector<float> one_step(store.grads().begin(), store.grads().end());
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < one_step.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::abs(pushforward[i] - one_step[i])));
    scale = std::max(scale, static_cast<double>(std::abs(one_step[i])));
  }
  CHECK(worst <= 1e-5 * scale);
  store.zero_grad();
  {
    Graph g;
    g.backward(unrolled(*model, g, batch, false));
  }
  bool differs = false;
  for (std::size_t i = 0; i < one_step.size(); ++i)
    differs |= std::abs(store.grads()[i] - one_step[i]) > 1e-3 * scale;
  CHECK(differs);
}

TEST_CASE("unrolled training on ns2d: trains, resumes bit-identically, refuses bad settings") {
  set_threads(1);
  const std::string path = test::write_ns2d_file(temp_path("train.h5"), 16, 8, 8, 0.5, 3);
  auto train = datasets::open_trajectories(path);
  ModelKeys o = tiny("adagn");
  o["fields"] = "1";
  o["hidden"] = "8";
  o["levels"] = "2";
  auto fresh = [&](const Model& m) {
    CheckpointInfo s;
    s.fields = {"vorticity"};
    const auto norm = datasets::compute_normalisation(*train, s.fields);
    s.mean = norm.mean;
    s.std = norm.std;
    s.seed = 2;
    s.model_config = m.config_yaml();
    s.config = "test";
    return s;
  };
  OptimizerConfig oc;
  oc.weight_decay = 1e-5f;
  TrainingSetup setup;
  setup.epochs = 4;
  setup.batch = 4;
  setup.lr = 3e-3;
  setup.warmup_epochs = 0.5;
  setup.unroll = 3;
  setup.windows_per_trajectory = 2;  // 16 windows: 4 batches per epoch
  setup.out = temp_path("full.h5");
  auto model = make_model("sinenet", o);
  model->initialise(4);
  Optimizer opt(oc, model->parameters().size());
  const auto full = train_model(*model, opt, *train, *train, fresh(*model), setup);
  REQUIRE(full.losses.size() == 16);
  const auto& h = full.state.history;
  MESSAGE("unrolled (3 steps) train loss ", h.front().train_loss, " -> ", h.back().train_loss,
          ", valid rollout ", h.front().valid_rollout, " -> ", h.back().valid_rollout);
  CHECK(h.back().train_loss < 0.8 * h.front().train_loss);
  CHECK(h.back().valid_rollout < h.front().valid_rollout);

  setup.out = temp_path("part.h5");
  setup.max_steps = 6;
  auto a = make_model("sinenet", o);
  a->initialise(4);
  Optimizer opt_a(oc, a->parameters().size());
  const auto head = train_model(*a, opt_a, *train, *train, fresh(*a), setup);
  setup.max_steps = 0;
  const auto saved = read_checkpoint_info(setup.out);
  auto b = make_model_from_yaml(saved.model_config);
  b->parameters().allocate();
  Optimizer opt_b(oc, b->parameters().size());
  load_checkpoint(setup.out, b->parameters(), &opt_b);
  const auto tail = train_model(*b, opt_b, *train, *train, saved, setup);
  std::vector<float> joined = head.losses;
  joined.insert(joined.end(), tail.losses.begin(), tail.losses.end());
  CHECK(joined == full.losses);

  // Pushforward trains too.
  setup.out.clear();
  setup.pushforward = true;
  auto p = make_model("sinenet", o);
  p->initialise(4);
  Optimizer opt_p(oc, p->parameters().size());
  const auto pf = train_model(*p, opt_p, *train, *train, fresh(*p), setup);
  CHECK(pf.state.history.back().train_loss < pf.state.history.front().train_loss);

  // Bad settings.
  setup.unroll = 1;
  CHECK_THROWS_WITH_AS(train_model(*p, opt_p, *train, *train, fresh(*p), setup),
                       doctest::Contains("--pushforward needs --unroll 2"), fieldlab::Error);
  setup.pushforward = false;
  setup.unroll = 0;
  CHECK_THROWS_WITH_AS(train_model(*p, opt_p, *train, *train, fresh(*p), setup),
                       doctest::Contains("--unroll must be at least 1"), fieldlab::Error);
  setup.unroll = 7;  // history 2 + 7 > 8 frames
  CHECK_THROWS_WITH_AS(train_model(*p, opt_p, *train, *train, fresh(*p), setup),
                       doctest::Contains("future 7 need at least 9"), fieldlab::Error);
}
