#pragma once
// Gate descriptions: a kind, target and control qubits and parameters. Matrices are always built in
// complex128 and converted to the simulator's precision when applied, so both precisions run the
// same circuits.

#include <array>
#include <complex>
#include <string>
#include <vector>

namespace fieldlab::quantum {

using cplx = std::complex<double>;
using Matrix2 = std::array<cplx, 4>;   // row-major 2x2
using Matrix4 = std::array<cplx, 16>;  // row-major 4x4; index bit 0 = first target qubit

enum class GateKind {
  id,
  x,
  y,
  z,
  h,
  s,
  sdg,
  t,
  tdg,
  sx,
  sxdg,
  rx,
  ry,
  rz,
  phase,
  u3,  // one-qubit, parametrised
  swap,
  iswap,
  rxx,
  rzz,  // two-qubit
  unitary1,
  unitary2  // arbitrary matrices
};

// A gate acting on `targets` (1 or 2 qubits) when all `controls` are |1>. CNOT is x with one
// control, Toffoli x with two, CRZ rz with one, and so on: controls are orthogonal to the kind.
struct Gate {
  GateKind kind = GateKind::id;
  std::vector<int> targets;
  std::vector<int> controls;
  std::vector<double> params;
  std::vector<cplx> matrix;  // only for unitary1 (4 entries) and unitary2 (16 entries)
};

// Name used in messages and dumps, e.g. "rz".
const char* gate_name(GateKind kind);
int gate_target_count(GateKind kind);
int gate_param_count(GateKind kind);
// True when the target matrix is diagonal for every parameter value.
bool gate_is_diagonal(GateKind kind);

// The matrix on the targets only (controls not included). Throws on wrong parameter counts.
Matrix2 matrix1(const Gate& gate);
Matrix4 matrix2(const Gate& gate);

// d(matrix)/d(param) for one-parameter gates (rx, ry, rz, phase, rxx, rzz); throws otherwise.
std::vector<cplx> matrix_derivative(const Gate& gate);
// Whether the adjoint/parameter-shift gradients support this gate's parameter.
bool gate_is_differentiable(const Gate& gate);

// The conjugate transpose of a gate (a unitary1/unitary2 gate when no named inverse exists).
Gate inverse(const Gate& gate);

// Checks qubit indices (range, duplicates), parameter and matrix sizes, and unitarity of custom
// matrices. Throws fieldlab::Error(usage) with a message naming the gate.
void validate(const Gate& gate, int num_qubits);

// Convenience constructors.
Gate make_gate(GateKind kind, std::vector<int> targets, std::vector<double> params = {},
               std::vector<int> controls = {});
Gate make_unitary1(int target, const Matrix2& m, std::vector<int> controls = {});
Gate make_unitary2(int q0, int q1, const Matrix4& m, std::vector<int> controls = {});

Matrix2 multiply(const Matrix2& a, const Matrix2& b);
Matrix4 multiply(const Matrix4& a, const Matrix4& b);

}  // namespace fieldlab::quantum
