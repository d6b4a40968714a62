// Op-table entries of the linear-algebra and shape ops: linear, matmul, reshape, permute,
// transpose, slice, concat_channels. References index the row-major inputs directly.

#include <array>

#include "nn/ops.hpp"
#include "op_table.hpp"

namespace fieldlab::nn::op_table {
namespace {

// op(a) op(b) per batch entry in double; a 2-D b is shared by the batch.
Reference matmul_reference(bool ta, bool tb) {
  return [ta, tb](const std::vector<Tensor>& in) {
    const Shape& as = in[0].shape();
    const Shape& bs = in[1].shape();
    const std::size_t ra = as.size(), rb = bs.size();
    const std::int64_t m = ta ? as[ra - 1] : as[ra - 2], k = ta ? as[ra - 2] : as[ra - 1];
    const std::int64_t n = tb ? bs[rb - 2] : bs[rb - 1];
    const std::int64_t batch = in[0].numel() / (m * k);
    const bool shared = rb == 2 && ra > 2;
    Shape ys = as;
    ys[ra - 2] = m;
    ys[ra - 1] = n;
    Expected e{ys, std::vector<double>(batch * m * n)};
    for (std::int64_t p = 0; p < batch; ++p) {
      const float* a = in[0].data() + p * m * k;
      const float* b = in[1].data() + (shared ? 0 : p * k * n);
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
          double s = 0;
          for (std::int64_t l = 0; l < k; ++l)
            s += static_cast<double>(ta ? a[l * m + i] : a[i * k + l]) *
                 (tb ? b[j * k + l] : b[l * n + j]);
          e.values[(p * m + i) * n + j] = s;
        }
    }
    return e;
  };
}

OpCase matmul_case(std::string variant, Shape a, Shape b, bool ta, bool tb, Shape bench_a,
                   Shape bench_b) {
  OpCase c;
  c.op = "matmul";
  c.variant = std::move(variant);
  c.inputs = {{std::move(a)}, {std::move(b)}};
  c.build = [ta, tb](Graph&, const std::vector<Var>& v) { return matmul(v[0], v[1], ta, tb); };
  c.reference = matmul_reference(ta, tb);
  c.bench_shapes = {std::move(bench_a), std::move(bench_b)};
  return c;
}

// Output element j of permute(x, order) reads x at the multi-index its coordinates name.
Expected permute_reference(const Tensor& x, const std::vector<int>& order) {
  const Shape& xs = x.shape();
  const int rank = static_cast<int>(xs.size());
  Shape ys;
  for (int a : order) ys.push_back(xs[a]);
  Expected e{ys, std::vector<double>(x.numel())};
  std::array<std::int64_t, Shape::kMaxRank> out_index{}, in_index{};
  for (std::int64_t j = 0; j < x.numel(); ++j) {
    std::int64_t rest = j;
    for (int d = rank - 1; d >= 0; --d) {
      out_index[d] = rest % ys[d];
      rest /= ys[d];
    }
    for (int d = 0; d < rank; ++d) in_index[order[d]] = out_index[d];
    std::int64_t offset = 0;
    for (int d = 0; d < rank; ++d) offset = offset * xs[d] + in_index[d];
    e.values[j] = x[offset];
  }
  return e;
}

}  // namespace

