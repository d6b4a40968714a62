#include "nn/models/lpinn.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "nn/models/registry.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

void LpinnConfig::bind(ConfigKeys& k) {
  k.integer("width", width, 1, 4096, "neurons per hidden layer of both branches");
  k.integer("depth_x", depth_x, 1, 64, "hidden layers of the characteristic branch X");
  k.integer("depth_u", depth_u, 1, 64, "hidden layers of the state branch u");
  k.choice("activation", activation, {{"tanh", Activation::tanh}, {"sin", Activation::sin}},
           "activation between layers");
}

void LpinnConfig::validate() const {
  require(width >= 1 && depth_x >= 1 && depth_u >= 1,
          "lpinn: width, depth_x and depth_u must be positive, got {}, {}, {}", width, depth_x,
          depth_u);
}

namespace {

std::vector<int> branch_widths(const LpinnConfig& c, int depth) {
  std::vector<int> w{3};
  for (int i = 0; i < depth; ++i) w.push_back(c.width);
  w.push_back(1);
  return w;
}

const LpinnConfig& validated(const LpinnConfig& config) {
  config.validate();
  return config;
}

}  // namespace

LpinnModel::LpinnModel(std::string name, const LpinnConfig& config)
    : PointwiseModel(std::move(name)),
      config_("lpinn", validated(config)),
      x_net_(store_, "x_net.layers.", branch_widths(config, config.depth_x), config.activation,
             MLPNaming::module_list),
      u_net_(store_, "u_net.layers.", branch_widths(config, config.depth_u), config.activation,
             MLPNaming::module_list) {}

void LpinnModel::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  std::mt19937_64 rng(seed);
  x_net_.initialise_xavier(rng);
  u_net_.initialise_xavier(rng);
}

Var LpinnModel::forward(Graph& g, Var x) const {
  require(x.shape().size() == 2 && x.shape()[1] == 2, "lpinn: input must be (x0, t) [N, 2], got {}",
          to_string(x.shape()));
  const Var x0 = slice(x, 1, 0, 1);
  const Var features = concat_channels({cos(x0), sin(x0), slice(x, 1, 1, 2)});
  const Var X = add(x0, x_net_.forward(g, features));
  return concat_channels({X, u_net_.forward(g, features)});
}

Tensor LpinnModel::feature_jet(const Tensor& points) {
  require(points.dim() == 2 && points.size(1) == 2, "lpinn: labels must be (x0, t) [N, 2], got {}",
          to_string(points.shape()));
  const std::int64_t n = points.size(0);
  Tensor value({n, 3}), dx({n, 3}), dt({n, 3}), dxx({n, 3});
  for (std::int64_t i = 0; i < n; ++i) {
    const double x0 = points[i * 2];
    const float c = static_cast<float>(std::cos(x0)), s = static_cast<float>(std::sin(x0));
    value[i * 3] = c, value[i * 3 + 1] = s, value[i * 3 + 2] = points[i * 2 + 1];
    dx[i * 3] = -s, dx[i * 3 + 1] = c, dx[i * 3 + 2] = 0;
    dt[i * 3] = 0, dt[i * 3 + 1] = 0, dt[i * 3 + 2] = 1;
    dxx[i * 3] = -c, dxx[i * 3 + 1] = -s, dxx[i * 3 + 2] = 0;
  }
  return stack_jet_tensors(value, {dx, dt}, {dxx, Tensor()});
}

LpinnModel::Outputs LpinnModel::forward(Graph& g, const JetStack& features) const {
  require(features.width() == 3 && features.directions == 2,
          "lpinn: the feature jet must be (cos x0, sin x0, t) along (x0, t)");
  return {x_net_.forward(g, features), u_net_.forward(g, features)};
}

std::string LpinnModel::describe() const {
  const LpinnConfig& c = config_.value;
  std::string out = fmt::format(
      "LPINN ({} between layers): X = x0 + x_net(cos x0, sin x0, t), u = u_net(cos x0, sin x0, "
      "t)\n",
      config_.get("activation"));
  auto branch = [&](const char* name, const MLP& net, int depth) {
    const auto w = branch_widths(c, depth);
    out += fmt::format("  {:<60}{:>12}\n",
                       fmt::format("{}  widths {}", name, fmt::join(w, " -> ")),
                       static_cast<long long>(net.parameter_count()));
  };
  branch("x_net", x_net_, c.depth_x);
  branch("u_net", u_net_, c.depth_u);
  out += fmt::format("parameters: {}\n", store_.size());
  return out;
}

ModelEntry lpinn_model_entry() {
  ModelEntry e;
  e.family = "lpinn";
  e.help = "lpinn";
  e.matches = [](const std::string& n) { return n == "lpinn"; };
  e.default_config = [](const std::string&) -> std::unique_ptr<ModelConfig> {
    return std::make_unique<ConfigOf<LpinnConfig>>("lpinn", LpinnConfig{});
  };
  e.make = [](const std::string& n, const ModelConfig& config) -> std::unique_ptr<Model> {
    return std::make_unique<LpinnModel>(n, config_as<LpinnConfig>(config));
  };
  return e;
}

}  // namespace fieldlab::nn
