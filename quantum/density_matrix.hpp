#pragma once
// Density-matrix mode for small registers: rho is stored column-major as a 2n-qubit vector
// (index = row | col << n), so U rho U^dagger is U on the row qubits and conj(U) on the column
// qubits, run by the state-vector kernels. Channels are one-qubit Kraus maps; measure-and-reset is
// the channel K0 = |0><0|, K1 = |0><1|, which gives reservoir features exactly, without shots.

#include <Eigen/Dense>
#include <complex>
#include <vector>

#include "quantum/gates.hpp"
#include "quantum/pauli.hpp"
#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

// Density matrices hold 4^n amplitudes; past this the state-vector mode is the tool.
inline constexpr int kMaxDensityQubits = 13;

class DensityMatrix {
 public:
  explicit DensityMatrix(int num_qubits);  // |0...0><0...0|
  static DensityMatrix from_state(const StateVector<double>& psi);
  // Any square matrix of size 2^n (not checked for positivity: channel spectra feed non-physical
  // basis matrices through the same maps).
  static DensityMatrix from_matrix(const Eigen::MatrixXcd& rho);

  int num_qubits() const { return num_qubits_; }
  std::uint64_t dimension() const { return std::uint64_t{1} << num_qubits_; }
  std::complex<double> element(std::uint64_t row, std::uint64_t col) const;
  Eigen::MatrixXcd matrix() const;
  // The 4^n elements in place, column-major: element (row, col) at row + col * dimension().
  const std::complex<double>* data() const { return vec_.data(); }

  void apply(const Gate& gate);                   // rho -> U rho U^dagger
  void apply_unitary(const Eigen::MatrixXcd& u);  // on all qubits at once
  void apply_kraus(int qubit, const std::vector<Matrix2>& kraus);
  void measure_reset(int qubit);  // non-selective measurement, then |0>
  void dephase(int qubit);        // non-selective measurement, outcome kept
  void depolarize(int qubit, double p);
  void amplitude_damp(int qubit, double gamma);

  double trace() const;
  double purity() const;  // Tr(rho^2)
  double expectation(const PauliString& p) const;
  double expectation(const std::vector<PauliString>& sum) const;
  std::vector<double> probabilities() const;  // the diagonal

 private:
  int num_qubits_;
  StateVector<double> vec_;
};

// Kraus sets. Depolarising: rho -> (1-p) rho + p I/2 Tr_q(rho) (Kraus sqrt(1-3p/4) I,
// sqrt(p/4) X, Y, Z); amplitude damping with decay probability gamma.
std::vector<Matrix2> depolarizing_kraus(double p);
std::vector<Matrix2> amplitude_damping_kraus(double gamma);
std::vector<Matrix2> measure_reset_kraus();
std::vector<Matrix2> dephasing_kraus();
// max |sum_k K^dagger K - I|: zero for a trace-preserving map.
double trace_preservation_error(const std::vector<Matrix2>& kraus);

}  // namespace fieldlab::quantum
