#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "quantum/circuit.hpp"
#include "quantum/state_vector.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;
using namespace fieldlab::quantum::testing;

namespace {

template <typename Real>
double tolerance() {
  return std::is_same_v<Real, float> ? 2e-5 : 1e-12;
}

template <typename Real>
CVec state_of(const StateVector<Real>& s) {
  return s.amplitudes();
}

// The textbook QFT, |x> -> 2^{-n/2} sum_y e^{2 pi i x y / 2^n} |y>, qubit 0 least significant.
Circuit qft(int n) {
  Circuit c(n);
  for (int j = n - 1; j >= 0; --j) {
    c.h(j);
    for (int k = j - 1; k >= 0; --k)
      c.add(make_gate(GateKind::phase, {j}, {M_PI / std::pow(2.0, j - k)}, {k}));
  }
  for (int i = 0; i < n / 2; ++i) c.add(make_gate(GateKind::swap, {i, n - 1 - i}));
  return c;
}

// Every kernel path on every target and target pair of an n-qubit register: dense, diagonal,
// sign-flip and X gates on each qubit; 2-qubit dense, SWAP, CNOT, CZ, RZZ and controlled dense
// on each ordered pair; with `toffolis`, also an X with two controls per pair.
std::vector<Gate> kernel_sweep_gates(int n, bool toffolis) {
  const Matrix2 u1 = multiply(matrix1(make_gate(GateKind::u3, {0}, {0.3, 1.1, -0.7})),
                              matrix1(make_gate(GateKind::rx, {0}, {0.9})));
  const Matrix4 u2 = multiply(matrix2(make_gate(GateKind::rxx, {0, 1}, {0.4})),
                              matrix2(make_gate(GateKind::iswap, {0, 1})));
  std::vector<Gate> gates;
  for (int t = 0; t < n; ++t) {
    gates.push_back(make_unitary1(t, u1));
    gates.push_back(make_gate(GateKind::rz, {t}, {0.7}));
    gates.push_back(make_gate(GateKind::z, {t}));
    gates.push_back(make_gate(GateKind::x, {t}));
    for (int q = 0; q < n; ++q) {
      if (q == t) continue;
      gates.push_back(make_unitary2(t, q, u2));
      gates.push_back(make_gate(GateKind::swap, {t, q}));
      gates.push_back(make_gate(GateKind::x, {t}, {}, {q}));
      gates.push_back(make_gate(GateKind::z, {t}, {}, {q}));
      gates.push_back(make_gate(GateKind::rzz, {t, q}, {0.3}));
      gates.push_back(make_unitary1(t, u1, {q}));
      if (toffolis && n >= 3) {
        const int r = (q + 1) % n != t ? (q + 1) % n : (q + 2) % n;  // a second control
        gates.push_back(make_gate(GateKind::x, {t}, {}, {q, r}));
      }
    }
  }
  return gates;
}

}  // namespace

TEST_CASE_TEMPLATE("Bell and GHZ states have the analytic amplitudes", Real, double, float) {
  StateVector<Real> bell(2);
  Circuit c(2);
  c.h(0).cx(0, 1);
  run(c, bell);
  const double r = 1 / std::sqrt(2.0);
  CHECK(std::abs(std::complex<double>(bell.amplitude(0)) - r) < tolerance<Real>());
  CHECK(std::abs(std::complex<double>(bell.amplitude(3)) - r) < tolerance<Real>());
  CHECK(std::abs(std::complex<double>(bell.amplitude(1))) < tolerance<Real>());
  CHECK(std::abs(std::complex<double>(bell.amplitude(2))) < tolerance<Real>());

  const int n = 5;
  StateVector<Real> ghz(n);
  Circuit g(n);
  g.h(0);
  for (int q = 1; q < n; ++q) g.cx(q - 1, q);
  run(g, ghz);
  for (std::uint64_t i = 0; i < ghz.dimension(); ++i) {
    const double expected = (i == 0 || i == ghz.dimension() - 1) ? r : 0.0;
    CHECK(std::abs(std::complex<double>(ghz.amplitude(i)) - expected) < tolerance<Real>());
  }
}

TEST_CASE_TEMPLATE("W state from controlled rotations", Real, double, float) {
  // |W3> = (|001> + |010> + |100>)/sqrt(3) built from RY, a controlled RY and X gates.
  StateVector<Real> s(3);
  Circuit c(3);
  c.ry(0, 2 * std::acos(std::sqrt(1.0 / 3.0)));  // amplitude sqrt(1/3) on |0>, sqrt(2/3) on |1>
  c.add(make_gate(GateKind::ry, {1}, {M_PI / 2}, {0}));  // split the |1> branch in two
  c.cx(1, 0);                                            // now (|000> + |001> + |010>)/sqrt(3)
  // Move |000> to |100>: X on qubit 2 when qubits 0 and 1 are both 0.
  c.x(0).x(1).add(make_gate(GateKind::x, {2}, {}, {0, 1})).x(0).x(1);
  run(c, s);
  const double w = 1 / std::sqrt(3.0);
  for (std::uint64_t i = 0; i < 8; ++i) {
    const double expected = (i == 1 || i == 2 || i == 4) ? w : 0.0;
    CHECK(std::abs(std::abs(std::complex<double>(s.amplitude(i))) - expected) < tolerance<Real>());
  }
}

