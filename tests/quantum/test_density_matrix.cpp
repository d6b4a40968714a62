#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "quantum/circuit.hpp"
#include "quantum/density_matrix.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;
using namespace fieldlab::quantum::testing;

TEST_CASE("density matrix of a pure state evolves like the state vector") {
  std::mt19937_64 rng(21);
  const int n = 4;
  const Circuit c = random_circuit(n, 60, rng);
  StateVector<double> psi(n);
  DensityMatrix rho(n);
  run(c, psi);
  for (const Operation& op : c.operations()) rho.apply(op.gate);
  const DensityMatrix ref = DensityMatrix::from_state(psi);
  double worst = 0;
  for (std::uint64_t r = 0; r < rho.dimension(); ++r)
    for (std::uint64_t col = 0; col < rho.dimension(); ++col)
      worst = std::max(worst, std::abs(rho.element(r, col) - ref.element(r, col)));
  CHECK(worst < 1e-12);
  CHECK(rho.trace() == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(rho.purity() == doctest::Approx(1.0).epsilon(1e-12));
  for (const char* p : {"Z0", "X1 Y2", "Z0 Z3", "Y1"})
    CHECK(rho.expectation(parse_pauli_string(p)) ==
          doctest::Approx(expectation(psi, parse_pauli_string(p))).epsilon(1e-12));
}

TEST_CASE("Kraus channels are trace preserving and completely positive") {
  for (double p : {0.0, 0.1, 0.5, 1.0}) {
    CHECK(trace_preservation_error(depolarizing_kraus(p)) < 1e-14);
    CHECK(trace_preservation_error(amplitude_damping_kraus(p)) < 1e-14);
  }
  CHECK(trace_preservation_error(measure_reset_kraus()) < 1e-15);
  CHECK(trace_preservation_error(dephasing_kraus()) < 1e-15);
  CHECK_THROWS_AS(depolarizing_kraus(2.0), fieldlab::Error);
  CHECK_THROWS_AS(amplitude_damping_kraus(-0.1), fieldlab::Error);

  // Complete positivity: the Choi matrix of measure-and-reset (applied to one half of a maximally
  // entangled pair) has no negative eigenvalue, and the channel keeps the trace of a mixed state.
  DensityMatrix bell(2);
  bell.apply(make_gate(GateKind::h, {0}));
  bell.apply(make_gate(GateKind::x, {1}, {}, {0}));
  for (auto kraus :
       {measure_reset_kraus(), depolarizing_kraus(0.3), amplitude_damping_kraus(0.4)}) {
    DensityMatrix choi = bell;
    choi.apply_kraus(0, kraus);
    CHECK(choi.trace() == doctest::Approx(1.0).epsilon(1e-14));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(choi.matrix());
    CHECK(es.eigenvalues().minCoeff() > -1e-12);
  }
}

TEST_CASE("channels have their closed-form action") {
  std::mt19937_64 rng(4);
  StateVector<double> psi(2);
  psi.set_amplitudes(random_state(2, rng));
  const DensityMatrix rho = DensityMatrix::from_state(psi);
  const double z0 = rho.expectation(parse_pauli_string("Z0"));
  const double x0 = rho.expectation(parse_pauli_string("X0"));
  const double z1 = rho.expectation(parse_pauli_string("Z1"));

  DensityMatrix dep = rho;
  dep.depolarize(0, 0.3);  // Bloch vector of qubit 0 shrinks by 1 - p
  CHECK(dep.expectation(parse_pauli_string("X0")) == doctest::Approx(0.7 * x0).epsilon(1e-12));
  CHECK(dep.expectation(parse_pauli_string("Z1")) == doctest::Approx(z1).epsilon(1e-12));

  DensityMatrix damp = rho;
  damp.amplitude_damp(0, 0.25);  // <Z> -> 1 - (1-g)(1-<Z>) ; <X> -> sqrt(1-g) <X>
  CHECK(damp.expectation(parse_pauli_string("Z0")) ==
        doctest::Approx(1 - 0.75 * (1 - z0)).epsilon(1e-12));
  CHECK(damp.expectation(parse_pauli_string("X0")) ==
        doctest::Approx(std::sqrt(0.75) * x0).epsilon(1e-12));

  DensityMatrix reset = rho;
  reset.measure_reset(0);
  CHECK(reset.expectation(parse_pauli_string("Z0")) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(reset.expectation(parse_pauli_string("X0")) == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(reset.expectation(parse_pauli_string("Z1")) == doctest::Approx(z1).epsilon(1e-12));
  CHECK(reset.trace() == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("measure-and-reset channel equals the average of sampled trajectories") {
  // Entangle, measure+reset qubit 0, entangle again: the exact channel result against 4000
  // state-vector trajectories with collapse; <Z1> and <X1 X0> within 5 sigma.
  const int n = 2;
  Circuit c(n, 0);
  c.ry(0, 1.1).ry(1, 0.4).cx(0, 1).rx(1, 0.8).reset(0).ry(0, 0.6).cx(1, 0).h(1);
  DensityMatrix rho(n);
  for (const Operation& op : c.operations()) {
    if (op.kind == OpKind::reset)
      rho.measure_reset(op.qubit);
    else
      rho.apply(op.gate);
  }
  const PauliString z1 = parse_pauli_string("Z1"), xx = parse_pauli_string("X0 X1");
  const int trajectories = 4000;
  double sum_z = 0, sum_xx = 0;
  for (int t = 0; t < trajectories; ++t) {
    Rng rng(1000 + t);
    StateVector<double> s(n);
    std::vector<int> bits;
    run(c, s, rng, bits);
    sum_z += expectation(s, z1);
    sum_xx += expectation(s, xx);
  }
  // Per-trajectory expectations lie in [-1, 1]: sigma of the mean <= 1/sqrt(T).
  const double bound = 5.0 / std::sqrt(static_cast<double>(trajectories));
  CHECK(std::abs(sum_z / trajectories - rho.expectation(z1)) < bound);
  CHECK(std::abs(sum_xx / trajectories - rho.expectation(xx)) < bound);
  CHECK(rho.purity() < 0.99);  // the reset really mixed the state
}
