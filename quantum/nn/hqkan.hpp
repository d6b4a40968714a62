#pragma once
// QKAN inside nn models: a QKAN layer as a differentiable op on the nn Graph (forward and backward
// through the analytic DARUAN gradients of QkanLayer), a QKAN stack whose parameters live in an
// nn ParameterStore, and HQKAN (linear encoder -> QKAN core -> linear decoder), a drop-in
// replacement for an MLP mapping [N, in] to [N, out]. QkanStack and Hqkan follow nn's one layer
// convention (nn/layers/layer.hpp): constructed on the model's store, whose address they keep,
// then initialise(rng) and forward(graph, x) without the store. The pure double-precision path
// (QkanLayer, QkanNetwork in quantum/qkan) owns no nn store and is unchanged. HqkanModel is HQKAN
// as an nn PointwiseModel (nn/models/model.hpp) with its own store and typed config, registered by
// add_hqkan_model() as the model "hqkan" in all_models(), the registry apps/ and Python use: nn's
// registry never names it.
//
// nn works in float32; the op converts to double at its boundary and runs the same double kernels
// as QkanNetwork, so values and gradients agree with it to float rounding. quantum depends on nn,
// never the other way round.

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nn/graph.hpp"
#include "nn/layers/linear.hpp"
#include "nn/models/model.hpp"
#include "nn/models/registry.hpp"
#include "nn/parameter_store.hpp"
#include "quantum/qkan/qkan_layer.hpp"

namespace fieldlab::quantum::qkan {

// Reusable double-precision staging of the op (the float32 inputs and gradients converted at its
// boundary) and the layer's scratch: they grow to the largest batch and are then reused, so a
// training loop allocates nothing per step. One set serves one op call at a time (forward, then
// that call's backward); QkanStack keeps one per layer.
struct QkanOpBuffers {
  std::vector<double> x, params, y, dy, d_params, d_x;
  QkanWorkspace ws;
};

// x: [N, layer.in()], params: [layer.num_params()] in QkanLayer's layout; returns [N, layer.out()].
// Gradients flow to x and params. `layer` and `buffers` must outlive the graph's backward pass.
nn::Var qkan_layer(nn::Var x, nn::Var params, const QkanLayer& layer, QkanOpBuffers& buffers);
// The same with buffers owned by the recorded op (allocates per call: for one-off uses and tests).
nn::Var qkan_layer(nn::Var x, nn::Var params, const QkanLayer& layer);

// QKAN layers with widths w0 -> w1 -> ... as nn parameters "<prefix>.<k>" (one flat tensor each).
// The store must outlive the stack and not move while it exists (the layer convention).
class QkanStack {
 public:
  QkanStack(nn::ParameterStore& store, const std::string& prefix, const std::vector<int>& widths,
            int reps, DaruanReadout readout = DaruanReadout::pauli_z);
  // After store.allocate(): QkanLayer::initialise per layer (theta ~ N(0, 1), w = 1, b = 0, p = 1,
  // c = 0, g = 0.5), drawn in double and stored as float.
  void initialise(std::mt19937_64& rng);
  std::int64_t parameter_count() const;
  // x: [N, widths.front()] -> [N, widths.back()].
  nn::Var forward(nn::Graph& graph, nn::Var x) const;
  const std::vector<QkanLayer>& layers() const { return layers_; }

 private:
  nn::ParameterStore* store_;
  std::vector<QkanLayer> layers_;
  std::vector<int> params_;
  // One staging set per layer, created with the stack (so their addresses never change).
  std::unique_ptr<QkanOpBuffers[]> buffers_;
};

struct HqkanConfig {
  int in = 1, out = 1;
  std::vector<int> core{4, 4};  // QKAN widths between encoder and decoder
  int reps = 3;
  DaruanReadout readout = DaruanReadout::pauli_z;

  // The model keys: inputs, outputs, core, reps, readout.
  void bind(nn::ConfigKeys& keys);
  void validate() const;
};

// y = decoder(QKAN(encoder(x))), encoder/decoder nn::Linear layers with bias: parameters
// "<prefix>.encoder.*", "<prefix>.decoder.*", then "<prefix>.qkan.<k>". A layer under the layer
// convention (the store outlives it and does not move).
class Hqkan {
 public:
  Hqkan(nn::ParameterStore& store, const std::string& prefix, const HqkanConfig& config);
  // After store.allocate(): encoder and decoder as PyTorch's Linear (weight, bias U(+-1/sqrt(in)))
  // then the QKAN core, in that order from `rng`.
  void initialise(std::mt19937_64& rng);
  // x: [N, in] -> [N, out].
  nn::Var forward(nn::Graph& graph, nn::Var x) const;
  const HqkanConfig& config() const { return config_; }

 private:
  HqkanConfig config_;
  nn::Linear encoder_, decoder_;
  QkanStack core_;
};

// HQKAN as a pointwise model: parameters "hqkan.encoder.*", "hqkan.qkan.<k>", "hqkan.decoder.*"
// in the model's own store; initialise(seed) is Hqkan::initialise on std::mt19937_64(seed), so
// values and outputs are those of an Hqkan built on a store of its own with the same prefix.
// Neither copyable nor movable (its layer keeps the store's address).
class HqkanModel final : public nn::PointwiseModel {
 public:
  HqkanModel(std::string name, const HqkanConfig& config);
  HqkanModel(const HqkanModel&) = delete;
  HqkanModel& operator=(const HqkanModel&) = delete;
  const nn::ModelConfig& config() const override { return config_; }
  nn::ParameterStore& parameters() override { return store_; }
  const nn::ParameterStore& parameters() const override { return store_; }
  void initialise(unsigned long long seed) override;
  std::string describe() const override;
  int inputs() const override { return config_.value.in; }
  int outputs() const override { return config_.value.out; }
  nn::Var forward(nn::Graph& graph, nn::Var x) const override;

 private:
  nn::ConfigOf<HqkanConfig> config_;
  nn::ParameterStore store_;  // declared before the layer: outlives it
  Hqkan net_;
};

// Adds the family "hqkan" to `registry`.
void add_hqkan_model(nn::ModelRegistry& registry);

// Every model family of the libraries: nn's built-in ones (sinenet, unet, mlp) and hqkan. What the
// command line and the Python bindings build, describe, train and load models through.
const nn::ModelRegistry& all_models();

}  // namespace fieldlab::quantum::qkan
