// Conditioned training end to end on a small ns2d set: a SineNet conditioned on dt (adagn) and a
// PDE parameter (the file's viscosity attribute) trains with several windows per trajectory, its
// loss falls, stopping and resuming reproduces the losses bit for bit, the checkpoint records the
// conditioning, and the file's dt reaches the model: evaluating on a copy whose frame times are
// spaced differently changes the conditioned model's predictions but not an unconditioned one's.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trainer.hpp"
#include "tests/nn/ns2d_files.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;
namespace fs = std::filesystem;

namespace {

std::string temp_path(const std::string& name) {
  return test::fresh_temp_path("fieldlab_tests_conditioned", name);
}

// Periodic ns2d at 16^2, 8 frames 0.5 apart, with the run's attributes (viscosity).
std::string ns2d_file(const std::string& name, long long trajectories, unsigned long long seed) {
  return test::write_ns2d_file(temp_path(name), 16, trajectories, 8, 0.5, seed, true);
}

// A copy of `path` whose frame times are `scale` times as far apart (the data is unchanged).
std::string rescaled_times(const std::string& path, const std::string& name, double scale) {
  const std::string copy = temp_path(name);
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
  io::H5Handle file = io::open_file(copy, true);
  auto t = io::read_dataset_as_double(file.id(), "t");
  for (auto& v : t) v *= scale;
  io::H5Handle d = io::open_dataset(file.id(), "t");
  io::write_block(d.id(), {0}, {t.size()}, t.data());
  return copy;
}

ModelKeys small(const std::string& conditioning, const std::string& parameter) {
  ModelKeys o;
  o["fields"] = "1";
  o["history"] = "2";
  o["waves"] = "1";
  o["mult"] = "1.5";
  o["hidden"] = "8";
  o["levels"] = "2";
  o["padding"] = "circular";
  o["conditioning"] = conditioning;
  o["parameter"] = parameter;
  return o;
}

CheckpointInfo fresh_state(const datasets::TrajectoryReader& train, const Model& model) {
  CheckpointInfo s;
  s.fields = {"vorticity"};
  const auto norm = datasets::compute_normalisation(train, s.fields);
  s.mean = norm.mean;
  s.std = norm.std;
  s.seed = 4;
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

TEST_CASE(
    "conditioned SineNet: trains with several windows per trajectory, resumes exactly, "
    "and the file's dt reaches the model") {
  set_threads(1);
  const std::string train_path = ns2d_file("train.h5", 8, 1);
  const std::string valid_path = ns2d_file("valid.h5", 4, 2);
  auto train = datasets::open_trajectories(train_path);
  auto valid = datasets::open_trajectories(valid_path);

  TrainingSetup setup;
  setup.epochs = 4;
  setup.batch = 4;
  setup.lr = 3e-3;
  setup.warmup_epochs = 0.5;
  setup.windows_per_trajectory = 3;  // 24 windows: 6 batches per epoch
  setup.out = temp_path("full.h5");

  auto model = make_model("sinenet", small("adagn", "viscosity"));
  REQUIRE(as_frame_model(*model).conditioned());
  model->initialise(7);
  Optimizer opt(adamw(), model->parameters().size());
  const auto full = train_model(*model, opt, *train, *valid, fresh_state(*train, *model), setup);
  REQUIRE(full.stop == TrainingStop::finished);
  CHECK(full.losses.size() == 4 * 6);
  const auto& first = full.state.history.front();
  const auto& last = full.state.history.back();
  MESSAGE("train loss ", first.train_loss, " -> ", last.train_loss, ", valid one-step ",
          first.valid_one_step, " -> ", last.valid_one_step);
  CHECK(last.train_loss < 0.8 * first.train_loss);
  CHECK(last.valid_one_step < first.valid_one_step);

  // The checkpoint records the conditioning; eval/predict rebuild a conditioned model from it.
  const CheckpointInfo info = read_checkpoint_info(setup.out);
  CHECK(info.model_config.find("conditioning: adagn") != std::string::npos);
  CHECK(info.model_config.find("parameter: viscosity") != std::string::npos);
  auto loaded = make_model_from_yaml(info.model_config);
  REQUIRE(as_frame_model(*loaded).conditioned());
  loaded->parameters().allocate();
  load_checkpoint(setup.out, loaded->parameters(), nullptr);
  const datasets::Normalisation norm{info.fields, info.mean, info.std};

  // Stop after 8 steps (mid-epoch 2), resume in a fresh model: the losses are bit-identical.
  setup.out = temp_path("part.h5");
  setup.max_steps = 8;
  auto a = make_model("sinenet", small("adagn", "viscosity"));
  a->initialise(7);
  Optimizer opt_a(adamw(), a->parameters().size());
  const auto head = train_model(*a, opt_a, *train, *valid, fresh_state(*train, *a), setup);
  REQUIRE(head.stop == TrainingStop::max_steps);
  setup.max_steps = 0;
  const CheckpointInfo saved = read_checkpoint_info(setup.out);
  CHECK(saved.batch == 2);
  auto b = make_model_from_yaml(saved.model_config);
  b->parameters().allocate();
  Optimizer opt_b(adamw(), b->parameters().size());
  load_checkpoint(setup.out, b->parameters(), &opt_b);
  const auto tail = train_model(*b, opt_b, *train, *valid, saved, setup);
  std::vector<float> joined = head.losses;
  joined.insert(joined.end(), tail.losses.begin(), tail.losses.end());
  REQUIRE(joined.size() == full.losses.size());
  bool identical = true;
  for (std::size_t i = 0; i < joined.size(); ++i) identical &= joined[i] == full.losses[i];
  CHECK(identical);

  // dt reaches the model: the same frames with times 4x as far apart change the conditioned
  // model's one-step error and its rollout, and leave an unconditioned model's unchanged.
  const std::string stretched_path = rescaled_times(valid_path, "valid_dt2.h5", 4.0);
  auto stretched = datasets::open_trajectories(stretched_path);
  const Evaluation e1 = evaluate(*loaded, *valid, norm, {});
  const Evaluation e2 = evaluate(*loaded, *stretched, norm, {});
  MESSAGE("conditioned one-step error at dt 0.5: ", e1.one_step_model_mean(),
          ", at dt 2.0: ", e2.one_step_model_mean());
  CHECK(e1.one_step_persistence_mean() == e2.one_step_persistence_mean());  // same frames
  CHECK(std::abs(e1.one_step_model_mean() - e2.one_step_model_mean()) >
        1e-3 * e1.one_step_model_mean());
  CHECK(e1.rollout_model_mean() != e2.rollout_model_mean());
  const auto r1 = rollout_trajectory(*loaded, *valid, norm, 1, 3);
  const auto r2 = rollout_trajectory(*loaded, *stretched, norm, 1, 3);
  CHECK(r1 != r2);
  auto plain = make_model("sinenet", small("none", ""));
  plain->initialise(7);
  CHECK(evaluate(*plain, *valid, norm, {}).one_step_model_mean() ==
        evaluate(*plain, *stretched, norm, {}).one_step_model_mean());

  // Data without what the model is conditioned on: clear usage errors naming it.
  const std::string no_t_path = temp_path("valid_no_t.h5");
  fs::copy_file(valid_path, no_t_path, fs::copy_options::overwrite_existing);
  {
    io::H5Handle file = io::open_file(no_t_path, true);
    REQUIRE(H5Ldelete(file.id(), "t", H5P_DEFAULT) >= 0);
  }
  auto no_t = datasets::open_trajectories(no_t_path);
  CHECK_THROWS_WITH_AS(evaluate(*loaded, *no_t, norm, {}), doctest::Contains("no dataset 't'"),
                       fieldlab::Error);
  auto other = make_model("sinenet", small("add", "buoyancy_y"));
  other->initialise(1);
  CHECK_THROWS_WITH_AS(evaluate(*other, *valid, norm, {}),
                       doctest::Contains("no PDE parameter 'buoyancy_y'"), fieldlab::Error);

  // Model::step refuses a mismatch between the model and the values given.
  Graph g;
  std::vector<float> zeros(2 * 2 * 16 * 16, 0.0f);
  Var x = g.constant(Tensor::view(zeros.data(), {2, 2, 16, 16}));
  const std::vector<float> dt = {0.5f, 0.5f};
  CHECK_THROWS_WITH_AS(as_frame_model(*loaded).step(g, x), doctest::Contains("needs dt"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(as_frame_model(*plain).step(g, x, {dt, {}}),
                       doctest::Contains("not conditioned"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("unet", small("add", "")), doctest::Contains("no conditioning"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("sinenet", small("none", "buo_y")),
                       doctest::Contains("--conditioning add or adagn"), fieldlab::Error);
}
