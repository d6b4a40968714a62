// The training pipeline end to end on a small ns2d set: a small SineNet learns to beat the
// persistence baseline, resuming from a mid-epoch checkpoint reproduces the losses bit for bit,
// and mismatched checkpoints, data and diverging training are clear errors. Also the model
// registry.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trainer.hpp"
#include "tests/nn/ns2d_files.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

std::string temp_path(const std::string& name) {
  return test::fresh_temp_path("fieldlab_tests_training", name);
}

// Periodic 2D Navier-Stokes (FNO forcing), 32^2, 12 frames 1.0 apart.
std::string ns2d_file(const std::string& name, long long trajectories, unsigned long long seed) {
  return test::write_ns2d_file(temp_path(name), 32, trajectories, 12, 1.0, seed);
}

ModelKeys small_sinenet() {
  ModelKeys o;
  o["fields"] = "1";
  o["history"] = "2";
  o["waves"] = "2";
  o["mult"] = "1.5";
  o["hidden"] = "8";
  o["levels"] = "3";
  o["padding"] = "circular";
  return o;
}

CheckpointInfo fresh_state(const datasets::TrajectoryReader& train, const Model& model,
                           unsigned long long seed) {
  CheckpointInfo s;
  s.fields = {"vorticity"};
  const auto norm = datasets::compute_normalisation(train, s.fields);
  s.mean = norm.mean;
  s.std = norm.std;
  s.seed = seed;
  s.model_config = model.config_yaml();
  s.config = "test";
  return s;
}

OptimizerConfig adamw() {
  OptimizerConfig oc;
  oc.weight_decay = 1e-5f;
  return oc;
}

}  // namespace

