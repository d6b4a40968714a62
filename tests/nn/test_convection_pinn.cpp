// LPINN and the standard PINN on the periodic convection family (nn/train/tasks/), against the
// exact solutions of solvers/convection1d_reference.hpp:
//   * convection, nu = 0, u0 = sin x: LPINN relative L2 below 1e-2 at c = 10, 30, 50 and the
//     c = 50 error within 3x of the c = 10 error (the paper's claim: no failure with speed);
//   * the standard 4x50 tanh PINN with L-BFGS fails at c = 30 (relative L2 > 0.5, as published)
//     and the curriculum (warm starts at c = 10, 20) lowers its c = 30 error (by 25% at the
//     suite's budget; the published tenfold gain needs more, see the case);
//   * a run stopped mid-L-BFGS and resumed from its checkpoint takes the same steps with the same
//     losses as one never stopped; the full-batch closure is deterministic.
// Budgets are the smallest that show each claim (stated per case); the full sweep is bench/pinn.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/tasks/convection_pinn.hpp"
#include "nn/train/tasks/convection_pinn_training.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

// Small matrices: one thread (OpenMP barriers cost more than they save at these sizes).
struct OneThread {
#ifdef _OPENMP
  int saved = omp_get_max_threads();
  OneThread() { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(saved); }
#endif
};

PinnTrainingRun train(PinnMethod method, double c, int nx, int nt, long long adam, long long lbfgs,
                      std::vector<double> curriculum = {}) {
  PinnTrainingRequest r;
  r.config = ConvectionPinnConfig::defaults(method, solvers::Convection1dPde::convection, c);
  r.config.nx = nx;
  r.config.nt = nt;
  r.config.adam_steps = adam;
  r.config.lbfgs_iterations = lbfgs;
  r.config.curriculum = std::move(curriculum);
  return run_convection_pinn_training(r);
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / name).string();
}

}  // namespace

TEST_CASE("LPINN learns convection at c = 10, 30 and 50 to a relative L2 below 1e-2" *
          doctest::test_suite("slow")) {
  OneThread one;
  // Budget: 64 x 20 collocation points, 500 Adam steps (lr 1e-2), 200 L-BFGS iterations.
  double error[3];
  const double speeds[3] = {10, 30, 50};
  for (int k = 0; k < 3; ++k) {
    const PinnTrainingRun run = train(PinnMethod::lagrangian, speeds[k], 64, 20, 500, 200);
    REQUIRE(run.stop == TrainingStop::finished);
    error[k] = run.evaluation.relative_l2;
    std::printf("LPINN c=%g: relative L2 %.3e on 256 x 100 (%s), %.1f s\n", speeds[k], error[k],
                run.evaluation.reference.c_str(), run.seconds);
    CHECK(run.evaluation.reference == "fourier");
    CHECK(error[k] < 1e-2);
  }
  CHECK(error[2] < 3 * error[0]);
}

TEST_CASE("the standard PINN fails at c = 30; the curriculum's warm starts help" *
          doctest::test_suite("slow")) {
  OneThread one;
  // Budget: 64 x 64 collocation points, L-BFGS only (as the failure-mode study), 1000 iterations
  // per stage; the curriculum adds stages at c = 10 and 20 before c = 30. Measured: 0.861 plain,
  // 0.642 with the curriculum (its c = 10 stage 0.132). The published tenfold gain needs a larger
  // budget: Adam 1000 steps (lr 1e-3) + L-BFGS 1000 per stage reached 0.095 at c = 30 in 265 s
  // (docs/pinn.md), too long for the suite.
  const PinnTrainingRun plain = train(PinnMethod::eulerian, 30, 64, 64, 0, 1000);
  const PinnTrainingRun staged = train(PinnMethod::eulerian, 30, 64, 64, 0, 1000, {10, 20});
  std::printf("PINN c=30: relative L2 %.3e plain (%.1f s), %.3e with curriculum 10,20 (%.1f s)\n",
              plain.evaluation.relative_l2, plain.seconds, staged.evaluation.relative_l2,
              staged.seconds);
  CHECK(plain.evaluation.relative_l2 > 0.5);
  CHECK(staged.evaluation.relative_l2 < 0.85 * plain.evaluation.relative_l2);
  REQUIRE(staged.phases.size() == 6);
  CHECK(staged.phases[1].speed == 10);
  CHECK(staged.phases[1].relative_l2 < 0.25);  // each stage is learnt at its own speed
}

