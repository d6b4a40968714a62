#include "quantum/circuit.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::quantum {

Circuit::Circuit(int num_qubits, int num_clbits)
    : num_qubits_(num_qubits), num_clbits_(num_clbits) {
  require(num_qubits >= 1 && num_qubits <= kMaxQubits, "a circuit needs 1..{} qubits, got {}",
          kMaxQubits, num_qubits);
  require(num_clbits >= 0, "negative number of classical bits");
}

Circuit& Circuit::add(const Gate& gate) {
  validate(gate, num_qubits_);
  Operation op;
  op.gate = gate;
  ops_.push_back(std::move(op));
  return *this;
}

Circuit& Circuit::add_conditioned(const Gate& gate, const Condition& c) {
  validate(gate, num_qubits_);
  require(c.width >= 1 && c.width <= 63 && c.offset >= 0 && c.offset + c.width <= num_clbits_,
          "condition on classical bits [{}, {}) outside the {} classical bits", c.offset,
          c.offset + c.width, num_clbits_);
  Operation op;
  op.gate = gate;
  op.condition = c;
  ops_.push_back(std::move(op));
  return *this;
}

Circuit& Circuit::add(const Operation& op) {
  switch (op.kind) {
    case OpKind::gate:
      return op.condition ? add_conditioned(op.gate, *op.condition) : add(op.gate);
    case OpKind::measure:
      return measure(op.qubit, op.clbit);
    case OpKind::reset:
      return reset(op.qubit);
    case OpKind::barrier:
      return barrier(op.qubits);
  }
  return *this;
}

Circuit& Circuit::measure(int qubit, int clbit) {
  require(qubit >= 0 && qubit < num_qubits_, "measure: qubit {} out of range ({} qubits)", qubit,
          num_qubits_);
  require(clbit >= 0 && clbit < num_clbits_, "measure: classical bit {} out of range ({} bits)",
          clbit, num_clbits_);
  Operation op;
  op.kind = OpKind::measure;
  op.qubit = qubit;
  op.clbit = clbit;
  ops_.push_back(std::move(op));
  return *this;
}

Circuit& Circuit::reset(int qubit) {
  require(qubit >= 0 && qubit < num_qubits_, "reset: qubit {} out of range ({} qubits)", qubit,
          num_qubits_);
  Operation op;
  op.kind = OpKind::reset;
  op.qubit = qubit;
  ops_.push_back(std::move(op));
  return *this;
}

Circuit& Circuit::barrier(std::vector<int> qubits) {
  if (qubits.empty())
    for (int q = 0; q < num_qubits_; ++q) qubits.push_back(q);
  for (int q : qubits) require(q >= 0 && q < num_qubits_, "barrier: qubit {} out of range", q);
  Operation op;
  op.kind = OpKind::barrier;
  op.qubits = std::move(qubits);
  ops_.push_back(std::move(op));
  return *this;
}

bool Circuit::is_unitary() const {
  return std::all_of(ops_.begin(), ops_.end(), [](const Operation& op) {
    return op.kind == OpKind::barrier || (op.kind == OpKind::gate && !op.condition);
  });
}

bool Circuit::measurements_are_terminal() const {
  std::vector<bool> measured(num_qubits_, false);
  for (const Operation& op : ops_) {
    switch (op.kind) {
      case OpKind::reset:
        return false;
      case OpKind::barrier:
        break;
      case OpKind::measure:
        measured[op.qubit] = true;
        break;
      case OpKind::gate:
        if (op.condition) return false;
        for (int q : op.gate.targets)
          if (measured[q]) return false;
        for (int q : op.gate.controls)
          if (measured[q]) return false;
        break;
    }
  }
  return true;
}

Circuit Circuit::without_measurements() const {
  Circuit c(num_qubits_, num_clbits_);
  for (const Operation& op : ops_)
    if (op.kind == OpKind::gate) c.ops_.push_back(op);
  return c;
}

int Circuit::num_parameters() const {
  int n = 0;
  for (const Operation& op : ops_)
    if (op.kind == OpKind::gate && gate_is_differentiable(op.gate)) ++n;
  return n;
}

template <typename Real>
void run(const Circuit& circuit, StateVector<Real>& state, Rng& rng, std::vector<int>& clbits) {
  require(state.num_qubits() == circuit.num_qubits(), "circuit has {} qubits but the state has {}",
          circuit.num_qubits(), state.num_qubits());
  if (static_cast<int>(clbits.size()) < circuit.num_clbits())
    clbits.resize(circuit.num_clbits(), 0);
  for (const Operation& op : circuit.operations()) {
    switch (op.kind) {
      case OpKind::gate:
        if (op.condition) {
          std::uint64_t v = 0;
          for (int k = 0; k < op.condition->width; ++k)
            v |= static_cast<std::uint64_t>(clbits[op.condition->offset + k] & 1) << k;
          if (v != op.condition->value) break;
        }
        state.apply_trusted(op.gate);
        break;
      case OpKind::measure:
        clbits[op.clbit] = state.measure(op.qubit, rng);
        break;
      case OpKind::reset:
        state.reset(op.qubit, rng);
        break;
      case OpKind::barrier:
        break;
    }
  }
}

template <typename Real>
void run(const Circuit& circuit, StateVector<Real>& state) {
  require(circuit.is_unitary(),
          "circuit has measurements, resets or conditions: run it with a random generator");
  Rng rng(0);
  std::vector<int> clbits;
  run(circuit, state, rng, clbits);
}

template void run(const Circuit&, StateVector<double>&, Rng&, std::vector<int>&);
template void run(const Circuit&, StateVector<float>&, Rng&, std::vector<int>&);
template void run(const Circuit&, StateVector<double>&);
template void run(const Circuit&, StateVector<float>&);

}  // namespace fieldlab::quantum
