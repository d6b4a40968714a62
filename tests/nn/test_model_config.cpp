// Typed model configurations (nn/models/model_config.hpp) and the registry: every model's YAML
// round-trips and rebuilds the same network, describe works for every model, errors name the key
// and its valid range or the valid keys, checkpoints written before the typed configs still
// build the same networks, and a run identity stored by the older command-line form re-derives
// to the one the structs give now.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/models/mlp_model.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/trainer.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

TEST_CASE("every registered model: YAML round trip, same parameters, describe") {
  for (const auto& entry : builtin_models().entries()) {
    CAPTURE(entry.family);
    auto model = make_model(entry.family);
    const std::string yaml = model->config_yaml();
    auto again = make_model_from_yaml(yaml);
    CHECK(again->config_yaml() == yaml);
    CHECK(again->name() == model->name());
    CHECK(again->parameters().size() == model->parameters().size());
    const std::string d = model->describe();
    CHECK(d.find("parameters: " + std::to_string(model->parameters().size())) != std::string::npos);
    // Every written key is settable to the value it reads back.
    auto config = builtin_models().default_config(entry.family);
    for (const auto& key : config->keys())
      if (!key.legacy) config->set(key.name, key.get());
    CHECK(config->to_yaml() == model->config().to_yaml());
  }
  CHECK(known_models() == "sinenet, sinenetK (K = 1, 2, 4, 6, 8), unet, mlp, lpinn");
}

TEST_CASE("model configs: a SineNet's text is the one checkpoints always stored") {
  // What ModelOptions::to_yaml wrote before the typed configs, byte for byte.
  CHECK(make_model("sinenet")->config_yaml() ==
        "model: sinenet\nfields: 3\nhistory: 4\nwaves: 8\nmult: 1.425\nhidden: 64\nlevels: 4\n"
        "blocks: 1\npadding: zeros\ntangled: false\nconditioning: none\nparameter: \n");
  CHECK(make_model("sinenet4", {{"conditioning", "adagn"}, {"condition-parameter", "buo_y"}})
            ->config_yaml() ==
        "model: sinenet4\nfields: 3\nhistory: 4\nwaves: 4\nmult: 1.611\nhidden: 64\nlevels: 4\n"
        "blocks: 1\npadding: zeros\ntangled: false\nconditioning: adagn\nparameter: buo_y\n");
}

TEST_CASE("model configs: checkpoints written before the typed configs still load") {
  // Texts as older versions stored them in `model_config`.
  const std::string old_unet =
      "model: unet\nfields: 3\nhistory: 4\nwaves: 1\nmult: 1.425\nhidden: 64\nlevels: 4\n"
      "blocks: 8\npadding: zeros\ntangled: false\nconditioning: none\nparameter: \n";
  auto unet = make_model_from_yaml(old_unet);
  CHECK(unet->parameters().size() == 28628084);
  // The U-Net's text no longer carries the keys it cannot vary.
  CHECK(unet->config_yaml() ==
        "model: unet\nfields: 3\nhistory: 4\nmult: 1.425\nhidden: 64\nlevels: 4\nblocks: 8\n"
        "padding: zeros\ntangled: false\n");
  const std::string old_sinenet =
      "model: sinenet-6\nfields: 3\nhistory: 4\nwaves: 6\nmult: 1.5\nhidden: 64\nlevels: 4\n"
      "blocks: 1\npadding: circular\ntangled: true\nconditioning: add\nparameter: viscosity\n";
  auto s = make_model_from_yaml(old_sinenet);
  CHECK(s->config_yaml() == old_sinenet);
  const auto& frames = as_frame_model(*s);
  CHECK(frames.conditioning() == "add");
  CHECK(frames.condition_parameter() == "viscosity");
  CHECK(frames.size_multiple() == 16);
  // A legacy key with a value a U-Net cannot have is refused by name.
  std::string bad = old_unet;
  bad.replace(bad.find("waves: 1"), 8, "waves: 2");
  CHECK_THROWS_WITH_AS(make_model_from_yaml(bad), doctest::Contains("unet has one wave"),
                       fieldlab::Error);
}

