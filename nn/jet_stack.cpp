#include "nn/jet_stack.hpp"

#include <array>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "nn/gemm.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelFrom = 1 << 14;
constexpr int kMaxDirections = 4;

void require_stack(const JetStack& x, const char* op) {
  require(x.data.valid() && x.data.shape().size() == 3, "{}: a jet stack must be [S, N, W]", op);
  require(static_cast<int>(x.second.size()) == x.directions, "{}: layout of {} directions has {}",
          op, x.directions, x.second.size());
}

// f(v), f'(v), f''(v), f'''(v) of an activation.
struct TanhDerivatives {
  void operator()(float v, float& y, float& f1, float& f2, float& f3) const {
    y = std::tanh(v);
    f1 = 1.0f - y * y;
    f2 = -2.0f * y * f1;
    f3 = f1 * (6.0f * y * y - 2.0f);
  }
};
struct SinDerivatives {
  void operator()(float v, float& y, float& f1, float& f2, float& f3) const {
    y = std::sin(v);
    f1 = std::cos(v);
    f2 = -y;
    f3 = -f1;
  }
};

// The fused activation of a jet stack. The backward recomputes f and its derivatives from the
// saved input instead of keeping them (one [S, N, W] tensor saved per activation, as a plain
// activation saves one [N, W]).
template <typename D>
JetStack activation(const JetStack& x, D derivatives, const char* name) {
  require_stack(x, name);
  Graph& g = *x.data.graph;
  const Tensor& in = x.data.value();
  Tensor out = g.new_tensor(in.shape());
  const std::int64_t e = x.points() * x.width();  // elements per stream
  const int dirs = x.directions;
  require(dirs <= kMaxDirections, "{}: at most {} directions, got {}", name, kMaxDirections, dirs);
  std::array<int, kMaxDirections> second{};  // a fixed array: the closure stays small and nothrow
  for (int k = 0; k < dirs; ++k) second[k] = x.second[k];
  {
    const float* xp = in.data();
    float* yp = out.data();
#pragma omp parallel for schedule(static) if (e * x.streams() > kParallelFrom)
    for (std::int64_t i = 0; i < e; ++i) {
      float y, f1, f2, f3;
      derivatives(xp[i], y, f1, f2, f3);
      yp[i] = y;
      for (int k = 0; k < dirs; ++k) {
        const float a = xp[(1 + k) * e + i];
        yp[(1 + k) * e + i] = f1 * a;
        if (second[k] >= 0) {
          const std::int64_t j = second[k] * e + i;
          yp[j] = f1 * xp[j] + f2 * a * a;
        }
      }
    }
  }
  Var input = x.data;
  JetStack result = x;
  result.data = g.record(
      out, {input},
      [input, e, dirs, second, derivatives](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(input);
        if (gx == nullptr) return;
        const float* xp = input.value().data();
        const float* gp = gy.data();
#pragma omp parallel for schedule(static) if (e * (1 + dirs) > kParallelFrom)
        for (std::int64_t i = 0; i < e; ++i) {
          float y, f1, f2, f3;
          derivatives(xp[i], y, f1, f2, f3);
          float gv = gp[i] * f1;
          for (int k = 0; k < dirs; ++k) {
            const std::int64_t j1 = (1 + k) * e + i;
            const float a = xp[j1], g1 = gp[j1];
            float ga = g1 * f1;
            gv += g1 * a * f2;
            if (second[k] >= 0) {
              const std::int64_t j2 = second[k] * e + i;
              const float b = xp[j2], g2 = gp[j2];
              ga += 2.0f * g2 * f2 * a;
              gv += g2 * (b * f2 + a * a * f3);
              gx[j2] += g2 * f1;
            }
            gx[j1] += ga;
          }
          gx[i] += gv;
        }
      },
      OutputUse::not_read);
  return result;
}

}  // namespace

std::vector<int> jet_stack_layout(const std::vector<bool>& want_second) {
  const int d = static_cast<int>(want_second.size());
  std::vector<int> second(d, -1);
  int next = 1 + d;
  for (int k = 0; k < d; ++k)
    if (want_second[k]) second[k] = next++;
  return second;
}

Var JetStack::stream(int s) const {
  require(s >= 0 && s < streams(), "jet stack: stream {} of {}", s, streams());
  return reshape(slice(data, 0, s, s + 1), {points(), width()});
}

Var JetStack::d1(int k) const {
  require(k >= 0 && k < directions, "jet stack: direction {} of {}", k, directions);
  return stream(1 + k);
}

Var JetStack::d2(int k) const {
  require(has_second(k), "jet stack: direction {} carries no second derivative", k);
  return stream(second[k]);
}

