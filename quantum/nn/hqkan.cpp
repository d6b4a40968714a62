#include "quantum/nn/hqkan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "core/error.hpp"
#include "nn/layers/layer.hpp"
#include "nn/ops.hpp"

namespace fieldlab::quantum::qkan {

namespace {

// Copies n floats into `buffer` as doubles (growing it if needed).
double* to_double(const float* v, std::size_t n, std::vector<double>& buffer) {
  double* d = QkanWorkspace::room(buffer, n);
  for (std::size_t k = 0; k < n; ++k) d[k] = v[k];
  return d;
}

// The op; `owned` (may be null) is kept alive by the recorded backward when it owns `b`.
nn::Var record_qkan_layer(nn::Var x, nn::Var params, const QkanLayer& layer, QkanOpBuffers& b,
                          std::shared_ptr<QkanOpBuffers> owned) {
  const nn::Shape& xs = x.shape();
  require(xs.size() == 2 && xs[1] == layer.in(), "qkan_layer: input {} should be [N, {}]",
          nn::to_string(xs), layer.in());
  require(params.shape() == nn::Shape{static_cast<std::int64_t>(layer.num_params())},
          "qkan_layer: parameters {} should be [{}]", nn::to_string(params.shape()),
          layer.num_params());
  const int batch = static_cast<int>(xs[0]);
  nn::Graph& g = *x.graph;
  // Double copies at the op boundary; the kernels are QkanLayer's (the same as QkanNetwork's).
  const std::size_t n_x = static_cast<std::size_t>(x.value().numel());
  const std::size_t n_p = layer.num_params();
  const std::size_t n_y = static_cast<std::size_t>(batch) * layer.out();
  const double* xd = to_double(x.value().data(), n_x, b.x);
  const double* pd = to_double(params.value().data(), n_p, b.params);
  double* yd = QkanWorkspace::room(b.y, n_y);
  layer.forward(pd, xd, batch, yd, b.ws);
  nn::Tensor y = g.new_tensor({batch, layer.out()});
  for (std::size_t k = 0; k < n_y; ++k) y[static_cast<std::int64_t>(k)] = static_cast<float>(yd[k]);
  return g.record(
      y, {x, params},
      [x, params, &layer, &b, owned, batch, n_x, n_p, n_y](nn::Graph& g, const nn::Tensor& gy) {
        float* gx = g.grad_target(x);
        float* gp = g.grad_target(params);
        if (!gx && !gp) return;
        // Re-staged here: another call may have used the buffers since the forward.
        const double* xd = to_double(x.value().data(), n_x, b.x);
        const double* pd = to_double(params.value().data(), n_p, b.params);
        const double* dy = to_double(gy.data(), n_y, b.dy);
        double* dp = QkanWorkspace::room(b.d_params, n_p);
        std::fill(dp, dp + n_p, 0.0);
        double* dx = gx ? QkanWorkspace::room(b.d_x, n_x) : nullptr;
        layer.backward(pd, xd, batch, dy, dp, dx, b.ws);
        if (gp)
          for (std::size_t k = 0; k < n_p; ++k) gp[k] += static_cast<float>(dp[k]);
        if (gx)
          for (std::size_t k = 0; k < n_x; ++k) gx[k] += static_cast<float>(dx[k]);
      },
      nn::OutputUse::not_read);
}

}  // namespace

nn::Var qkan_layer(nn::Var x, nn::Var params, const QkanLayer& layer, QkanOpBuffers& buffers) {
  return record_qkan_layer(x, params, layer, buffers, nullptr);
}

nn::Var qkan_layer(nn::Var x, nn::Var params, const QkanLayer& layer) {
  auto owned = std::make_shared<QkanOpBuffers>();
  QkanOpBuffers& b = *owned;
  return record_qkan_layer(x, params, layer, b, std::move(owned));
}

QkanStack::QkanStack(nn::ParameterStore& store, const std::string& prefix,
                     const std::vector<int>& widths, int reps, DaruanReadout readout)
    : store_(&store) {
  require(widths.size() >= 2, "a QKAN stack needs at least two widths, got {}", widths.size());
  for (std::size_t k = 0; k + 1 < widths.size(); ++k) {
    layers_.emplace_back(widths[k], widths[k + 1], reps, readout);
    params_.push_back(store.add(prefix + "." + std::to_string(k),
                                {static_cast<std::int64_t>(layers_.back().num_params())}));
  }
  buffers_ = std::make_unique<QkanOpBuffers[]>(layers_.size());
}

void QkanStack::initialise(std::mt19937_64& rng) {
  nn::require_allocated(*store_, "qkan");
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    std::vector<double> p(layers_[k].num_params());
    layers_[k].initialise(p.data(), rng);
    nn::Tensor t = store_->value(params_[k]);
    for (std::size_t i = 0; i < p.size(); ++i)
      t[static_cast<std::int64_t>(i)] = static_cast<float>(p[i]);
  }
}

