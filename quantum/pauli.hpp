#pragma once
// Pauli strings and weighted Pauli sums, and their expectation values on a state vector without
// modifying it: P = i^{#Y} X^x Z^z maps |i> to i^{#Y} (-1)^{|i & z|} |i ^ x>, so <psi|P|psi> is one
// pass over the amplitudes.

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

struct PauliString {
  std::uint64_t x_mask = 0;  // qubits carrying X or Y
  std::uint64_t z_mask = 0;  // qubits carrying Z or Y
  double coefficient = 1.0;
  int max_qubit() const;  // -1 for the identity
};

// Parses "Z0 Z1", "X3", "0.5 * X0 Y2", "-Z0", "I" (identity). Throws usage errors with the text.
PauliString parse_pauli_string(const std::string& text);
// Parses "0.5 Z0 Z1 + 0.25 X0 - Y1": terms separated by + or -.
std::vector<PauliString> parse_pauli_sum(const std::string& text);
std::string to_string(const PauliString& p);

template <typename Real>
double expectation(const StateVector<Real>& state, const PauliString& p);
template <typename Real>
double expectation(const StateVector<Real>& state, const std::vector<PauliString>& sum);

// Applies P (with its coefficient) to a state: used by adjoint gradients.
template <typename Real>
void apply_pauli(StateVector<Real>& state, const PauliString& p);

// i^k for any integer k.
std::complex<double> i_power(int k);

}  // namespace fieldlab::quantum