TEST_CASE("model configs: errors name the key, its range, or the valid keys") {
  CHECK_THROWS_WITH_AS(make_model("sinenet", {{"wave", "2"}}),
                       doctest::Contains("unknown configuration key 'wave' (valid: fields, "
                                         "history, waves, mult, hidden, levels, blocks"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("sinenet", {{"hidden", "0"}}),
                       doctest::Contains("hidden must be an integer in [1, 65536], got '0'"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("unet", {{"mult", "9"}}),
                       doctest::Contains("mult must be a number in [1, 8], got '9'"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("sinenet", {{"padding", "reflect"}}),
                       doctest::Contains("unknown padding 'reflect' (valid: zeros, circular)"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("sinenet", {{"waves", "3"}}),
                       doctest::Contains("no preset channel multiplier for 3 waves"),
                       fieldlab::Error);
  CHECK(make_model("sinenet", {{"waves", "3"}, {"mult", "1.5"}})->parameters().size() > 0);
  CHECK_THROWS_WITH_AS(make_model("mlp", {{"widths", "2"}}),
                       doctest::Contains("at least an input and an output width"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("mlp", {{"widths", "2,x,1"}}),
                       doctest::Contains("widths must be comma-separated integers"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model("gpt"), doctest::Contains("unknown model 'gpt' (known: sinenet"),
                       fieldlab::Error);
  CHECK_THROWS_WITH_AS(as_frame_model(*make_model("mlp")),
                       doctest::Contains("not a frame-to-frame model"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(as_pointwise_model(*make_model("unet")),
                       doctest::Contains("not a pointwise model"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(make_model_from_yaml("fields: 3\n"), doctest::Contains("names no model"),
                       fieldlab::Error);
}

TEST_CASE("the mlp: PyTorch names, Xavier-uniform weights, zero biases, jets agree with forward") {
  auto model = make_pointwise_model("mlp", {{"widths", "2,3,1"}, {"activation", "sin"}});
  model->initialise(7);
  auto& store = model->parameters();
  REQUIRE(store.size() == 2 * 3 + 3 + 3 + 1);
  const Tensor w0 = store.value("layers.0.weight");
  const float bound = std::sqrt(6.0f / 5.0f);
  for (std::int64_t i = 0; i < w0.numel(); ++i) CHECK(std::abs(w0[i]) <= bound);
  const Tensor b1 = store.value("layers.1.bias");
  CHECK(b1[0] == 0.0f);
  auto points = [](float shift) {
    Tensor x({4, 2});  // fresh storage (a Tensor copy would share it)
    for (int i = 0; i < 8; ++i) x[i] = 0.1f * i - 0.3f + (i % 2 == 0 ? shift : 0.0f);
    return x;
  };
  const Tensor x = points(0.0f);
  Graph g;
  const std::vector<float> y = model->forward(g, g.constant(x)).value().to_vector();
  const Jet j = model->forward(g, jet_input(g, x, {0}));
  const std::vector<float> jv = j.value.value().to_vector(), jd = j.d1[0].value().to_vector();
  // d/dx0 by central differences of the plain forward pass.
  const float h = 1e-2f;
  const Tensor xp = points(h), xm = points(-h);
  const std::vector<float> yp = model->forward(g, g.constant(xp)).value().to_vector();
  const std::vector<float> ym = model->forward(g, g.constant(xm)).value().to_vector();
  for (int i = 0; i < 4; ++i) {
    CHECK(jv[i] == doctest::Approx(y[i]).epsilon(1e-6));
    CHECK(jd[i] == doctest::Approx((yp[i] - ym[i]) / (2 * h)).epsilon(1e-3));
  }
}

TEST_CASE("run identity: the older command-line form re-derives to the structs' identity") {
  // The `config` attribute a SineNet-2 run stored before the typed configs (CLI11's values).
  const std::string old_form =
      "model: SineNet-2\ndata: tr.h5\nvalid: va.h5\nfields: \"\"\nhistory: 4\nwaves: 0\nmult: 0\n"
      "hidden: 8\nlevels: 2\nblocks: 0\npadding: zeros\ntangled: false\nconditioning: none\n"
      "condition-parameter: \"\"\nepochs: 3\nbatch: 2\nwindows-per-trajectory: 1\nunroll: 1\n"
      "pushforward: false\nlr: 1e-3\nwarmup-epochs: 1\nweight-decay: 1e-05\nclip: 1\n"
      "rollout: 0\nseed: 0\n";
  auto config = builtin_models().default_config("sinenet-2");
  config->set_all({{"hidden", "8"}, {"levels", "2"}, {"fields", "1"}});
  TrainingSetup setup;
  setup.epochs = 3;
  setup.batch = 2;
  setup.lr = 0.001;
  const std::string now = training_identity("sinenet-2", *config, "tr.h5", "va.h5", {}, setup);
  CHECK(canonical_training_identity(old_form) == now);
  CHECK(canonical_training_identity(now) == now);
  CHECK(now.find("waves: 2\nmult: 1.8075\n") != std::string::npos);
  // Any identity key that differs is a different run.
  setup.lr = 0.002;
  CHECK(canonical_training_identity(old_form) !=
        training_identity("sinenet-2", *config, "tr.h5", "va.h5", {}, setup));
  CHECK_THROWS_WITH_AS(canonical_training_identity(old_form + "mystery: 1\n"),
                       doctest::Contains("unknown key 'mystery'"), fieldlab::Error);
}