TEST_CASE_TEMPLATE("QFT of basis states matches the DFT formula", Real, double, float) {
  const int n = 5;
  const Circuit c = qft(n);
  const double dim = std::pow(2.0, n);
  for (std::uint64_t x : {0ULL, 1ULL, 5ULL, 19ULL, 31ULL}) {
    StateVector<Real> s(n);
    s.set_basis_state(x);
    run(c, s);
    double worst = 0;
    for (std::uint64_t y = 0; y < s.dimension(); ++y) {
      const std::complex<double> expected =
          std::polar(1.0 / std::sqrt(dim), 2 * M_PI * static_cast<double>(x * y) / dim);
      worst = std::max(worst, std::abs(std::complex<double>(s.amplitude(y)) - expected));
    }
    CHECK(worst < 10 * tolerance<Real>());
  }
}

TEST_CASE_TEMPLATE("every gate kind, with 0-2 controls, matches its dense matrix", Real, double,
                   float) {
  std::mt19937_64 rng(7);
  const int n = 4;
  const Circuit c = random_circuit(n, 120, rng);
  for (const Operation& op : c.operations()) {
    const CVec v = random_state(n, rng);
    StateVector<Real> s(n);
    s.set_amplitudes(v);
    s.apply(op.gate);
    const CVec expected = apply_dense(full_matrix(op.gate, n), v);
    INFO("gate " << gate_name(op.gate.kind) << " controls " << op.gate.controls.size());
    CHECK(max_diff(state_of(s), expected) < 10 * tolerance<Real>());
  }
}

TEST_CASE_TEMPLATE(
    "vector kernels: every target and pair on 1-7 qubits, serial and threaded, with and without "
    "prefetch",
    Real, double, float) {
  // The kernels take two amplitudes per vector and have separate paths for target 0, for runs of
  // one amplitude and for thread ranges; sweep every position on small registers to reach them.
  std::mt19937_64 rng(21);
  for (int n = 1; n <= 7; ++n)
    for (int threshold : {100, 1}) {
      const std::vector<Gate> gates = kernel_sweep_gates(n, false);
      for (const Gate& g : gates) {
        const CVec v = random_state(n, rng);
        StateVector<Real> s(n);
        s.set_parallel_threshold(threshold);
        s.set_prefetch_threshold(threshold);  // the software-prefetch paths too
        s.set_amplitudes(v);
        s.apply(g);
        INFO("n " << n << " gate " << gate_name(g.kind) << " on " << g.targets[0] << " threshold "
                  << threshold);
        CHECK(max_diff(state_of(s), apply_dense(full_matrix(g, n), v)) < 10 * tolerance<Real>());
      }
    }
}

TEST_CASE_TEMPLATE(
    "vector kernels on 12 qubits: every target, pair and Toffoli, whole register and thread ranges",
    Real, double, float) {
  // From ~12 qubits the run kernels split their runs among threads (ranges that start mid-way,
  // where each run's start is carried from the previous one) and gates on the low qubits get runs
  // of 2 and 4 amplitudes with their own unrolled paths: every pair, plus Toffolis, against
  // apply_local, with the kernels forced parallel and forced serial.
  const int n = 12;
  std::mt19937_64 rng(33);
  const std::vector<Gate> gates = kernel_sweep_gates(n, true);
  const CVec v = random_state(n, rng);
  for (int threshold : {100, 1}) {
    StateVector<Real> s(n);
    s.set_parallel_threshold(threshold);
    for (const Gate& g : gates) {
      s.set_amplitudes(v);
      s.apply(g);
      INFO("gate " << gate_name(g.kind) << " on " << g.targets[0] << " controls "
                   << g.controls.size() << " threshold " << threshold);
      CHECK(max_diff(state_of(s), apply_local(g, v)) < 10 * tolerance<Real>());
    }
  }
}

TEST_CASE("arbitrary 1- and 2-qubit unitaries and multi-controlled gates match dense matrices") {
  std::mt19937_64 rng(11);
  const int n = 5;
  // A random unitary from the QR of a Gaussian matrix is not needed: products of named gates are
  // unitary and generic.
  Matrix2 u1 = multiply(matrix1(make_gate(GateKind::u3, {0}, {0.3, 1.1, -0.7})),
                        matrix1(make_gate(GateKind::rx, {0}, {0.9})));
  Matrix4 u2 = multiply(matrix2(make_gate(GateKind::rxx, {0, 1}, {0.4})),
                        matrix2(make_gate(GateKind::iswap, {0, 1})));
  const Gate gates[] = {make_unitary1(2, u1), make_unitary1(4, u1, {0, 1, 3}),
                        make_unitary2(3, 1, u2), make_unitary2(0, 4, u2, {2}),
                        make_gate(GateKind::x, {2}, {}, {0, 1, 3, 4})};
  for (const Gate& g : gates) {
    const CVec v = random_state(n, rng);
    StateVector<double> s(n);
    s.set_amplitudes(v);
    s.apply(g);
    CHECK(max_diff(s.amplitudes(), apply_dense(full_matrix(g, n), v)) < 1e-12);
  }
}

