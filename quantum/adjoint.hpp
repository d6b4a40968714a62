#pragma once
// Gradients of <psi(theta)| H |psi(theta)>, psi = C(theta)|0...0>, with respect to the angle of
// every differentiable gate (rx, ry, rz, p, rxx, rzz, controlled or not) in circuit order.
// The adjoint method costs about three circuit runs whatever the number of parameters; the
// parameter-shift rule (two runs per parameter, four for controlled rotations) is the reference.

#include <vector>

#include "quantum/circuit.hpp"
#include "quantum/pauli.hpp"

namespace fieldlab::quantum {

template <typename Real>
std::vector<double> adjoint_gradient(const Circuit& circuit, const std::vector<PauliString>& h);

std::vector<double> parameter_shift_gradient(const Circuit& circuit,
                                             const std::vector<PauliString>& h);

// <0|C^dagger H C|0> in complex128.
double circuit_expectation(const Circuit& circuit, const std::vector<PauliString>& h);

// The same circuit with the angle of differentiable gate `index` (circuit order) set to `value`.
Circuit with_parameter(const Circuit& circuit, int index, double value);
std::vector<double> parameters(const Circuit& circuit);

}  // namespace fieldlab::quantum
