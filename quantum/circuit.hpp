#pragma once
// A circuit: gates, mid-circuit measurements into classical bits, resets, barriers, and gates
// conditioned on a classical register's value (OpenQASM's if(creg==n)).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quantum/gates.hpp"
#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

enum class OpKind { gate, measure, reset, barrier };

// The gate runs when classical bits [offset, offset + width) read as the integer `value`
// (bit offset is the least significant).
struct Condition {
  int offset = 0;
  int width = 0;
  std::uint64_t value = 0;
};

struct Operation {
  OpKind kind = OpKind::gate;
  Gate gate;                // kind == gate
  int qubit = -1;           // measure / reset
  int clbit = -1;           // measure
  std::vector<int> qubits;  // barrier
  std::optional<Condition> condition;
};

class Circuit {
 public:
  explicit Circuit(int num_qubits, int num_clbits = 0);

  int num_qubits() const { return num_qubits_; }
  int num_clbits() const { return num_clbits_; }
  const std::vector<Operation>& operations() const { return ops_; }

  // Appends after validating qubits, parameters and classical bits.
  Circuit& add(const Gate& gate);
  Circuit& add_conditioned(const Gate& gate, const Condition& condition);
  Circuit& add(const Operation& op);
  Circuit& measure(int qubit, int clbit);
  Circuit& reset(int qubit);
  Circuit& barrier(std::vector<int> qubits = {});

  // Shorthands for the common gates.
  Circuit& h(int q) { return add(make_gate(GateKind::h, {q})); }
  Circuit& x(int q) { return add(make_gate(GateKind::x, {q})); }
  Circuit& rx(int q, double a) { return add(make_gate(GateKind::rx, {q}, {a})); }
  Circuit& ry(int q, double a) { return add(make_gate(GateKind::ry, {q}, {a})); }
  Circuit& rz(int q, double a) { return add(make_gate(GateKind::rz, {q}, {a})); }
  Circuit& cx(int c, int t) { return add(make_gate(GateKind::x, {t}, {}, {c})); }
  Circuit& cz(int c, int t) { return add(make_gate(GateKind::z, {t}, {}, {c})); }

  // True when the circuit is gates only (no measurement, reset or condition).
  bool is_unitary() const;
  // True when every measurement comes after the last operation on its qubit and nothing is
  // conditioned or reset: then shots can be sampled from one final state.
  bool measurements_are_terminal() const;
  // The circuit without its measurements and barriers (for terminal-measurement sampling).
  Circuit without_measurements() const;
  // Number of gates that adjoint/parameter-shift gradients differentiate.
  int num_parameters() const;

 private:
  int num_qubits_;
  int num_clbits_;
  std::vector<Operation> ops_;
};

// Runs a circuit on a state; classical bits are read and written in `clbits` (resized to
// num_clbits when smaller). Measurements and resets draw from `rng`.
template <typename Real>
void run(const Circuit& circuit, StateVector<Real>& state, Rng& rng, std::vector<int>& clbits);

// Runs a measurement-free circuit.
template <typename Real>
void run(const Circuit& circuit, StateVector<Real>& state);

// Gate fusion: each gate is merged into the latest block touching any of its qubits when every
// other op since then leaves its qubits alone and the union stays within max_qubits (1 or 2).
// Measurements, resets, conditioned gates, barriers and gates on more qubits are never moved.
Circuit fuse(const Circuit& circuit, int max_qubits = 2);

// The dense matrix of a gate on `qubits` = targets followed by controls (index bit k = qubits[k]),
// for gates on at most `max_qubits` qubits in total; used by fusion and by tests' dense references.
std::vector<cplx> dense_matrix(const Gate& gate, std::vector<int>& qubits);

}  // namespace fieldlab::quantum
