#include <doctest/doctest.h>

#include <cmath>

#include "quantum/adjoint.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;

namespace {

Circuit ansatz(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> a(-2.5, 2.5);
  Circuit c(n);
  for (int layer = 0; layer < 3; ++layer) {
    for (int q = 0; q < n; ++q) c.rx(q, a(rng)).ry(q, a(rng)).rz(q, a(rng));
    for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
    c.add(make_gate(GateKind::rzz, {0, n - 1}, {a(rng)}));
    c.add(make_gate(GateKind::rxx, {1, 2}, {a(rng)}));
    c.add(make_gate(GateKind::phase, {1}, {a(rng)}));
    c.add(make_gate(GateKind::rx, {2}, {a(rng)}, {0}));  // controlled rotations
    c.add(make_gate(GateKind::ry, {0}, {a(rng)}, {3}));
    c.add(make_gate(GateKind::phase, {3}, {a(rng)}, {1}));
    c.h(1).add(make_gate(GateKind::u3, {2}, {0.3, 0.2, 0.1}));  // non-parametrised gates in between
  }
  return c;
}

}  // namespace

TEST_CASE_TEMPLATE("adjoint gradients agree with parameter shift and finite differences", Real,
                   double, float) {
  std::mt19937_64 rng(31);
  const Circuit c = ansatz(4, rng);
  const auto h = parse_pauli_sum("0.7 Z0 Z1 + 0.4 X2 - 0.3 Y3 Z0 + 0.2 X1 X3");
  const std::vector<double> adjoint = adjoint_gradient<Real>(c, h);
  const std::vector<double> shift = parameter_shift_gradient(c, h);
  const std::vector<double> theta = parameters(c);
  REQUIRE(adjoint.size() == theta.size());
  REQUIRE(adjoint.size() == 3 * (12 + 6));
  const double tol = std::is_same_v<Real, float> ? 1e-4 : 1e-10;
  double largest = 0;
  for (std::size_t k = 0; k < theta.size(); ++k) {
    const double e = 1e-5;
    const double fd = (circuit_expectation(with_parameter(c, k, theta[k] + e), h) -
                       circuit_expectation(with_parameter(c, k, theta[k] - e), h)) /
                      (2 * e);
    INFO("parameter " << k);
    CHECK(std::abs(adjoint[k] - shift[k]) < tol);
    CHECK(std::abs(shift[k] - fd) < 1e-8);
    largest = std::max(largest, std::abs(shift[k]));
  }
  CHECK(largest > 0.05);  // the gradients are not trivially zero
}
