// Fuzzes the checkpoint load path (nn/checkpoint.cpp: read_checkpoint_info, load_checkpoint)
// with structure-aware mutations (h5_mutator.hpp) of a small valid checkpoint the harness writes
// with save_checkpoint. A load either succeeds or throws fieldlab::Error.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "fuzz/h5_mutator.hpp"
#include "nn/checkpoint.hpp"

namespace {

using namespace fieldlab::fuzz;
using namespace fieldlab::nn;

// The model the seed checkpoint holds: two parameters; Adam so the optimiser state is there.
struct Model {
  ParameterStore store;
  Optimizer optimizer{OptimizerConfig{OptimizerKind::adam}, 0};
  Model() {
    store.add("layer.weight", {3, 2});
    store.add("layer.bias", {3});
    store.allocate();
    optimizer = Optimizer(OptimizerConfig{OptimizerKind::adam}, store.size());
  }
};

const std::vector<Object>& seed() {
  static const std::vector<Object> objects = [] {
    Model m;
    for (std::size_t k = 0; k < m.store.values().size(); ++k) m.store.values()[k] = 0.1f * k;
    CheckpointInfo info;
    info.step = 12;
    info.config = "model: mlp\nepochs: 2\n";
    info.model_config = "model: mlp\nwidths: 2,3\nactivation: tanh\n";
    info.fields = {"u", "v"};
    info.mean = {0.5, -0.5};
    info.std = {1.0, 2.0};
    info.epoch = 1;
    info.batch = 3;
    info.seed = 7;
    info.epoch_loss_sum = 0.25;
    info.history = {{0, 6, 0.1, 0.2, 0.3, 1e-3, 1.5}};
    info.best_valid_rollout = 0.3;
    const std::string path = scratch_path("checkpoint-seed");
    save_checkpoint(path, m.store, &m.optimizer, info);
    auto s = read_structure(path);
    std::filesystem::remove(path);
    return s;
  }();
  return objects;
}

const std::vector<std::string> kNames = {"/parameters/layer.weight",
                                         "/parameters/layer.bias",
                                         "/optimizer/exp_avg",
                                         "/optimizer/exp_avg_sq",
                                         "/optimizer/momentum",
                                         "/normalisation/mean",
                                         "/normalisation/std",
                                         "/history",
                                         "format",
                                         "step",
                                         "config",
                                         "model_config",
                                         "fields",
                                         "epoch",
                                         "batch",
                                         "seed",
                                         "epoch_loss_sum",
                                         "best_valid_rollout",
                                         "parameter_count",
                                         "steps",
                                         "kind"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  std::vector<Object> objects = seed();
  mutate(objects, in, kNames);
  static const std::string path = scratch_path("checkpoint");
  write_structure(objects, path);
  try {
    (void)read_checkpoint_info(path);
  } catch (const fieldlab::Error&) {
  }
  try {
    Model m;
    (void)load_checkpoint(path, m.store, (size % 2) ? &m.optimizer : nullptr);
  } catch (const fieldlab::Error&) {
  }
  std::filesystem::remove(path);
  return 0;
}