TEST_CASE("LPINN training stopped inside L-BFGS resumes exactly from its checkpoint") {
  OneThread one;
  const std::string path = temp_path("fieldlab_lpinn_resume.h5");
  std::filesystem::remove(path);
  PinnTrainingRequest r;
  r.config = ConvectionPinnConfig::defaults(PinnMethod::lagrangian,
                                            solvers::Convection1dPde::convection_diffusion, 5);
  r.config.nx = 16;
  r.config.nt = 6;
  r.config.adam_steps = 12;
  r.config.lbfgs_iterations = 30;
  r.config.lbfgs_step_iterations = 5;
  r.config.checkpoint_every = 4;
  r.model_keys = {{"width", "8"}, {"depth_x", "1"}, {"depth_u", "2"}};
  const PinnTrainingRun whole = run_convection_pinn_training(r);  // no checkpoint
  REQUIRE(whole.losses.size() == 12 + 6);
  r.out = path;
  r.max_steps = 15;  // 12 Adam steps, then 3 of the 6 L-BFGS steps
  const PinnTrainingRun first = run_convection_pinn_training(r);
  CHECK(first.stop == TrainingStop::max_steps);
  CHECK(first.position.phase == 1);
  CHECK(first.position.step == 3);
  r.max_steps = 0;
  r.resume = true;
  const PinnTrainingRun rest = run_convection_pinn_training(r);
  CHECK(rest.stop == TrainingStop::finished);
  std::vector<float> joined = first.losses;
  joined.insert(joined.end(), rest.losses.begin(), rest.losses.end());
  REQUIRE(joined.size() == whole.losses.size());
  for (std::size_t i = 0; i < joined.size(); ++i) {
    CAPTURE(i);
    CHECK(joined[i] == whole.losses[i]);
  }
  CHECK(rest.evaluation.relative_l2 == whole.evaluation.relative_l2);
  // The checkpoint rebuilds the network and its task.
  const TrainedPinn loaded = load_trained_pinn(path);
  CHECK(is_pinn_checkpoint(path));
  CHECK(loaded.config.to_yaml() == r.config.to_yaml());
  const ConvectionPinn task(*loaded.model, loaded.config);
  CHECK(evaluate_convection_pinn(task).relative_l2 == whole.evaluation.relative_l2);
  // A resume with another option names it; an existing checkpoint is not overwritten silently.
  r.config.adam_lr = 5e-3;
  CHECK_THROWS_WITH_AS(run_convection_pinn_training(r), doctest::Contains("adam_lr"),
                       fieldlab::Error);
  r.resume = false;
  CHECK_THROWS_WITH_AS(run_convection_pinn_training(r), doctest::Contains("--overwrite"),
                       fieldlab::Error);
  std::filesystem::remove(path);
}

TEST_CASE("the full-batch loss and gradient closure is deterministic") {
  OneThread one;
  auto cfg =
      ConvectionPinnConfig::defaults(PinnMethod::lagrangian, solvers::Convection1dPde::burgers, 2);
  cfg.nx = 16;
  cfg.nt = 5;
  auto model = builtin_models().make("lpinn", {{"width", "10"}, {"speed_scale", "3"}});
  model->initialise(3);
  const ConvectionPinn task(*model, cfg);
  std::vector<float> grads[2];
  float losses[2];
  for (int k = 0; k < 2; ++k) {
    Graph g;
    model->parameters().zero_grad();
    Var l = task.loss(g, 2);
    losses[k] = l.value()[0];
    g.backward(l);
    grads[k].assign(model->parameters().grads().begin(), model->parameters().grads().end());
  }
  CHECK(losses[0] == losses[1]);
  CHECK(grads[0] == grads[1]);
}

TEST_CASE("PINN task configuration: bad values and keys are usage errors naming them") {
  auto c =
      ConvectionPinnConfig::defaults(PinnMethod::lagrangian, solvers::Convection1dPde::convection);
  CHECK_THROWS_WITH_AS(c.set("nx", "ten"), doctest::Contains("nx"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(c.set("colour", "1"), doctest::Contains("unknown PINN option 'colour'"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(c.set("method", "xpinn"), doctest::Contains("lpinn, pinn"), fieldlab::Error);
  c.set("curriculum", "40");
  CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("curriculum"), fieldlab::Error);
  c.set("curriculum", "");
  c.set("nx", "2");
  CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("collocation"), fieldlab::Error);
  // The YAML round trip keeps every key.
  c.set("nx", "32");
  c.set("curriculum", "5,10");
  CHECK(ConvectionPinnConfig::from_yaml(c.to_yaml()).to_yaml() == c.to_yaml());
  // A model of the other method is refused.
  auto mlp = builtin_models().make("mlp", {{"widths", "2,4,1"}});
  CHECK_THROWS_WITH_AS(ConvectionPinn(*mlp, c), doctest::Contains("not an lpinn"), fieldlab::Error);
}
