#include "quantum/density_matrix.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/error.hpp"
#include "quantum/pauli.hpp"

namespace fieldlab::quantum {
namespace {

using u64 = std::uint64_t;

int checked_qubits(int n) {
  require(n >= 1 && n <= kMaxDensityQubits, "density-matrix mode supports 1..{} qubits, got {}",
          kMaxDensityQubits, n);
  return n;
}

}  // namespace

DensityMatrix::DensityMatrix(int num_qubits)
    : num_qubits_(checked_qubits(num_qubits)), vec_(2 * num_qubits) {}

DensityMatrix DensityMatrix::from_state(const StateVector<double>& psi) {
  DensityMatrix rho(psi.num_qubits());
  const u64 d = psi.dimension();
  auto* v = rho.vec_.data();
  for (u64 c = 0; c < d; ++c)
    for (u64 r = 0; r < d; ++r)
      v[r | (c << rho.num_qubits_)] = psi.data()[r] * std::conj(psi.data()[c]);
  return rho;
}

DensityMatrix DensityMatrix::from_matrix(const Eigen::MatrixXcd& m) {
  require(m.rows() == m.cols() && m.rows() >= 2 && std::has_single_bit(static_cast<u64>(m.rows())),
          "a density matrix must be square with a power-of-two size, got {}x{}", m.rows(),
          m.cols());
  DensityMatrix rho(std::countr_zero(static_cast<u64>(m.rows())));
  std::copy(m.data(), m.data() + m.size(), rho.vec_.data());
  return rho;
}

std::complex<double> DensityMatrix::element(u64 row, u64 col) const {
  require(row < dimension() && col < dimension(), "density matrix element ({}, {}) out of range",
          row, col);
  return vec_.data()[row | (col << num_qubits_)];
}

Eigen::MatrixXcd DensityMatrix::matrix() const {
  const auto d = static_cast<Eigen::Index>(dimension());
  return Eigen::Map<const Eigen::MatrixXcd>(vec_.data(), d, d);
}

void DensityMatrix::apply(const Gate& gate) {
  validate(gate, num_qubits_);
  vec_.apply_trusted(gate);
  // rho U^dagger acts on the column index as conj(U).
  Gate g = gate;
  for (int& q : g.targets) q += num_qubits_;
  for (int& q : g.controls) q += num_qubits_;
  g.params.clear();
  if (gate_target_count(gate.kind) == 1) {
    Matrix2 m = matrix1(gate);
    for (auto& z : m) z = std::conj(z);
    g.kind = GateKind::unitary1;
    g.matrix.assign(m.begin(), m.end());
  } else {
    Matrix4 m = matrix2(gate);
    for (auto& z : m) z = std::conj(z);
    g.kind = GateKind::unitary2;
    g.matrix.assign(m.begin(), m.end());
  }
  vec_.apply_trusted(g);
}

void DensityMatrix::apply_unitary(const Eigen::MatrixXcd& u) {
  const auto d = static_cast<Eigen::Index>(dimension());
  require(u.rows() == d && u.cols() == d, "unitary of size {}x{} on a {}-qubit density matrix",
          u.rows(), u.cols(), num_qubits_);
  Eigen::Map<Eigen::MatrixXcd> rho(vec_.data(), d, d);
  const Eigen::MatrixXcd tmp = u * rho;
  rho.noalias() = tmp * u.adjoint();
}

void DensityMatrix::apply_kraus(int qubit, const std::vector<Matrix2>& kraus) {
  require(qubit >= 0 && qubit < num_qubits_, "qubit {} out of range ({} qubits)", qubit,
          num_qubits_);
  require(!kraus.empty(), "empty Kraus set");
  const u64 d = dimension();
  const u64 rb = u64{1} << qubit, cb = rb << num_qubits_;
  auto* v = vec_.data();
  for (u64 c = 0; c < d; ++c) {
    if (c & rb) continue;
    for (u64 r = 0; r < d; ++r) {
      if (r & rb) continue;
      const u64 base = r | (c << num_qubits_);
      const u64 idx[4] = {base, base | rb, base | cb, base | rb | cb};  // (0,0) (1,0) (0,1) (1,1)
      // B[a][b] = rho(r_a, c_b)
      const cplx b00 = v[idx[0]], b10 = v[idx[1]], b01 = v[idx[2]], b11 = v[idx[3]];
      cplx o00 = 0, o01 = 0, o10 = 0, o11 = 0;
      for (const Matrix2& k : kraus) {
        // T = K B
        const cplx t00 = k[0] * b00 + k[1] * b10, t01 = k[0] * b01 + k[1] * b11;
        const cplx t10 = k[2] * b00 + k[3] * b10, t11 = k[2] * b01 + k[3] * b11;
        // O += T K^dagger; (K^dagger)[i][j] = conj(K[j][i])
        o00 += t00 * std::conj(k[0]) + t01 * std::conj(k[1]);
        o01 += t00 * std::conj(k[2]) + t01 * std::conj(k[3]);
        o10 += t10 * std::conj(k[0]) + t11 * std::conj(k[1]);
        o11 += t10 * std::conj(k[2]) + t11 * std::conj(k[3]);
      }
      v[idx[0]] = o00;
      v[idx[1]] = o10;
      v[idx[2]] = o01;
      v[idx[3]] = o11;
    }
  }
}

void DensityMatrix::measure_reset(int qubit) { apply_kraus(qubit, measure_reset_kraus()); }
void DensityMatrix::dephase(int qubit) { apply_kraus(qubit, dephasing_kraus()); }
void DensityMatrix::depolarize(int qubit, double p) { apply_kraus(qubit, depolarizing_kraus(p)); }
void DensityMatrix::amplitude_damp(int qubit, double gamma) {
  apply_kraus(qubit, amplitude_damping_kraus(gamma));
}

double DensityMatrix::trace() const {
  double t = 0;
  for (u64 i = 0; i < dimension(); ++i) t += vec_.data()[i | (i << num_qubits_)].real();
  return t;
}

double DensityMatrix::purity() const {
  // Tr(rho^2) = sum |rho_ij|^2 for Hermitian rho.
  return vec_.norm_squared();
}

double DensityMatrix::expectation(const PauliString& p) const {
  require(p.max_qubit() < num_qubits_, "Pauli string {} acts on qubit {} of a {}-qubit state",
          to_string(p), p.max_qubit(), num_qubits_);
  const auto* v = vec_.data();
  std::complex<double> acc = 0;
  for (u64 j = 0; j < dimension(); ++j) {
    const double sign = (std::popcount(j & p.z_mask) & 1) ? -1.0 : 1.0;
    acc += sign * v[j | ((j ^ p.x_mask) << num_qubits_)];
  }
  return p.coefficient * (i_power(std::popcount(p.x_mask & p.z_mask)) * acc).real();
}

double DensityMatrix::expectation(const std::vector<PauliString>& sum) const {
  double e = 0;
  for (const auto& p : sum) e += expectation(p);
  return e;
}

std::vector<double> DensityMatrix::probabilities() const {
  std::vector<double> p(dimension());
  for (u64 i = 0; i < dimension(); ++i) p[i] = vec_.data()[i | (i << num_qubits_)].real();
  return p;
}

std::vector<Matrix2> depolarizing_kraus(double p) {
  require(p >= 0.0 && p <= 4.0 / 3.0, "depolarising probability must be in [0, 4/3], got {}", p);
  const double a = std::sqrt(1.0 - 3.0 * p / 4.0), b = std::sqrt(p / 4.0);
  const cplx i(0, 1);
  return {Matrix2{a, 0, 0, a}, Matrix2{0, b, b, 0}, Matrix2{0, -i * b, i * b, 0},
          Matrix2{b, 0, 0, -b}};
}

std::vector<Matrix2> amplitude_damping_kraus(double gamma) {
  require(gamma >= 0.0 && gamma <= 1.0, "amplitude-damping gamma must be in [0, 1], got {}", gamma);
  return {Matrix2{1, 0, 0, std::sqrt(1.0 - gamma)}, Matrix2{0, std::sqrt(gamma), 0, 0}};
}

std::vector<Matrix2> measure_reset_kraus() { return {Matrix2{1, 0, 0, 0}, Matrix2{0, 1, 0, 0}}; }
std::vector<Matrix2> dephasing_kraus() { return {Matrix2{1, 0, 0, 0}, Matrix2{0, 0, 0, 1}}; }

double trace_preservation_error(const std::vector<Matrix2>& kraus) {
  Matrix2 s{};
  for (const Matrix2& k : kraus)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        for (int m = 0; m < 2; ++m) s[i * 2 + j] += std::conj(k[m * 2 + i]) * k[m * 2 + j];
  double e = 0;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) e = std::max(e, std::abs(s[i * 2 + j] - (i == j ? 1.0 : 0.0)));
  return e;
}

}  // namespace fieldlab::quantum