TEST_CASE("gate identities: HZH = X, CNOT = H CZ H, SWAP = 3 CNOT, Toffoli truth table") {
  std::mt19937_64 rng(3);
  const CVec v = random_state(3, rng);
  auto run_on = [&](const Circuit& c) {
    StateVector<double> s(3);
    s.set_amplitudes(v);
    run(c, s);
    return s.amplitudes();
  };
  Circuit hzh(3), x(3);
  hzh.h(1).add(make_gate(GateKind::z, {1})).h(1);
  x.x(1);
  CHECK(max_diff(run_on(hzh), run_on(x)) < 1e-12);

  Circuit cnot(3), hczh(3);
  cnot.cx(0, 2);
  hczh.h(2).cz(0, 2).h(2);
  CHECK(max_diff(run_on(cnot), run_on(hczh)) < 1e-12);

  Circuit swap(3), three(3);
  swap.add(make_gate(GateKind::swap, {0, 2}));
  three.cx(0, 2).cx(2, 0).cx(0, 2);
  CHECK(max_diff(run_on(swap), run_on(three)) < 1e-12);

  for (std::uint64_t in = 0; in < 8; ++in) {
    StateVector<double> s(3);
    s.set_basis_state(in);
    s.apply(make_gate(GateKind::x, {2}, {}, {0, 1}));
    const std::uint64_t out = (in & 3) == 3 ? in ^ 4 : in;
    CHECK(std::abs(s.amplitude(out) - std::complex<double>(1.0)) < 1e-15);
  }
}

TEST_CASE(
    "random circuits: norm preserved, complex64 agrees with complex128, fusion changes nothing") {
  std::mt19937_64 rng(5);
  const int n = 7;
  const Circuit c = random_circuit(n, 200, rng);
  StateVector<double> d(n);
  StateVector<float> f(n);
  run(c, d);
  run(c, f);
  CHECK(std::abs(d.norm_squared() - 1.0) < 1e-12);
  CHECK(std::abs(f.norm_squared() - 1.0) < 1e-4);
  CHECK(max_diff(d.amplitudes(), f.amplitudes()) < 1e-4);

  const Circuit fused = fuse(c);
  CHECK(fused.operations().size() < c.operations().size());
  StateVector<double> df(n);
  run(fused, df);
  CHECK(max_diff(d.amplitudes(), df.amplitudes()) < 1e-12);
  const Circuit fused1 = fuse(c, 1);
  StateVector<double> d1(n);
  run(fused1, d1);
  CHECK(max_diff(d.amplitudes(), d1.amplitudes()) < 1e-12);
}

TEST_CASE("fusion merges a layer of rotations and keeps order around measurements") {
  Circuit c(3, 1);
  c.h(0).rz(0, 0.3).rx(0, 0.2).cx(0, 1).ry(1, 0.5).measure(1, 0).h(1).h(2);
  const Circuit f = fuse(c);
  // h,rz,rx,cx,ry fuse into one 2-qubit block; measure; h(1) and h(2) stay separate blocks.
  REQUIRE(f.operations().size() == 4);
  CHECK(f.operations()[0].gate.kind == GateKind::unitary2);
  CHECK(f.operations()[1].kind == OpKind::measure);
}

TEST_CASE("the OpenMP kernels give the same state as the serial ones") {
  std::mt19937_64 rng(9);
  const int n = 15;
  const Circuit c = random_circuit(n, 40, rng);
  StateVector<double> serial(n), parallel(n);
  serial.set_parallel_threshold(100);
  parallel.set_parallel_threshold(1);
  run(c, serial);
  run(c, parallel);
  CHECK(max_diff(serial.amplitudes(), parallel.amplitudes()) < 1e-12);
}

TEST_CASE("bad input throws usage errors, before allocating") {
  StateVector<double> s(3);
  CHECK_THROWS_AS(s.apply(make_gate(GateKind::h, {3})), fieldlab::Error);
  CHECK_THROWS_AS(s.apply(make_gate(GateKind::x, {1}, {}, {1})), fieldlab::Error);
  CHECK_THROWS_AS(s.apply(make_gate(GateKind::rx, {0})), fieldlab::Error);
  CHECK_THROWS_AS(s.apply(make_unitary1(0, Matrix2{1, 1, 0, 1})), fieldlab::Error);
  CHECK_THROWS_AS(s.set_amplitudes(CVec(4)), fieldlab::Error);
  try {
    StateVector<double> huge(39);  // 8 TiB
    FAIL("no error for a 39-qubit state");
  } catch (const fieldlab::Error& e) {
    CHECK(std::string(e.what()).find("GiB") != std::string::npos);
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
  }
}
