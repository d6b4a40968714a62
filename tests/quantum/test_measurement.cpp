#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "core/error.hpp"
#include "quantum/circuit.hpp"
#include "quantum/pauli.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;
using namespace fieldlab::quantum::testing;

TEST_CASE_TEMPLATE("sampling frequencies lie within 5 sigma of the probabilities", Real, double,
                   float) {
  StateVector<Real> s(3);
  Circuit c(3);
  c.ry(0, 1.0).ry(1, 2.0).cx(1, 2).rx(2, 0.7);
  run(c, s);
  const std::vector<double> p = s.probabilities();
  Rng rng(2024);
  const int shots = 20000;
  const auto samples = s.sample(shots, rng);
  std::vector<int> counts(8, 0);
  for (auto x : samples) ++counts[x];
  for (int i = 0; i < 8; ++i) {
    const double sigma = std::sqrt(shots * p[i] * (1 - p[i])) + 1e-9;
    CHECK(std::abs(counts[i] - shots * p[i]) < 5 * sigma + 1);
  }
  // The state is untouched by sampling.
  CHECK(std::abs(s.probabilities()[3] - p[3]) < 1e-12);
}

TEST_CASE("marginal probabilities sum the full distribution over the other qubits") {
  std::mt19937_64 rng(1);
  StateVector<double> s(4);
  s.set_amplitudes(random_state(4, rng));
  const auto full = s.probabilities();
  const auto m = s.marginal_probabilities({3, 1});
  REQUIRE(m.size() == 4);
  for (int k = 0; k < 4; ++k) {
    double expected = 0;
    for (std::uint64_t i = 0; i < 16; ++i)
      if ((((i >> 3) & 1) | (((i >> 1) & 1) << 1)) == static_cast<std::uint64_t>(k))
        expected += full[i];
    CHECK(m[k] == doctest::Approx(expected).epsilon(1e-12));
  }
  CHECK(s.probability_one(2) == doctest::Approx(s.marginal_probabilities({2})[1]).epsilon(1e-12));
}

TEST_CASE("measurement collapses, reset returns |0>, and conditioned gates read the outcome") {
  // Measuring half of a Bell pair fixes the other half.
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    StateVector<double> s(2);
    Circuit c(2, 2);
    c.h(0).cx(0, 1).measure(0, 0);
    std::vector<int> bits;
    run(c, s, rng, bits);
    CHECK(s.probability_one(1) == doctest::Approx(bits[0]).epsilon(1e-12));
    CHECK(s.norm_squared() == doctest::Approx(1.0).epsilon(1e-12));
  }
  // if(c==1) x q[1]: copies a random measured bit into qubit 1; reset clears qubit 0.
  int ones = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    Rng rng(seed);
    StateVector<double> s(2);
    Circuit c(2, 1);
    c.h(0).measure(0, 0);
    c.add_conditioned(make_gate(GateKind::x, {1}), Condition{0, 1, 1});
    c.reset(0);
    std::vector<int> bits;
    run(c, s, rng, bits);
    CHECK(s.probability_one(0) < 1e-12);
    CHECK(s.probability_one(1) == doctest::Approx(bits[0]).epsilon(1e-12));
    ones += bits[0];
  }
  CHECK(std::abs(ones - 100) < 5 * std::sqrt(50.0));  // binomial(200, 1/2): sigma ~7.1
  StateVector<double> zero(1);
  CHECK_THROWS_AS(zero.collapse(0, 1), fieldlab::Error);
}