void add_shape_cases(std::vector<OpCase>& cases) {
  {
    OpCase c;
    c.op = "linear";
    c.variant = "x [2, 3, 5], weight [4, 5], bias [4]";
    c.inputs = {{{2, 3, 5}}, {{4, 5}}, {{4}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return linear(v[0], v[1], v[2]); };
    c.reference = [](const std::vector<Tensor>& in) {
      const std::int64_t rows = in[0].numel() / 5;
      Expected e{{2, 3, 4}, std::vector<double>(rows * 4)};
      for (std::int64_t r = 0; r < rows; ++r)
        for (int o = 0; o < 4; ++o) {
          double s = in[2][o];
          for (int i = 0; i < 5; ++i) s += static_cast<double>(in[0][r * 5 + i]) * in[1][o * 5 + i];
          e.values[r * 4 + o] = s;
        }
      return e;
    };
    c.bench_shapes = {{4096, 256}, {256, 256}, {256}};
    cases.push_back(c);
    c.variant = "x [2, 3, 5], weight [4, 5], no bias";
    c.inputs.pop_back();
    c.build = [](Graph&, const std::vector<Var>& v) { return linear(v[0], v[1], Var{}); };
    const Reference with_bias = c.reference;
    c.reference = [with_bias](const std::vector<Tensor>& in) {
      return with_bias({in[0], in[1], Tensor({4})});  // a zero bias
    };
    c.bench_shapes.clear();
    cases.push_back(c);
  }

  cases.push_back(matmul_case("[2, 3, 4] x [2, 4, 5]", {2, 3, 4}, {2, 4, 5}, false, false,
                              {64, 64, 64}, {64, 64, 64}));
  cases.push_back(matmul_case("[2, 4, 3]^T x [2, 4, 5]", {2, 4, 3}, {2, 4, 5}, true, false,
                              {64, 64, 64}, {64, 64, 64}));
  cases.push_back(matmul_case("[2, 3, 4] x [2, 5, 4]^T (Q K^T)", {2, 3, 4}, {2, 5, 4}, false, true,
                              {64, 128, 64}, {64, 128, 64}));
  cases.push_back(matmul_case("[2, 4, 3]^T x [2, 5, 4]^T", {2, 4, 3}, {2, 5, 4}, true, true,
                              {64, 64, 64}, {64, 64, 64}));
  cases.push_back(matmul_case("[2, 2, 3, 4] x [2, 2, 4, 2] (4-D batch)", {2, 2, 3, 4}, {2, 2, 4, 2},
                              false, false, {8, 8, 64, 64}, {8, 8, 64, 64}));
  cases.push_back(
      matmul_case("[3, 4] x [4, 5] (2-D)", {3, 4}, {4, 5}, false, false, {512, 512}, {512, 512}));
  cases.push_back(matmul_case("[2, 3, 4] x [4, 5] (shared B)", {2, 3, 4}, {4, 5}, false, false,
                              {16, 256, 256}, {256, 256}));
  cases.push_back(matmul_case("[2, 3, 4] x [5, 4]^T (shared B, LordNet's A X B^T)", {2, 3, 4},
                              {5, 4}, false, true, {16, 256, 256}, {256, 256}));
  cases.push_back(matmul_case("[2, 4, 3]^T x [4, 5] (shared B, transposed A)", {2, 4, 3}, {4, 5},
                              true, false, {16, 256, 256}, {256, 256}));
  // Sizes past the OpenMP thresholds: the batch-parallel GEMM loops (forward, dA, dB).
  cases.push_back(matmul_case("[96, 8, 8] x [96, 8, 8] (parallel over the batch)", {96, 8, 8},
                              {96, 8, 8}, false, true, {}, {}));
  cases.push_back(matmul_case("[96, 8, 8]^T x [8, 8] (shared B, transposed A, parallel)",
                              {96, 8, 8}, {8, 8}, true, false, {}, {}));
  for (std::size_t i = cases.size() - 2; i < cases.size(); ++i) {
    cases[i].bench_shapes.clear();
    cases[i].gradient.max_checks_per_input = 16;
  }

  {
    OpCase c;
    c.op = "reshape";
    c.variant = "[2, 3, 4] -> [6, 4]";
    c.inputs = {{{2, 3, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) {
      return reshape(v[0], {v[0].shape()[0] * v[0].shape()[1], v[0].shape()[2]});
    };
    c.reference = [](const std::vector<Tensor>& in) {
      const Shape& s = in[0].shape();
      return Expected{{s[0] * s[1], s[2]}, {in[0].data(), in[0].data() + in[0].numel()}};
    };
    c.bench_shapes = {{64, 128, 128}};
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "permute";
    c.variant = "[2, 3, 4, 5] order (2, 0, 3, 1)";
    c.inputs = {{{2, 3, 4, 5}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return permute(v[0], {2, 0, 3, 1}); };
    c.reference = [](const std::vector<Tensor>& in) {
      return permute_reference(in[0], {2, 0, 3, 1});
    };
    c.bench_shapes = {{16, 32, 64, 64}};
    cases.push_back(c);
    c.variant = "[2, 3, 4] order (0, -1, 1) ([B, T, D] -> [B, D, T])";
    c.inputs = {{{2, 3, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return permute(v[0], {0, -1, 1}); };
    c.reference = [](const std::vector<Tensor>& in) { return permute_reference(in[0], {0, 2, 1}); };
    c.bench_shapes.clear();
    cases.push_back(c);
    c.variant = "[8, 16, 16, 32] order (3, 1, 0, 2) (parallel rows)";
    c.inputs = {{{8, 16, 16, 32}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return permute(v[0], {3, 1, 0, 2}); };
    c.reference = [](const std::vector<Tensor>& in) {
      return permute_reference(in[0], {3, 1, 0, 2});
    };
    c.gradient.max_checks_per_input = 16;
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "transpose";
    c.variant = "[2, 3, 4] axes 1, 2";
    c.inputs = {{{2, 3, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return transpose(v[0], 1, 2); };
    c.reference = [](const std::vector<Tensor>& in) { return permute_reference(in[0], {0, 2, 1}); };
    c.bench_shapes = {{64, 256, 256}};
    cases.push_back(c);
    c.variant = "[2, 3, 4, 5] axes -1, 0";
    c.inputs = {{{2, 3, 4, 5}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return transpose(v[0], -1, 0); };
    c.reference = [](const std::vector<Tensor>& in) {
      return permute_reference(in[0], {3, 1, 2, 0});
    };
    c.bench_shapes.clear();
    cases.push_back(c);
  }
  {
    // x[:, 1:3, :] of [2, 4, 3] and x[..., 2:5] of [2, 3, 6].
    struct SliceSpec {
      const char* variant;
      Shape shape;
      int axis;
      std::int64_t start, stop;
      Shape bench;
    };
    for (const SliceSpec& s :
         {SliceSpec{"[2, 4, 3] axis 1 [1, 3)", {2, 4, 3}, 1, 1, 3, {64, 256, 256}},
          SliceSpec{"[2, 3, 6] axis -1 [2, 5)", {2, 3, 6}, -1, 2, 5, {}},
          SliceSpec{"[64, 32, 64] axis 1 [3, 30) (parallel)", {64, 32, 64}, 1, 3, 30, {}}}) {
      OpCase c;
      c.op = "slice";
      c.variant = s.variant;
      c.inputs = {{s.shape}};
      c.build = [s](Graph&, const std::vector<Var>& v) {
        return slice(v[0], s.axis, s.start, s.stop);
      };
      c.reference = [s](const std::vector<Tensor>& in) {
        const Shape& xs = in[0].shape();
        const int a = s.axis < 0 ? s.axis + static_cast<int>(xs.size()) : s.axis;
        Shape ys = xs;
        ys[a] = s.stop - s.start;
        Expected e{ys, {}};
        // Walk the input in order and keep the elements whose coordinate on `a` is in range.
        std::int64_t inner = 1;
        for (std::size_t d = a + 1; d < xs.size(); ++d) inner *= xs[d];
        for (std::int64_t i = 0; i < in[0].numel(); ++i) {
          const std::int64_t coord = (i / inner) % xs[a];
          if (coord >= s.start && coord < s.stop) e.values.push_back(in[0][i]);
        }
        return e;
      };
      if (!s.bench.empty()) c.bench_shapes = {s.bench};
      if (s.shape[0] > 8) c.gradient.max_checks_per_input = 16;
      cases.push_back(c);
    }
  }
  {
    OpCase c;
    c.op = "concat_channels";
    c.variant = "[2, 1, 3, 2], [2, 2, 3, 2], [2, 3, 3, 2]";
    c.inputs = {{{2, 1, 3, 2}}, {{2, 2, 3, 2}}, {{2, 3, 3, 2}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return concat_channels(v); };
    c.reference = [](const std::vector<Tensor>& in) {
      const std::int64_t n = in[0].size(0), inner = in[0].size(2) * in[0].size(3);
      std::int64_t channels = 0;
      for (const Tensor& t : in) channels += t.size(1);
      Expected e{{n, channels, in[0].size(2), in[0].size(3)}, {}};
      for (std::int64_t s = 0; s < n; ++s)
        for (const Tensor& t : in)
          for (std::int64_t i = 0; i < t.size(1) * inner; ++i)
            e.values.push_back(t[s * t.size(1) * inner + i]);
      return e;
    };
    c.bench_shapes = {{8, 32, 64, 64}, {8, 32, 64, 64}, {8, 64, 64, 64}};
    cases.push_back(c);
  }
}

}  // namespace fieldlab::nn::op_table
