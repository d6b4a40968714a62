#include "quantum/kernels.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/cpu_dispatch.hpp"

// The vector helpers below are inlined into every clone; their 256-bit by-value ABI in the
// baseline clone never crosses a call boundary.
#pragma GCC diagnostic ignored "-Wpsabi"

// Constant lane shuffles of the 4-lane vectors: GCC's __builtin_shuffle takes an index vector,
// clang (the fuzz build, cmake/Fuzz.cmake) has only __builtin_shufflevector with constant indices.
// The GCC forms need the index vector type I in scope.
#if defined(__clang__)
#define FIELDLAB_SHUFFLE1(v, a, b, c, d) __builtin_shufflevector(v, v, a, b, c, d)
#define FIELDLAB_SHUFFLE2(v, w, a, b, c, d) __builtin_shufflevector(v, w, a, b, c, d)
#else
#define FIELDLAB_SHUFFLE1(v, a, b, c, d) __builtin_shuffle(v, I{a, b, c, d})
#define FIELDLAB_SHUFFLE2(v, w, a, b, c, d) __builtin_shuffle(v, w, I{a, b, c, d})
#endif

namespace fieldlab::quantum::kernels {
namespace {

// Two complex amplitudes (four reals) per vector: 256 bits in complex128, 128 in complex64. The
// baseline clone splits a 256-bit vector into two SSE2 halves; the x86-64-v3 clone uses one ymm.
template <typename Real>
struct Simd {
  typedef Real V __attribute__((vector_size(4 * sizeof(Real))));
  using Int = std::conditional_t<sizeof(Real) == 8, long long, int>;
  typedef Int I __attribute__((vector_size(4 * sizeof(Real))));