Tensor stack_jet_tensors(const Tensor& value, const std::vector<Tensor>& d1,
                         const std::vector<Tensor>& d2) {
  require(value.dim() == 2 && d1.size() == d2.size(),
          "jet stack: value must be [N, W] with one second-derivative entry per direction");
  std::vector<bool> want(d1.size());
  for (std::size_t k = 0; k < d2.size(); ++k) want[k] = d2[k].numel() > 0;
  const std::vector<int> second = jet_stack_layout(want);
  int streams = 1 + static_cast<int>(d1.size());
  for (bool w : want) streams += w ? 1 : 0;
  const std::int64_t n = value.size(0), w = value.size(1), e = n * w;
  Tensor out({streams, n, w});
  auto put = [&](int s, const Tensor& t) {
    require(t.shape() == value.shape(), "jet stack: stream {} is {}, the value {}", s,
            to_string(t.shape()), to_string(value.shape()));
    std::memcpy(out.data() + s * e, t.data(), sizeof(float) * e);
  };
  put(0, value);
  for (std::size_t k = 0; k < d1.size(); ++k) {
    put(1 + static_cast<int>(k), d1[k]);
    if (want[k]) put(second[k], d2[k]);
  }
  return out;
}

JetStack jet_stack_constant(Graph& graph, const Tensor& stacked,
                            const std::vector<bool>& want_second) {
  JetStack x;
  x.directions = static_cast<int>(want_second.size());
  x.second = jet_stack_layout(want_second);
  int streams = 1 + x.directions;
  for (bool w : want_second) streams += w ? 1 : 0;
  require(stacked.dim() == 3 && stacked.size(0) == streams,
          "jet stack: {} directions ({} with second derivatives) need {} streams, got {}",
          x.directions, streams - 1 - x.directions, streams, to_string(stacked.shape()));
  x.data = graph.constant(stacked);
  return x;
}

JetStack jet_stack_input(Graph& graph, const Tensor& x, const std::vector<int>& directions,
                         const std::vector<bool>& want_second) {
  require(x.dim() == 2, "jet_stack_input: points must be [N, D], got {}", to_string(x.shape()));
  require(directions.size() == want_second.size(),
          "jet_stack_input: {} directions but {} second-derivative flags", directions.size(),
          want_second.size());
  const std::int64_t n = x.size(0), d = x.size(1);
  JetStack jet;
  jet.directions = static_cast<int>(directions.size());
  jet.second = jet_stack_layout(want_second);
  int streams = 1 + jet.directions;
  for (bool w : want_second) streams += w ? 1 : 0;
  Tensor t = graph.new_zeros({streams, n, d});
  std::memcpy(t.data(), x.data(), sizeof(float) * n * d);
  for (int k = 0; k < jet.directions; ++k) {
    const int axis = directions[k];
    require(axis >= 0 && axis < d, "jet_stack_input: direction {} out of range for {} input axes",
            axis, d);
    float* s = t.data() + (1 + k) * n * d;
    for (std::int64_t i = 0; i < n; ++i) s[i * d + axis] = 1.0f;
  }
  jet.data = graph.constant(t);
  return jet;
}

JetStack jet_stack_linear(const JetStack& x, Var weight, Var bias) {
  require_stack(x, "jet_stack_linear");
  const Shape& ws = weight.shape();
  require(ws.size() == 2 && ws[1] == x.width(),
          "jet_stack_linear: input width {} does not match weight {}", x.width(), to_string(ws));
  const std::int64_t in = ws[1], out = ws[0], n = x.points(), rows = x.streams() * n;
  if (bias.valid())
    require(bias.shape() == Shape{out}, "jet_stack_linear: bias {} should be [{}]",
            to_string(bias.shape()), out);
  Graph& g = *x.data.graph;
  Tensor y = g.new_tensor({x.streams(), n, out});
  gemm(Transpose::no, Transpose::yes, rows, out, in, x.data.value().data(), in,
       weight.value().data(), in, 0.0f, y.data(), out);
  if (bias.valid()) {  // the value stream only: derivatives of a constant vanish
    const float* b = bias.value().data();
    float* yp = y.data();
#pragma omp parallel for schedule(static) if (n * out > kParallelFrom)
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < out; ++j) yp[i * out + j] += b[j];
  }
  Var input = x.data;
  JetStack result = x;
  result.data = g.record(
      y, {input, weight, bias},
      [input, weight, bias, rows, n, in, out](Graph& g, const Tensor& gy) {
        if (float* gx = g.grad_target(input))  // dX += dY W
          gemm(Transpose::no, Transpose::no, rows, in, out, gy.data(), out, weight.value().data(),
               in, 1.0f, gx, in);
        if (float* gw = g.grad_target(weight))  // dW += dY^T X over every stream
          gemm(Transpose::yes, Transpose::no, out, in, rows, gy.data(), out,
               input.value().data(), in, 1.0f, gw, in);
        if (float* gb = g.grad_target(bias)) {  // the value stream's rows
          const float* gp = gy.data();
          for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < out; ++j) gb[j] += gp[i * out + j];
        }
      },
      OutputUse::not_read);
  return result;
}

JetStack jet_stack_tanh(const JetStack& x) {
  return activation(x, TanhDerivatives{}, "jet_stack_tanh");
}

JetStack jet_stack_sin(const JetStack& x) {
  return activation(x, SinDerivatives{}, "jet_stack_sin");
}

Jet to_jet(const JetStack& x) {
  require_stack(x, "to_jet");
  Jet jet;
  jet.value = x.value();
  for (int k = 0; k < x.directions; ++k) {
    jet.d1.push_back(x.d1(k));
    jet.d2.push_back(x.has_second(k) ? x.d2(k) : Var{});
  }
  return jet;
}

}  // namespace fieldlab::nn