std::int64_t QkanStack::parameter_count() const {
  std::int64_t n = 0;
  for (const QkanLayer& l : layers_) n += static_cast<std::int64_t>(l.num_params());
  return n;
}

nn::Var QkanStack::forward(nn::Graph& graph, nn::Var x) const {
  for (std::size_t k = 0; k < layers_.size(); ++k)
    x = qkan_layer(x, graph.parameter(*store_, params_[k]), layers_[k], buffers_[k]);
  return x;
}

namespace {
// Checked before any parameter is declared, so a bad width is reported as HQKAN's.
const HqkanConfig& checked(const HqkanConfig& c) {
  require(c.in >= 1 && c.out >= 1, "HQKAN needs positive input and output widths, got {} -> {}",
          c.in, c.out);
  require(!c.core.empty(), "hqkan: core needs at least one width");
  return c;
}
}  // namespace

// Declaration order (the store's): encoder, decoder, QKAN core.
Hqkan::Hqkan(nn::ParameterStore& store, const std::string& prefix, const HqkanConfig& c)
    : config_(checked(c)),
      encoder_(store, prefix + ".encoder.", c.in, c.core.front()),
      decoder_(store, prefix + ".decoder.", c.core.back(), c.out),
      core_(store, prefix + ".qkan", c.core, c.reps, c.readout) {}

void Hqkan::initialise(std::mt19937_64& rng) {
  encoder_.initialise(rng);
  decoder_.initialise(rng);
  core_.initialise(rng);
}

nn::Var Hqkan::forward(nn::Graph& graph, nn::Var x) const {
  return decoder_.forward(graph, core_.forward(graph, encoder_.forward(graph, x)));
}

void HqkanConfig::bind(nn::ConfigKeys& k) {
  k.integer("inputs", in, 1, 1 << 16, "input features");
  k.integer("outputs", out, 1, 1 << 16, "output features");
  k.integers("core", core, 1, 1 << 12, "QKAN widths between encoder and decoder");
  k.integer("reps", reps, 1, 256, "DARUAN repetitions");
  k.choice("readout", readout,
           {{"pauli-z", DaruanReadout::pauli_z},
            {"amplitude-difference", DaruanReadout::amplitude_difference}},
           "DARUAN readout");
}

void HqkanConfig::validate() const {
  require(!core.empty(), "hqkan: core needs at least one width");
}

HqkanModel::HqkanModel(std::string name, const HqkanConfig& config)
    : nn::PointwiseModel(std::move(name)),
      config_("hqkan", config),
      net_(store_, "hqkan", config_.value) {}

void HqkanModel::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  std::mt19937_64 rng(seed);
  net_.initialise(rng);
}

nn::Var HqkanModel::forward(nn::Graph& graph, nn::Var x) const { return net_.forward(graph, x); }

std::string HqkanModel::describe() const {
  const auto& c = config_.value;
  std::string out =
      fmt::format("HQKAN ({} readout, {} repetitions): {} -> [{}] -> {}\n", to_string(c.readout),
                  c.reps, c.in, fmt::join(c.core, " -> "), c.out);
  const std::int64_t enc = static_cast<std::int64_t>(c.core.front()) * c.in + c.core.front();
  const std::int64_t dec = static_cast<std::int64_t>(c.out) * c.core.back() + c.out;
  out += fmt::format("  {:<60}{:>12}\n",
                     fmt::format("encoder  linear {} -> {}", c.in, c.core.front()), enc);
  out += fmt::format("  {:<60}{:>12}\n", fmt::format("qkan     {} layer(s)", c.core.size() - 1),
                     store_.size() - enc - dec);
  out += fmt::format("  {:<60}{:>12}\n",
                     fmt::format("decoder  linear {} -> {}", c.core.back(), c.out), dec);
  out += fmt::format("parameters: {}\n", store_.size());
  return out;
}

void add_hqkan_model(nn::ModelRegistry& registry) {
  nn::ModelEntry e;
  e.family = "hqkan";
  e.help = "hqkan";
  e.matches = [](const std::string& n) { return n == "hqkan"; };
  e.default_config = [](const std::string&) -> std::unique_ptr<nn::ModelConfig> {
    return std::make_unique<nn::ConfigOf<HqkanConfig>>("hqkan", HqkanConfig{});
  };
  e.make = [](const std::string& n, const nn::ModelConfig& config) -> std::unique_ptr<nn::Model> {
    return std::make_unique<HqkanModel>(n, nn::config_as<HqkanConfig>(config));
  };
  registry.add(std::move(e));
}

const nn::ModelRegistry& all_models() {
  static const nn::ModelRegistry registry = [] {
    nn::ModelRegistry r = nn::builtin_models();
    add_hqkan_model(r);
    return r;
  }();
  return registry;
}

}  // namespace fieldlab::quantum::qkan
