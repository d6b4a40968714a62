#pragma once
// A QKAN layer: y_j = sum_i p_ji (phi_ji(x_i) + c_ji) + g_ji SiLU(x_i), phi_ji a DARUAN edge.
// All parameters live in one contiguous buffer (per edge e = j * in + i: theta[2(r+1)], w[r],
// b[r], then p, c, g), so optimisers and checkpoints work on one span. Batched forward and
// backward run OpenMP-parallel over samples.

#include <cmath>
#include <random>
#include <vector>

#include "quantum/qkan/daruan.hpp"

namespace fieldlab::quantum::qkan {

// Scratch buffers of QkanLayer::forward/backward (edge trigonometry, transposed columns, per-thread
// rows). They grow to the largest call seen and are then reused, so a training loop that keeps one
// workspace allocates nothing after its first step. One workspace serves one call at a time.
struct QkanWorkspace {
  std::vector<double> trig, xt, silu_t, yt, dyt, dxt, per_thread;
  // Buffer `v` with room for n values (grows, never shrinks).
  static double* room(std::vector<double>& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }
};

class QkanLayer {
 public:
  QkanLayer(int in, int out, int reps, DaruanReadout readout);

  int in() const { return in_; }
  int out() const { return out_; }
  int reps() const { return reps_; }
  DaruanReadout readout() const { return readout_; }
  int params_per_edge() const { return 4 * reps_ + 5; }
  std::size_t num_params() const {
    return static_cast<std::size_t>(in_) * out_ * params_per_edge();
  }

  // Parameters of edge (j, i) inside a buffer laid out as above.
  const double* edge(const double* params, int j, int i) const {
    return params + (static_cast<std::size_t>(j) * in_ + i) * params_per_edge();
  }
  double* edge(double* params, int j, int i) const {
    return params + (static_cast<std::size_t>(j) * in_ + i) * params_per_edge();
  }

  // x: batch x in (row-major), y: batch x out.
  void forward(const double* params, const double* x, int batch, double* y,
               QkanWorkspace& ws) const;
  // Accumulates d_params (+=) and writes d_x (batch x in, may be null) from dy (batch x out).
  void backward(const double* params, const double* x, int batch, const double* dy,
                double* d_params, double* d_x, QkanWorkspace& ws) const;
  // One-off calls with a temporary workspace (they allocate; loops keep a QkanWorkspace).
  void forward(const double* params, const double* x, int batch, double* y) const {
    QkanWorkspace ws;
    forward(params, x, batch, y, ws);
  }
  void backward(const double* params, const double* x, int batch, const double* dy,
                double* d_params, double* d_x) const {
    QkanWorkspace ws;
    backward(params, x, batch, dy, d_params, d_x, ws);
  }

  // The same layer with more repetitions, as the reference package's refine(): the old ones keep
  // their slots, the old final rotation becomes repetition r's (z, y) pair, all later angles are
  // zero and the new data gates have w = 1, b = 0. The gates after the old final rotation are then
  // RZ(x) only, which commute with the readout: the function is unchanged. Returns the new
  // parameter buffer for `params`.
  std::vector<double> extend_params(const double* params, int new_reps) const;
  QkanLayer with_reps(int new_reps) const;

  // theta ~ N(0, 1), w = 1, b = 0, p = 1, c = 0, g = 0.5.
  void initialise(double* params, std::mt19937_64& rng) const;

 private:
  // Cosines then sines of every edge's fixed half angles, 4 (r + 1) values per edge, into `trig`.
  void edge_trig(const double* params, double* trig) const;

  int in_, out_, reps_;
  DaruanReadout readout_;
};

// A stack of QKAN layers with one contiguous parameter vector.
class QkanNetwork {
 public:
  QkanNetwork(const std::vector<int>& widths, int reps, DaruanReadout readout,
              unsigned long long seed);
  const std::vector<QkanLayer>& layers() const { return layers_; }
  std::vector<double>& params() { return params_; }
  const std::vector<double>& params() const { return params_; }
  int input_dim() const { return layers_.front().in(); }
  int output_dim() const { return layers_.back().out(); }

  // x: batch x input_dim -> batch x output_dim.
  std::vector<double> forward(const std::vector<double>& x, int batch) const;
  // Mean squared error over batch x output_dim entries and its gradient w.r.t. params. Reuses the
  // network's buffers (no allocation after the first call of a given batch size), so one network
  // must not run this from two threads at once.
  double mse_and_gradient(const std::vector<double>& x, const std::vector<double>& target,
                          int batch, std::vector<double>& gradient) const;
  double mse(const std::vector<double>& x, const std::vector<double>& target, int batch) const;
  // Every layer to `new_reps` repetitions, function unchanged.
  void extend(int new_reps);

 private:
  std::vector<QkanLayer> layers_;
  std::vector<double> params_;
  std::vector<std::size_t> offsets_;
  // Training buffers: activations per layer, the gradient flowing back, layer scratch.
  mutable std::vector<std::vector<double>> acts_;
  mutable std::vector<double> dy_, dx_;
  mutable QkanWorkspace ws_;
};

inline double silu(double x) { return x / (1.0 + std::exp(-x)); }

}  // namespace fieldlab::quantum::qkan