TEST_CASE("model registry: names, options round trip, errors") {
  ModelKeys o;
  o["fields"] = "3";
  o["history"] = "4";
  CHECK(make_model("sinenet8", o)->parameters().size() == 35490219);
  CHECK(make_model("SineNet-6", o)->parameters().size() == 35475499);
  o["waves"] = "4";
  CHECK(make_model("sinenet", o)->parameters().size() == 35493699);
  auto small = make_model("sinenet", small_sinenet());
  auto again = make_model_from_yaml(small->config_yaml());
  CHECK(again->config_yaml() == small->config_yaml());
  CHECK(again->parameters().size() == small->parameters().size());
  CHECK(as_frame_model(*small).size_multiple() == 8);
  // The U-Net baseline through the registry: the reference's deeper_unet8-dual count, and a
  // checkpoint's YAML rebuilds it (blocks recorded).
  ModelKeys u;
  auto unet = make_model("unet", u);
  CHECK(unet->parameters().size() == 28628084);
  CHECK(make_model_from_yaml(unet->config_yaml())->parameters().size() == 28628084);
  u["blocks"] = "2";
  CHECK(make_model("unet", u)->parameters().size() < 28628084);
  u["waves"] = "3";
  CHECK_THROWS_WITH_AS(make_model("unet", u), doctest::Contains("one wave"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("transformer", o), doctest::Contains("unknown model"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("sinenet4",
                                  [] {
                                    ModelKeys m;
                                    m["waves"] = "2";
                                    return m;
                                  }()),
                       doctest::Contains("--waves 2"), fieldlab::Error);
}

TEST_CASE("a small SineNet trained on ns2d beats persistence; resume is exact" *
          doctest::test_suite("slow")) {
  set_threads(1);
  const std::string train_path = ns2d_file("train.h5", 24, 1);
  const std::string valid_path = ns2d_file("valid.h5", 8, 2);
  auto train = datasets::open_trajectories(train_path);
  auto valid = datasets::open_trajectories(valid_path);

  TrainingSetup setup;
  setup.epochs = 8;
  setup.batch = 4;
  setup.lr = 3e-3;
  setup.warmup_epochs = 0.5;
  setup.seed = 5;
  setup.out = temp_path("full.h5");

  auto model = make_model("sinenet", small_sinenet());
  model->initialise(11);
  Optimizer opt(adamw(), model->parameters().size());
  const auto full =
      train_model(*model, opt, *train, *valid, fresh_state(*train, *model, setup.seed), setup);
  REQUIRE(full.stop == TrainingStop::finished);
  REQUIRE(full.state.history.size() == 8);
  CHECK(full.losses.size() == 8 * 6);
  const auto& first = full.state.history.front();
  const auto& last = full.state.history.back();
  MESSAGE("valid one-step ", first.valid_one_step, " -> ", last.valid_one_step, ", rollout ",
          first.valid_rollout, " -> ", last.valid_rollout);
  CHECK(last.valid_one_step < 0.7 * first.valid_one_step);
  CHECK(last.valid_rollout < 0.7 * first.valid_rollout);

  // The best checkpoint against persistence on the validation set: at least 30% lower error.
  auto best = make_model_from_yaml(model->config_yaml());
  best->parameters().allocate();
  const auto info = load_checkpoint(best_path(setup.out), best->parameters(), nullptr);
  const datasets::Normalisation norm{info.fields, info.mean, info.std};
  const Evaluation e = evaluate(*best, *valid, norm, {});
  MESSAGE("one-step ", e.one_step_model_mean(), " (persistence ", e.one_step_persistence_mean(),
          "), rollout ", e.rollout_model_mean(), " (persistence ", e.rollout_persistence_mean(),
          ")");
  CHECK(e.windows == 8 * 10);
  CHECK(e.rollout_steps == 10);
  CHECK(e.one_step_model_mean() < 0.7 * e.one_step_persistence_mean());
  CHECK(e.rollout_model_mean() < 0.7 * e.rollout_persistence_mean());
  CHECK(info.best_valid_rollout == doctest::Approx(e.rollout_model_mean()).epsilon(1e-9));

  // Stop after 9 steps (mid-epoch 2), resume from the checkpoint in a fresh model and optimiser:
  // the concatenated per-step losses equal the uninterrupted run's bit for bit.
  setup.out = temp_path("part.h5");
  setup.max_steps = 9;
  auto a = make_model("sinenet", small_sinenet());
  a->initialise(11);
  Optimizer opt_a(adamw(), a->parameters().size());
  const auto head =
      train_model(*a, opt_a, *train, *valid, fresh_state(*train, *a, setup.seed), setup);
  REQUIRE(head.stop == TrainingStop::max_steps);
  CHECK(head.losses.size() == 9);
  setup.max_steps = 0;
  const CheckpointInfo saved = read_checkpoint_info(setup.out);
  CHECK(saved.step == 9);
  CHECK(saved.epoch == 1);
  CHECK(saved.batch == 3);
  auto b = make_model_from_yaml(saved.model_config);
  b->parameters().allocate();
  Optimizer opt_b(adamw(), b->parameters().size());
  load_checkpoint(setup.out, b->parameters(), &opt_b);
  const auto tail = train_model(*b, opt_b, *train, *valid, saved, setup);
  REQUIRE(tail.stop == TrainingStop::finished);
  std::vector<float> joined = head.losses;
  joined.insert(joined.end(), tail.losses.begin(), tail.losses.end());
  REQUIRE(joined.size() == full.losses.size());
  bool identical = true;
  for (std::size_t i = 0; i < joined.size(); ++i) identical &= joined[i] == full.losses[i];
  CHECK(identical);
  CHECK(tail.state.history.back().valid_rollout == last.valid_rollout);
  CHECK(tail.state.history.front().train_loss == first.train_loss);

  // A checkpoint of another model shape is refused by name.
  ModelKeys other = small_sinenet();
  other["hidden"] = "12";
  auto wrong = make_model("sinenet", other);
  wrong->parameters().allocate();
  CHECK_THROWS_WITH_AS(load_checkpoint(setup.out, wrong->parameters(), nullptr),
                       doctest::Contains("a different model"), fieldlab::Error);
  // Data without the checkpoint's fields is refused by name.
  datasets::Normalisation missing{{"pressure"}, {0.0}, {1.0}};
  CHECK_THROWS_WITH_AS(evaluate(*best, *valid, missing, {}), doctest::Contains("'pressure'"),
                       fieldlab::Error);

  // A diverging run stops with the step named.
  setup.out.clear();
  setup.lr = 1e12;
  setup.warmup_epochs = 0;
  setup.clip = 0;
  auto c = make_model("sinenet", small_sinenet());
  c->initialise(11);
  Optimizer opt_c(adamw(), c->parameters().size());
  CHECK_THROWS_WITH_AS(train_model(*c, opt_c, *train, *valid, fresh_state(*train, *c, 5), setup),
                       doctest::Contains("at step"), fieldlab::Error);
}
