#include "quantum/qkan/qkan_layer.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "quantum/qkan/daruan_batch.hpp"

namespace fieldlab::quantum::qkan {
namespace {

inline double silu_grad(double x) {
  const double s = 1.0 / (1.0 + std::exp(-x));
  return s * (1.0 + x * (1.0 - s));
}

}  // namespace

QkanLayer::QkanLayer(int in, int out, int reps, DaruanReadout readout)
    : in_(in), out_(out), reps_(reps), readout_(readout) {
  require(in >= 1 && out >= 1, "QKAN layer needs positive widths, got {} -> {}", in, out);
  require(reps >= 1 && reps <= 1000, "DARUAN repetitions must be 1..1000, got {}", reps);
}

void QkanLayer::initialise(double* params, std::mt19937_64& rng) const {
  std::normal_distribution<double> g;
  for (int j = 0; j < out_; ++j)
    for (int i = 0; i < in_; ++i) {
      double* e = edge(params, j, i);
      for (int k = 0; k < 2 * (reps_ + 1); ++k) e[k] = g(rng);
      double* w = e + 2 * (reps_ + 1);
      double* b = w + reps_;
      for (int l = 0; l < reps_; ++l) {
        w[l] = 1.0;
        b[l] = 0.0;
      }
      double* tail = b + reps_;
      tail[0] = 1.0;  // p
      tail[1] = 0.0;  // c
      tail[2] = 0.5;  // g
    }
}

namespace {

// x (batch x in, row-major) as in columns of `batch` values: each edge reads one contiguous column.
double* transpose(const double* x, int rows, int cols, std::vector<double>& buffer) {
  double* t = QkanWorkspace::room(buffer, static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      t[static_cast<std::size_t>(c) * rows + r] = x[static_cast<std::size_t>(r) * cols + c];
  return t;
}

}  // namespace

void QkanLayer::forward(const double* params, const double* x, int batch, double* y,
                        QkanWorkspace& ws) const {
  const int r = reps_;
  const std::size_t per = 4 * static_cast<std::size_t>(r + 1);
  const std::size_t columns = static_cast<std::size_t>(batch) * in_;
  double* trig = QkanWorkspace::room(ws.trig, per * in_ * out_);
  edge_trig(params, trig);
  const double* xt = transpose(x, batch, in_, ws.xt);
  double* silu_t = QkanWorkspace::room(ws.silu_t, columns);
  for (std::size_t k = 0; k < columns; ++k) silu_t[k] = silu(xt[k]);
  // One output column per iteration: edges (j, 0..in-1) over the whole batch, SoA kernels.
  double* yt = QkanWorkspace::room(ws.yt, static_cast<std::size_t>(out_) * batch);
  double* rows =
      QkanWorkspace::room(ws.per_thread, static_cast<std::size_t>(max_threads()) * batch);
#pragma omp parallel if (static_cast <long long>(batch) * in_ * out_ * r > 20000)
  {
    double* phi = rows + static_cast<std::size_t>(thread_id()) * batch;
#pragma omp for schedule(static)
    for (int j = 0; j < out_; ++j) {
      double* yj = yt + static_cast<std::size_t>(j) * batch;
      std::fill(yj, yj + batch, 0.0);
      for (int i = 0; i < in_; ++i) {
        const double* e = edge(params, j, i);
        const DaruanEdge d{r, e, e + 2 * (r + 1), e + 2 * (r + 1) + r};
        const double* tail = e + 2 * (r + 1) + 2 * r;
        const double* t = trig + (static_cast<std::size_t>(j) * in_ + i) * per;
        const double* xi = xt + static_cast<std::size_t>(i) * batch;
        const double* si = silu_t + static_cast<std::size_t>(i) * batch;
        daruan_forward_batch(d, t, t + 2 * (r + 1), xi, batch, readout_, phi);
        for (int s = 0; s < batch; ++s) yj[s] += tail[0] * (phi[s] + tail[1]) + tail[2] * si[s];
      }
    }
  }
  for (int s = 0; s < batch; ++s)
    for (int j = 0; j < out_; ++j)
      y[static_cast<std::size_t>(s) * out_ + j] = yt[static_cast<std::size_t>(j) * batch + s];
}

void QkanLayer::edge_trig(const double* params, double* trig) const {
  const int r = reps_;
  const std::size_t per = 4 * static_cast<std::size_t>(r + 1);
  for (int j = 0; j < out_; ++j)
    for (int i = 0; i < in_; ++i) {
      const double* e = edge(params, j, i);
      double* t = trig + (static_cast<std::size_t>(j) * in_ + i) * per;
      daruan_trig(DaruanEdge{r, e, e + 2 * (r + 1), e + 2 * (r + 1) + r}, t, t + 2 * (r + 1));
    }
}

void QkanLayer::backward(const double* params, const double* x, int batch, const double* dy,
                         double* d_params, double* d_x, QkanWorkspace& ws) const {
  const int r = reps_;
  const std::size_t per = 4 * static_cast<std::size_t>(r + 1);
  double* trig = QkanWorkspace::room(ws.trig, per * in_ * out_);
  edge_trig(params, trig);
  const double* xt = transpose(x, batch, in_, ws.xt);
  const double* dyt = transpose(dy, batch, out_, ws.dyt);
  double* dxt = nullptr;
  if (d_x) {
    dxt = QkanWorkspace::room(ws.dxt, static_cast<std::size_t>(batch) * in_);
    std::fill(dxt, dxt + static_cast<std::size_t>(batch) * in_, 0.0);
  }
  double* rows =
      QkanWorkspace::room(ws.per_thread, static_cast<std::size_t>(max_threads()) * 4 * batch);
  // One input column per iteration: edges (0..out-1, i). Every edge's gradient and every column of
  // d_x belong to one iteration, so threads never write the same value.
#pragma omp parallel if (static_cast <long long>(batch) * in_ * out_ * r > 20000)
  {
    double* phi = rows + static_cast<std::size_t>(thread_id()) * 4 * batch;
    double* scale = phi + batch;
    double* silu_i = scale + batch;
    double* silu_grad_i = silu_i + batch;
#pragma omp for schedule(static)
    for (int i = 0; i < in_; ++i) {
      const double* xi = xt + static_cast<std::size_t>(i) * batch;
      double* dxi = dxt ? dxt + static_cast<std::size_t>(i) * batch : nullptr;
      for (int s = 0; s < batch; ++s) {
        silu_i[s] = silu(xi[s]);
        silu_grad_i[s] = silu_grad(xi[s]);
      }
      for (int j = 0; j < out_; ++j) {
        const double* e = edge(params, j, i);
        double* de = d_params + (static_cast<std::size_t>(j) * in_ + i) * params_per_edge();
        const DaruanEdge d{r, e, e + 2 * (r + 1), e + 2 * (r + 1) + r};
        const double* tail = e + 2 * (r + 1) + 2 * r;
        double* dtail = de + 2 * (r + 1) + 2 * r;
        const double* t = trig + (static_cast<std::size_t>(j) * in_ + i) * per;
        const double* g = dyt + static_cast<std::size_t>(j) * batch;
        for (int s = 0; s < batch; ++s) scale[s] = g[s] * tail[0];
        daruan_backward_batch(d, t, t + 2 * (r + 1), xi, scale, batch, readout_, de,
                              de + 2 * (r + 1), de + 2 * (r + 1) + r, dxi, phi);
        double dp = 0, dc = 0, dg = 0;
        for (int s = 0; s < batch; ++s) {
          dp += g[s] * (phi[s] + tail[1]);
          dc += g[s];
          dg += g[s] * silu_i[s];
        }
        dtail[0] += dp;
        dtail[1] += dc * tail[0];
        dtail[2] += dg;
        if (dxi)
          for (int s = 0; s < batch; ++s) dxi[s] += g[s] * tail[2] * silu_grad_i[s];
      }
    }
  }
  if (d_x)
    for (int s = 0; s < batch; ++s)
      for (int i = 0; i < in_; ++i)
        d_x[static_cast<std::size_t>(s) * in_ + i] = dxt[static_cast<std::size_t>(i) * batch + s];
}

std::vector<double> QkanLayer::extend_params(const double* params, int new_reps) const {
  require(new_reps >= reps_, "cannot shrink DARUAN repetitions from {} to {}", reps_, new_reps);
  const QkanLayer bigger(in_, out_, new_reps, readout_);
  std::vector<double> out(bigger.num_params(), 0.0);
  const int r = reps_, rn = new_reps;
  for (int j = 0; j < out_; ++j)
    for (int i = 0; i < in_; ++i) {
      const double* e = edge(params, j, i);
      double* n = bigger.edge(out.data(), j, i);
      // Repetitions 0..r-1 keep their (z, y) angles and w, b; the old final rotation becomes
      // repetition r's (z, y) pair; every later angle is zero, and the new data gates get w = 1,
      // b = 0 (the reference package's refine()). What follows the old final rotation is then a
      // product of RZ(x) gates, which commutes with the Z readout (and leaves |alpha|, |beta|
      // alone), so the function is unchanged, while the new data gates have w = 1 and so non-zero
      // gradients: new repetitions parked at w = 0 sit on a saddle that L-BFGS does not leave.
      std::copy(e, e + 2 * (r + 1), n);
      double* nw = n + 2 * (rn + 1);
      double* nb = nw + rn;
      std::copy(e + 2 * (r + 1), e + 2 * (r + 1) + r, nw);          // w
      std::copy(e + 2 * (r + 1) + r, e + 2 * (r + 1) + 2 * r, nb);  // b
      for (int l = r; l < rn; ++l) nw[l] = 1.0;
      std::copy(e + 2 * (r + 1) + 2 * r, e + 2 * (r + 1) + 2 * r + 3,
                n + 2 * (rn + 1) + 2 * rn);  // p, c, g
    }
  return out;
}

QkanLayer QkanLayer::with_reps(int new_reps) const {
  return QkanLayer(in_, out_, new_reps, readout_);
}

QkanNetwork::QkanNetwork(const std::vector<int>& widths, int reps, DaruanReadout readout,
                         unsigned long long seed) {
  require(widths.size() >= 2, "a QKAN needs at least two widths (in, out), got {}", widths.size());
  std::mt19937_64 rng(seed);
  std::size_t total = 0;
  for (std::size_t k = 0; k + 1 < widths.size(); ++k) {
    layers_.emplace_back(widths[k], widths[k + 1], reps, readout);
    offsets_.push_back(total);
    total += layers_.back().num_params();
  }
  params_.assign(total, 0.0);
  for (std::size_t k = 0; k < layers_.size(); ++k)
    layers_[k].initialise(params_.data() + offsets_[k], rng);
}

std::vector<double> QkanNetwork::forward(const std::vector<double>& x, int batch) const {
  require(x.size() == static_cast<std::size_t>(batch) * input_dim(),
          "QKAN input has {} values, expected {} x {}", x.size(), batch, input_dim());
  std::vector<double> cur = x;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    std::vector<double> next(static_cast<std::size_t>(batch) * layers_[k].out());
    layers_[k].forward(params_.data() + offsets_[k], cur.data(), batch, next.data());
    cur = std::move(next);
  }
  return cur;
}

double QkanNetwork::mse(const std::vector<double>& x, const std::vector<double>& target,
                        int batch) const {
  const std::vector<double> y = forward(x, batch);
  require(target.size() == y.size(), "target has {} values, network output {}", target.size(),
          y.size());
  double s = 0;
  for (std::size_t k = 0; k < y.size(); ++k) s += (y[k] - target[k]) * (y[k] - target[k]);
  return s / static_cast<double>(y.size());
}

double QkanNetwork::mse_and_gradient(const std::vector<double>& x,
                                     const std::vector<double>& target, int batch,
                                     std::vector<double>& gradient) const {
  require(x.size() == static_cast<std::size_t>(batch) * input_dim(),
          "QKAN input has {} values, expected {} x {}", x.size(), batch, input_dim());
  acts_.resize(layers_.size());  // acts_[k]: output of layer k
  const double* in = x.data();
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    acts_[k].resize(static_cast<std::size_t>(batch) * layers_[k].out());
    layers_[k].forward(params_.data() + offsets_[k], in, batch, acts_[k].data(), ws_);
    in = acts_[k].data();
  }
  const std::vector<double>& y = acts_.back();
  require(target.size() == y.size(), "target has {} values, network output {}", target.size(),
          y.size());
  const double n = static_cast<double>(y.size());
  double loss = 0;
  dy_.resize(y.size());
  for (std::size_t k = 0; k < y.size(); ++k) {
    const double d = y[k] - target[k];
    loss += d * d / n;
    dy_[k] = 2 * d / n;
  }
  gradient.assign(params_.size(), 0.0);
  for (std::size_t k = layers_.size(); k-- > 0;) {
    dx_.resize(static_cast<std::size_t>(batch) * layers_[k].in());
    layers_[k].backward(params_.data() + offsets_[k], k > 0 ? acts_[k - 1].data() : x.data(), batch,
                        dy_.data(), gradient.data() + offsets_[k], k > 0 ? dx_.data() : nullptr,
                        ws_);
    dy_.swap(dx_);
  }
  return loss;
}

void QkanNetwork::extend(int new_reps) {
  std::vector<double> params;
  std::vector<QkanLayer> layers;
  std::vector<std::size_t> offsets;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    const std::vector<double> p = layers_[k].extend_params(params_.data() + offsets_[k], new_reps);
    offsets.push_back(params.size());
    params.insert(params.end(), p.begin(), p.end());
    layers.push_back(layers_[k].with_reps(new_reps));
  }
  layers_ = std::move(layers);
  params_ = std::move(params);
  offsets_ = std::move(offsets);
}

}  // namespace fieldlab::quantum::qkan
