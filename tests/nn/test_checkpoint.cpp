// HDF5 checkpoint round trip: parameters by name, optimiser moments and step, configuration;
// mismatched models are refused with a clear error.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/sinenet.hpp"

using namespace fieldlab::nn;

namespace {
SineNetConfig tiny() {
  SineNetConfig c;
  c.fields = 2;
  c.history = 2;
  c.waves = 1;
  c.hidden = 4;
  c.mult = 1.5;
  c.levels = 2;
  return c;
}
}  // namespace

TEST_CASE("checkpoint round trip restores parameters, optimiser state, step and config") {
  const auto dir = std::filesystem::temp_directory_path() / "fieldlab_nn_ckpt_test";
  std::filesystem::remove_all(dir);  // a fresh folder: the listing below sees only this run
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "model.h5").string();

  SineNet a(tiny());
  a.initialise(1);
  OptimizerConfig oc;
  Optimizer opt(oc, a.parameters().size());
  for (std::size_t i = 0; i < a.parameters().grads().size(); ++i)
    a.parameters().grads()[i] = 0.001f * static_cast<float>(i % 17);
  opt.step(a.parameters(), 1e-3f);
  opt.step(a.parameters(), 1e-3f);
  CheckpointInfo saved;
  saved.step = 42;
  saved.config = "model: sinenet\nwaves: 1\n";
  save_checkpoint(path, a.parameters(), &opt, saved);
  CHECK(std::filesystem::exists(path));
  // Only the checkpoint is left: no temporary (model.h5.tmp-PID-N), no lock file.
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    CHECK(entry.path().filename() == "model.h5");

  SineNet b(tiny());
  b.initialise(2);
  Optimizer opt_b(oc, b.parameters().size());
  const CheckpointInfo info = load_checkpoint(path, b.parameters(), &opt_b);
  CHECK(info.step == 42);
  CHECK(info.config == "model: sinenet\nwaves: 1\n");
  CHECK(opt_b.steps() == 2);
  const auto va = a.parameters().values(), vb = b.parameters().values();
  REQUIRE(va.size() == vb.size());
  CHECK(std::equal(va.begin(), va.end(), vb.begin()));
  auto sa = opt.state(), sb = opt_b.state();
  for (std::size_t k = 0; k < sa.size(); ++k) CHECK(*sa[k].second == *sb[k].second);

  SineNetConfig other = tiny();
  other.hidden = 8;
  SineNet c(other);
  c.initialise(3);
  CHECK_THROWS_AS(load_checkpoint(path, c.parameters(), nullptr), fieldlab::Error);
  OptimizerConfig sgd;
  sgd.kind = OptimizerKind::sgd;
  Optimizer opt_sgd(sgd, b.parameters().size());
  CHECK_THROWS_AS(load_checkpoint(path, b.parameters(), &opt_sgd), fieldlab::Error);
  CHECK_THROWS_AS(load_checkpoint((dir / "missing.h5").string(), b.parameters(), nullptr),
                  fieldlab::Error);
  std::filesystem::remove_all(dir);
}