  [[gnu::always_inline]] static V load(const Real* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  [[gnu::always_inline]] static void store(Real* p, V v) { std::memcpy(p, &v, sizeof v); }
  // (re, im) -> (im, re) within each complex.
  [[gnu::always_inline]] static V swap_ri(V v) { return FIELDLAB_SHUFFLE1(v, 1, 0, 3, 2); }
  static V splat(double x) {
    const Real r = static_cast<Real>(x);
    return V{r, r, r, r};
  }
  // Imaginary part laid out so that z * v = re * v + im_signed * swap_ri(v).
  static V im_signed(double x) {
    const Real r = static_cast<Real>(x);
    return V{-r, r, -r, r};
  }
};

// A complex coefficient ready for the vector product z * v = re * v + im * swap_ri(v).
template <typename Real>
struct VCoef {
  typename Simd<Real>::V re, im;
  explicit VCoef(cplx z) : re(Simd<Real>::splat(z.real())), im(Simd<Real>::im_signed(z.imag())) {}
};

// Software prefetch distance: once the state is far beyond the caches every kernel streams memory,
// and the hardware prefetcher alone left the dense one-qubit kernel at ~0.7-0.8 of the stream
// bandwidth for low targets (two interleaved streams per page). Each stream is prefetched this
// many bytes ahead, once per cache line (distance measured: docs/benchmarks.md, "Prefetch").
#ifndef FIELDLAB_QSIM_PREFETCH_BYTES
#define FIELDLAB_QSIM_PREFETCH_BYTES 2048
#endif
constexpr std::uintptr_t kPrefetchBytes = FIELDLAB_QSIM_PREFETCH_BYTES;  // 0: no prefetch

// Software prefetch pays only where each stream's contiguous runs are short (the hardware
// prefetcher loses track of many interleaved short runs); on runs of 512 B and more it measured
// slower than none (docs/benchmarks.md, "Prefetch"). Runs of at most this many bytes prefetch.
#ifndef FIELDLAB_QSIM_PREFETCH_RUN_BYTES
#define FIELDLAB_QSIM_PREFETCH_RUN_BYTES 256
#endif
constexpr std::uint64_t kShortRunBytes = FIELDLAB_QSIM_PREFETCH_RUN_BYTES;

// The dense one-qubit kernel also gains on medium runs (targets 5-7 in complex128: two streams of
// 512 B - 2 KiB runs, 12.5-14 GB/s without prefetch, 15-20 with); the swap and diagonal kernels did
// not measurably, so they keep the short-run rule.
#ifndef FIELDLAB_QSIM_PREFETCH_DENSE_RUN_BYTES
#define FIELDLAB_QSIM_PREFETCH_DENSE_RUN_BYTES 2048
#endif
constexpr std::uint64_t kDenseRunBytes = FIELDLAB_QSIM_PREFETCH_DENSE_RUN_BYTES;

// Whether runs of `amplitudes` complex numbers are at most `cap` bytes long (the prefetch rules).
template <typename Real>
bool runs_within(std::uint64_t cap, u64 amplitudes) {
  return amplitudes * 2 * sizeof(Real) <= cap;
}

// Prefetches (for writing) the line kPrefetchBytes past p when p starts a cache line.
template <typename Real>
[[gnu::always_inline]] inline void prefetch_ahead(const Real* p, bool pf) {
  if constexpr (kPrefetchBytes > 0) {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    if (pf && (a & 63) == 0)
      __builtin_prefetch(reinterpret_cast<const char*>(p) + kPrefetchBytes, 1, 3);
  }
}

// Scalar complex update for the odd amplitude at the end of a run.
template <typename Real>
[[gnu::always_inline]] inline void scalar_madd(const cplx& m, const Real* x, Real& yr, Real& yi) {
  const Real mr = static_cast<Real>(m.real()), mi = static_cast<Real>(m.imag());
  yr += mr * x[0] - mi * x[1];
  yi += mr * x[1] + mi * x[0];
}

template <typename Real>
[[gnu::always_inline]] inline void dense1_scalar(Real* p0, Real* p1, const Matrix2& m) {
  const Real a[2] = {p0[0], p0[1]}, b[2] = {p1[0], p1[1]};
  Real r0 = 0, i0 = 0, r1 = 0, i1 = 0;
  scalar_madd(m[0], a, r0, i0);
  scalar_madd(m[1], b, r0, i0);
  scalar_madd(m[2], a, r1, i1);
  scalar_madd(m[3], b, r1, i1);
  p0[0] = r0;
  p0[1] = i0;
  p1[0] = r1;
  p1[1] = i1;
}

// The dense 2x2 update on `run` pairs (p0[j], p1[j]), two pairs per iteration.
template <typename Real>
[[gnu::always_inline]] inline void dense1_body(Real* __restrict p0, Real* __restrict p1, u64 run,
                                               const Matrix2& m, bool pf) {
  using S = Simd<Real>;
  const VCoef<Real> m00(m[0]), m01(m[1]), m10(m[2]), m11(m[3]);
  u64 j = 0;
  for (; j + 2 <= run; j += 2) {
    prefetch_ahead(p0 + 2 * j, pf);
    prefetch_ahead(p1 + 2 * j, pf);
    const typename S::V x0 = S::load(p0 + 2 * j), x1 = S::load(p1 + 2 * j);
    const typename S::V s0 = S::swap_ri(x0), s1 = S::swap_ri(x1);
    S::store(p0 + 2 * j, m00.re * x0 + m00.im * s0 + m01.re * x1 + m01.im * s1);
    S::store(p1 + 2 * j, m10.re * x0 + m10.im * s0 + m11.re * x1 + m11.im * s1);
  }
  if (j < run) dense1_scalar(p0 + 2 * j, p1 + 2 * j, m);
}

// Target qubit 0, one pair (one vector (a0, a1)): the output (m00 a0 + m01 a1, m10 a0 + m11 a1)
// comes from broadcasting a0 and a1 across both halves. Used for an odd pair at the end.
template <typename Real>
[[gnu::always_inline]] inline void dense1_target0_one(Real* p, const Matrix2& m) {
  using S = Simd<Real>;
  using V = typename S::V;
  using I = typename S::I;
  auto mix = [](double a, double b) {
    return V{static_cast<Real>(a), static_cast<Real>(a), static_cast<Real>(b),
             static_cast<Real>(b)};
  };
  const V r0 = mix(m[0].real(), m[2].real()), r1 = mix(m[1].real(), m[3].real());
  const V i0 = mix(m[0].imag(), m[2].imag()) * V{-1, 1, -1, 1};
  const V i1 = mix(m[1].imag(), m[3].imag()) * V{-1, 1, -1, 1};
  const V v = S::load(p);
  const V lo = FIELDLAB_SHUFFLE1(v, 0, 1, 0, 1), lo_s = FIELDLAB_SHUFFLE1(v, 1, 0, 1, 0);
  const V hi = FIELDLAB_SHUFFLE1(v, 2, 3, 2, 3), hi_s = FIELDLAB_SHUFFLE1(v, 3, 2, 3, 2);
  S::store(p, r0 * lo + i0 * lo_s + r1 * hi + i1 * hi_s);
}

// Target qubit 0, two pairs per iteration: from v = (a0, a1) and w = (a2, a3) build X = (a0, a2)
// and Y = (a1, a3), apply the matrix as on any other target, and interleave back: four
// cross-lane shuffles per two pairs instead of eight.
template <typename Real>
[[gnu::always_inline]] inline void dense1_target0(Real* data, const Matrix2& m, u64 begin, u64 end,
                                                  bool pf) {
  using S = Simd<Real>;
  using V = typename S::V;
  using I = typename S::I;
  const VCoef<Real> m00(m[0]), m01(m[1]), m10(m[2]), m11(m[3]);
  u64 k = begin;
  for (; k + 2 <= end; k += 2) {
    Real* p = data + 4 * k;
    prefetch_ahead(p, pf);
    const V v = S::load(p), w = S::load(p + 4);
    const V x = FIELDLAB_SHUFFLE2(v, w, 0, 1, 4, 5), y = FIELDLAB_SHUFFLE2(v, w, 2, 3, 6, 7);
    const V xs = S::swap_ri(x), ys = S::swap_ri(y);
    const V a = m00.re * x + m00.im * xs + m01.re * y + m01.im * ys;
    const V b = m10.re * x + m10.im * xs + m11.re * y + m11.im * ys;
    S::store(p, FIELDLAB_SHUFFLE2(a, b, 0, 1, 4, 5));
    S::store(p + 4, FIELDLAB_SHUFFLE2(a, b, 2, 3, 6, 7));
  }
  if (k < end) dense1_target0_one(data + 4 * k, m);
}

// Calls f(p0, p1, count) for the contiguous segments of pairs [begin, end) on `target` >= 1.
template <typename Real, typename F>
[[gnu::always_inline]] inline void for_segments(Real* data, int target, u64 begin, u64 end, F f) {
  const u64 stride = u64{1} << target;
  for (u64 k = begin; k < end;) {
    const u64 j = k & (stride - 1);
    const u64 count = std::min(stride - j, end - k);
    Real* p0 = data + 2 * (((k >> target) << (target + 1)) | j);
    f(p0, p0 + 2 * stride, count);
    k += count;
  }
}

template <typename Real>
[[gnu::always_inline]] inline void scale_body(Real* __restrict p, u64 run, cplx factor, bool pf) {
  using S = Simd<Real>;
  if (factor == cplx(1.0, 0.0)) return;
  u64 j = 0;
  if (factor == cplx(-1.0, 0.0)) {  // sign flip (Z, CZ): no multiplications
    for (; j + 2 <= run; j += 2) {
      prefetch_ahead(p + 2 * j, pf);
      S::store(p + 2 * j, -S::load(p + 2 * j));
    }
    if (j < run) {
      p[2 * j] = -p[2 * j];
      p[2 * j + 1] = -p[2 * j + 1];
    }
    return;
  }
  const VCoef<Real> c(factor);
  for (; j + 2 <= run; j += 2) {
    prefetch_ahead(p + 2 * j, pf);
    const typename S::V x = S::load(p + 2 * j);
    S::store(p + 2 * j, c.re * x + c.im * S::swap_ri(x));
  }
  if (j < run) {
    Real r = 0, i = 0;
    scalar_madd(factor, p + 2 * j, r, i);
    p[2 * j] = r;
    p[2 * j + 1] = i;
  }
}

template <typename Real>
[[gnu::always_inline]] inline void diagonal1_body(Real* data, int target, cplx d0, cplx d1,
                                                  u64 begin, u64 end, bool pf) {
  using S = Simd<Real>;
  using V = typename S::V;
  if (target == 0) {
    const V re{static_cast<Real>(d0.real()), static_cast<Real>(d0.real()),
               static_cast<Real>(d1.real()), static_cast<Real>(d1.real())};
    const V im{static_cast<Real>(-d0.imag()), static_cast<Real>(d0.imag()),
               static_cast<Real>(-d1.imag()), static_cast<Real>(d1.imag())};
    for (u64 k = begin; k < end; ++k) {
      prefetch_ahead(data + 4 * k, pf);
      const V v = S::load(data + 4 * k);
      S::store(data + 4 * k, re * v + im * S::swap_ri(v));
    }
    return;
  }
  for_segments(
      data, target, begin,
      end, [&](Real * p0, Real * p1, u64 count) __attribute__((always_inline)) {
        scale_body(p0, count, d0, pf);
        scale_body(p1, count, d1, pf);
      });
}

template <typename Real>
[[gnu::always_inline]] inline void swap_body(Real* __restrict a, Real* __restrict b, u64 run,
                                             bool pf) {
  using S = Simd<Real>;
  u64 j = 0;
  for (; j + 2 <= run; j += 2) {
    prefetch_ahead(a + 2 * j, pf);
    prefetch_ahead(b + 2 * j, pf);
    const typename S::V x = S::load(a + 2 * j), y = S::load(b + 2 * j);
    S::store(a + 2 * j, y);
    S::store(b + 2 * j, x);
  }
  if (j < run) {
    std::swap(a[2 * j], b[2 * j]);
    std::swap(a[2 * j + 1], b[2 * j + 1]);
  }
}

template <typename Real>
[[gnu::always_inline]] inline void swap_neighbours_body(Real* data, u64 begin, u64 end, bool pf) {
  using S = Simd<Real>;
  using I = typename S::I;  // FIELDLAB_SHUFFLE1's index type
  for (u64 k = begin; k < end; k += 2) {
    prefetch_ahead(data + 2 * k, pf);
    const typename S::V v = S::load(data + 2 * k);
    S::store(data + 2 * k, FIELDLAB_SHUFFLE1(v, 2, 3, 0, 1));
  }
}

template <typename Real>
[[gnu::always_inline]] inline void dense2_body(Real* base, const u64* off, u64 run,
                                               const Matrix4& m, bool pf) {
  using S = Simd<Real>;
  using V = typename S::V;
  Real* p[4];
  for (int k = 0; k < 4; ++k) p[k] = base + 2 * off[k];
  u64 j = 0;
  if (run >= 2) {
    V re[16], im[16];
    for (int k = 0; k < 16; ++k) {
      re[k] = S::splat(m[k].real());
      im[k] = S::im_signed(m[k].imag());
    }
    for (; j + 2 <= run; j += 2) {
      V x[4], s[4];
      for (int k = 0; k < 4; ++k) {
        prefetch_ahead(p[k] + 2 * j, pf);
        x[k] = S::load(p[k] + 2 * j);
        s[k] = S::swap_ri(x[k]);
      }
      for (int r = 0; r < 4; ++r) {
        V y = re[4 * r] * x[0] + im[4 * r] * s[0];
        for (int k = 1; k < 4; ++k) y += re[4 * r + k] * x[k] + im[4 * r + k] * s[k];
        S::store(p[r] + 2 * j, y);
      }
    }
  }
  for (; j < run; ++j) {
    Real x[4][2];
    for (int k = 0; k < 4; ++k) {
      x[k][0] = p[k][2 * j];
      x[k][1] = p[k][2 * j + 1];
    }
    for (int r = 0; r < 4; ++r) {
      Real yr = 0, yi = 0;
      for (int k = 0; k < 4; ++k) scalar_madd(m[4 * r + k], x[k], yr, yi);
      p[r][2 * j] = yr;
      p[r][2 * j + 1] = yi;
    }
  }
}

template <typename Real>
[[gnu::always_inline]] inline void dense1_pairs_body(Real* data, int target, const Matrix2& m,
                                                     u64 begin, u64 end, bool pf) {
  if (target == 0) return dense1_target0(data, m, begin, end, pf);
  for_segments(
      data, target, begin,
      end, [&](Real * p0, Real * p1, u64 count) __attribute__((always_inline)) {
        dense1_body(p0, p1, count, m, pf);
      });
}

// Calls f(base, length) for the runs first .. last - 1 in order. Each base comes from the previous
// one by the carry trick (set the skipped bits and the in-run bits, add one, clear the skipped
// bits) rather than Runs::base's bit-by-bit insertion, which cost ~20 cycles per run and dominated
// gates on the lowest qubits (runs of 2-4 amplitudes). Runs of 2 and 4 amplitudes get their
// length as a compile-time constant so the per-run loop unrolls away.
template <typename F>
[[gnu::always_inline]] inline void for_runs(const Runs& runs, u64 first, u64 last, F f) {
  if (first >= last) return;
  u64 zero = 0;
  for (int j = 0; j < runs.count; ++j) zero |= u64{1} << runs.positions[j];
  const u64 skip = zero | (runs.length - 1), controls = runs.control_mask;
  auto walk = [&](auto length) __attribute__((always_inline)) {
    u64 x = runs.base(first) & ~controls;
    for (u64 r = first; r < last; ++r) {
      f(x | controls, length);
      x = ((x | skip) + 1) & ~zero;
    }
  };
  if (runs.length == 2) return walk(std::integral_constant<u64, 2>{});
  if (runs.length == 4) return walk(std::integral_constant<u64, 4>{});
  walk(runs.length);
}

template <typename Real>
[[gnu::always_inline]] inline void dense1_runs_body(Real* data, const Runs& runs, u64 first,
                                                    u64 last, u64 stride, const Matrix2& m,
                                                    bool pf) {
  for_runs(
      runs, first, last, [&](u64 b, auto length) __attribute__((always_inline)) {
        dense1_body(data + 2 * b, data + 2 * (b + stride), length, m, pf);
      });
}

template <typename Real>
[[gnu::always_inline]] inline void scale_runs_body(Real* data, const Runs& runs, u64 first,
                                                   u64 last, const u64* offsets,
                                                   const cplx* factors, int n, bool pf) {
  for_runs(
      runs, first, last, [&](u64 b, auto length) __attribute__((always_inline)) {
        for (int k = 0; k < n; ++k) scale_body(data + 2 * (b + offsets[k]), length, factors[k], pf);
      });
}

template <typename Real>
[[gnu::always_inline]] inline void swap_runs_body(Real* data, const Runs& runs, u64 first, u64 last,
                                                  u64 a, u64 b, bool pf) {
  for_runs(
      runs, first, last, [&](u64 i, auto length) __attribute__((always_inline)) {
        swap_body(data + 2 * (i + a), data + 2 * (i + b), length, pf);
      });
}

template <typename Real>
[[gnu::always_inline]] inline void swap_neighbours_runs_body(Real* data, const Runs& runs,
                                                             u64 first, u64 last, bool pf) {
  for_runs(
      runs, first, last, [&](u64 b, auto length) __attribute__((always_inline)) {
        swap_neighbours_body(data, b, b + length, pf);
      });
}

template <typename Real>
[[gnu::always_inline]] inline void swap_odd_runs_body(Real* data, const Runs& runs, u64 first,
                                                      u64 last, u64 stride, bool pf) {
  using S = Simd<Real>;
  using I = typename S::I;
  for_runs(
      runs, first, last, [&](u64 base, auto length) __attribute__((always_inline)) {
        Real* a = data + 2 * base;
        Real* b = a + 2 * stride;
        for (u64 j = 0; j < length; j += 2) {
          prefetch_ahead(a + 2 * j, pf);
          prefetch_ahead(b + 2 * j, pf);
          const typename S::V x = S::load(a + 2 * j), y = S::load(b + 2 * j);
          S::store(a + 2 * j, FIELDLAB_SHUFFLE2(x, y, 0, 1, 6, 7));
          S::store(b + 2 * j, FIELDLAB_SHUFFLE2(y, x, 0, 1, 6, 7));
        }
      });
}

template <typename Real>
[[gnu::always_inline]] inline void dense2_runs_body(Real* data, const Runs& runs, u64 first,
                                                    u64 last, const u64* offsets, const Matrix4& m,
                                                    bool pf) {
  for_runs(
      runs, first, last, [&](u64 b, auto length) __attribute__((always_inline)) {
        dense2_body(data + 2 * b, offsets, length, m, pf);
      });
}

}  // namespace

// The dispatched entry points: one clone pair per precision (target_clones does not apply to
// templates, so each is a plain function around the inlined template body).
#define FIELDLAB_KERNEL_BOTH_PRECISIONS(DEFINE) \
  DEFINE(double)                                \
  DEFINE(float)

#define FIELDLAB_DEFINE_KERNELS(Real)                                                             \
  FIELDLAB_MULTIVERSION void dense1_pairs(Real* data, int target, const Matrix2& m, u64 begin,    \
                                          u64 end, bool prefetch) {                               \
    if (prefetch && (target == 0 || runs_within<Real>(kDenseRunBytes, u64{1} << target)))         \
      dense1_pairs_body(data, target, m, begin, end, true);                                       \
    else                                                                                          \
      dense1_pairs_body(data, target, m, begin, end, false);                                      \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void diagonal1_pairs(Real* data, int target, cplx d0, cplx d1, u64 begin, \
                                             u64 end, bool prefetch) {                            \
    if (prefetch && (target == 0 || runs_within<Real>(kShortRunBytes, u64{1} << target)))         \
      diagonal1_body(data, target, d0, d1, begin, end, true);                                     \
    else                                                                                          \
      diagonal1_body(data, target, d0, d1, begin, end, false);                                    \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void dense1_runs(Real* data, const Runs& runs, u64 first, u64 last,       \
                                         u64 stride, const Matrix2& m, bool prefetch) {           \
    if (prefetch && runs_within<Real>(kDenseRunBytes, runs.length))                               \
      dense1_runs_body(data, runs, first, last, stride, m, true);                                 \
    else                                                                                          \
      dense1_runs_body(data, runs, first, last, stride, m, false);                                \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void scale_runs(Real* data, const Runs& runs, u64 first, u64 last,        \
                                        const u64* offsets, const cplx* factors, int n,           \
                                        bool prefetch) {                                          \
    if (prefetch && runs_within<Real>(kShortRunBytes, runs.length))                               \
      scale_runs_body(data, runs, first, last, offsets, factors, n, true);                        \
    else                                                                                          \
      scale_runs_body(data, runs, first, last, offsets, factors, n, false);                       \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void swap_runs(Real* data, const Runs& runs, u64 first, u64 last, u64 a,  \
                                       u64 b, bool prefetch) {                                    \
    if (prefetch && runs_within<Real>(kShortRunBytes, runs.length))                               \
      swap_runs_body(data, runs, first, last, a, b, true);                                        \
    else                                                                                          \
      swap_runs_body(data, runs, first, last, a, b, false);                                       \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void swap_neighbours(Real* data, u64 begin, u64 end, bool prefetch) {     \
    (void)prefetch; /* one sequential stream: the hardware prefetcher is enough */                \
    swap_neighbours_body(data, begin, end, false);                                                \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void swap_neighbours_runs(Real* data, const Runs& runs, u64 first,        \
                                                  u64 last, bool prefetch) {                      \
    if (prefetch && runs_within<Real>(kShortRunBytes, runs.length))                               \
      swap_neighbours_runs_body(data, runs, first, last, true);                                   \
    else                                                                                          \
      swap_neighbours_runs_body(data, runs, first, last, false);                                  \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void swap_odd_runs(Real* data, const Runs& runs, u64 first, u64 last,     \
                                           u64 stride, bool prefetch) {                           \
    if (prefetch && runs_within<Real>(kShortRunBytes, runs.length))                               \
      swap_odd_runs_body(data, runs, first, last, stride, true);                                  \
    else                                                                                          \
      swap_odd_runs_body(data, runs, first, last, stride, false);                                 \
  }                                                                                               \
  FIELDLAB_MULTIVERSION void dense2_runs(Real* data, const Runs& runs, u64 first, u64 last,       \
                                         const u64* offsets, const Matrix4& m, bool prefetch) {   \
    if (prefetch && runs_within<Real>(kShortRunBytes, runs.length))                               \
      dense2_runs_body(data, runs, first, last, offsets, m, true);                                \
    else                                                                                          \
      dense2_runs_body(data, runs, first, last, offsets, m, false);                               \
  }

FIELDLAB_KERNEL_BOTH_PRECISIONS(FIELDLAB_DEFINE_KERNELS)

}  // namespace fieldlab::quantum::kernels