TEST_CASE("teleportation with mid-circuit measurements and conditioned corrections") {
  const double theta = 1.234, phi = 0.567;
  for (std::uint64_t seed = 0; seed < 16; ++seed) {
    Rng rng(seed);
    Circuit c(3, 2);
    c.add(make_gate(GateKind::u3, {0}, {theta, phi, 0.0}));
    c.h(1).cx(1, 2).cx(0, 1).h(0).measure(0, 0).measure(1, 1);
    c.add_conditioned(make_gate(GateKind::x, {2}), Condition{1, 1, 1});
    c.add_conditioned(make_gate(GateKind::z, {2}), Condition{0, 1, 1});
    StateVector<double> s(3);
    std::vector<int> bits;
    run(c, s, rng, bits);
    // Qubit 2 now carries cos(theta/2)|0> + e^{i phi} sin(theta/2)|1>.
    CHECK(s.probability_one(2) == doctest::Approx(std::pow(std::sin(theta / 2), 2)).epsilon(1e-12));
    const double ex = expectation(s, parse_pauli_string("X2"));
    CHECK(ex == doctest::Approx(std::sin(theta) * std::cos(phi)).epsilon(1e-10));
  }
}

TEST_CASE_TEMPLATE("Pauli expectation values match dense Pauli matrices", Real, double, float) {
  std::mt19937_64 rng(17);
  const int n = 4;
  const CVec v = random_state(n, rng);
  StateVector<Real> s(n);
  s.set_amplitudes(v);
  for (const char* text :
       {"Z0", "X1", "Y3", "Z0 Z1", "X0 Y1 Z2", "Y0 Y2 X3", "-0.5 * X2 Z3", "I"}) {
    const PauliString p = parse_pauli_string(text);
    // Dense reference: product of one-qubit Pauli gates.
    CVec w = v;
    for (int q = 0; q < n; ++q) {
      const std::uint64_t b = std::uint64_t{1} << q;
      GateKind k = GateKind::id;
      if ((p.x_mask & b) && (p.z_mask & b))
        k = GateKind::y;
      else if (p.x_mask & b)
        k = GateKind::x;
      else if (p.z_mask & b)
        k = GateKind::z;
      w = apply_dense(full_matrix(make_gate(k, {q}), n), w);
    }
    std::complex<double> ref = 0;
    for (std::size_t i = 0; i < v.size(); ++i) ref += std::conj(v[i]) * w[i];
    INFO(text);
    CHECK(expectation(s, p) == doctest::Approx(p.coefficient * ref.real()).epsilon(1e-5));
  }
  const auto sum = parse_pauli_sum("0.5 Z0 Z1 - 0.25 X2 + 2 Y3");
  REQUIRE(sum.size() == 3);
  CHECK(sum[1].coefficient == doctest::Approx(-0.25));
  CHECK(expectation(s, sum) == doctest::Approx(0.5 * expectation(s, parse_pauli_string("Z0 Z1")) -
                                               0.25 * expectation(s, parse_pauli_string("X2")) +
                                               2 * expectation(s, parse_pauli_string("Y3"))));
  CHECK_THROWS_AS(parse_pauli_string("Q1"), fieldlab::Error);
  CHECK_THROWS_AS(parse_pauli_string("Z1 X1"), fieldlab::Error);
  CHECK_THROWS_AS(expectation(s, parse_pauli_string("Z9")), fieldlab::Error);
}

TEST_CASE("Grover search on 3 qubits finds the marked state with probability 0.945") {
  const std::uint64_t marked = 5;
  Circuit c(3);
  for (int q = 0; q < 3; ++q) c.h(q);
  for (int it = 0; it < 2; ++it) {
    // Oracle: phase flip of |101> = CCZ sandwiched by X on the zero bits.
    c.x(1).add(make_gate(GateKind::z, {2}, {}, {0, 1})).x(1);
    // Diffusion.
    for (int q = 0; q < 3; ++q) c.h(q).x(q);
    c.add(make_gate(GateKind::z, {2}, {}, {0, 1}));
    for (int q = 0; q < 3; ++q) c.x(q).h(q);
  }
  StateVector<double> s(3);
  run(c, s);
  // After k iterations: sin^2((2k+1) asin(1/sqrt(8))).
  const double expected = std::pow(std::sin(5 * std::asin(1 / std::sqrt(8.0))), 2);
  CHECK(s.probabilities()[marked] == doctest::Approx(expected).epsilon(1e-12));
  CHECK(expected > 0.94);
}
