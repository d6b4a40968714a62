#include "quantum/adjoint.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::quantum {
namespace {

std::uint64_t control_mask(const Gate& g) {
  std::uint64_t m = 0;
  for (int c : g.controls) m |= std::uint64_t{1} << c;
  return m;
}

template <typename Real>
void apply_hamiltonian(const StateVector<Real>& psi, const std::vector<PauliString>& h,
                       StateVector<Real>& out) {
  auto* o = out.data();
  for (std::uint64_t i = 0; i < out.dimension(); ++i) o[i] = 0;
  for (const PauliString& p : h) {
    StateVector<Real> tmp = psi;
    apply_pauli(tmp, p);
    for (std::uint64_t i = 0; i < out.dimension(); ++i) o[i] += tmp.data()[i];
  }
}

}  // namespace

template <typename Real>
std::vector<double> adjoint_gradient(const Circuit& circuit, const std::vector<PauliString>& h) {
  require(circuit.is_unitary(), "adjoint gradients need a circuit without measurement or reset");
  require(!h.empty(), "adjoint gradient of an empty observable");
  StateVector<Real> psi(circuit.num_qubits());
  run(circuit, psi);
  StateVector<Real> lambda(circuit.num_qubits());
  apply_hamiltonian(psi, h, lambda);
  std::vector<double> grad(circuit.num_parameters(), 0.0);
  int index = circuit.num_parameters();
  const auto& ops = circuit.operations();
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    if (it->kind != OpKind::gate) continue;
    const Gate& g = it->gate;
    const Gate inv = inverse(g);
    psi.apply_trusted(inv);  // psi is now the state just before g
    if (gate_is_differentiable(g)) {
      --index;
      StateVector<Real> mu = psi;
      const std::vector<cplx> d = matrix_derivative(g);
      const std::uint64_t cm = control_mask(g);
      if (d.size() == 4) {
        mu.apply_matrix1(g.targets[0], {d[0], d[1], d[2], d[3]}, cm);
      } else {
        Matrix4 m;
        std::copy(d.begin(), d.end(), m.begin());
        mu.apply_matrix2(g.targets[0], g.targets[1], m, cm);
      }
      // d(controlled U) vanishes where the controls are off.
      if (cm) mu.project_controls(cm);
      grad[index] = 2.0 * lambda.inner_product(mu).real();
    }
    lambda.apply_trusted(inv);
  }
  return grad;
}

double circuit_expectation(const Circuit& circuit, const std::vector<PauliString>& h) {
  StateVector<double> psi(circuit.num_qubits());
  run(circuit, psi);
  return expectation(psi, h);
}

std::vector<double> parameters(const Circuit& circuit) {
  std::vector<double> out;
  for (const Operation& op : circuit.operations())
    if (op.kind == OpKind::gate && gate_is_differentiable(op.gate))
      out.push_back(op.gate.params[0]);
  return out;
}

Circuit with_parameter(const Circuit& circuit, int index, double value) {
  Circuit out(circuit.num_qubits(), circuit.num_clbits());
  int k = 0;
  for (Operation op : circuit.operations()) {
    if (op.kind == OpKind::gate && gate_is_differentiable(op.gate) && k++ == index)
      op.gate.params[0] = value;
    out.add(op);
  }
  require(index >= 0 && index < k, "parameter index {} out of range ({} parameters)", index, k);
  return out;
}

std::vector<double> parameter_shift_gradient(const Circuit& circuit,
                                             const std::vector<PauliString>& h) {
  const std::vector<double> theta = parameters(circuit);
  std::vector<const Gate*> gates;
  for (const Operation& op : circuit.operations())
    if (op.kind == OpKind::gate && gate_is_differentiable(op.gate)) gates.push_back(&op.gate);
  std::vector<double> grad(theta.size());
  for (std::size_t k = 0; k < theta.size(); ++k) {
    auto f = [&](double shift) {
      return circuit_expectation(with_parameter(circuit, static_cast<int>(k), theta[k] + shift), h);
    };
    const bool two_term = gates[k]->controls.empty() || gates[k]->kind == GateKind::phase;
    if (two_term) {
      // Generator spectrum {-1/2, 1/2} (or {0, 1}): one frequency.
      grad[k] = 0.5 * (f(M_PI / 2) - f(-M_PI / 2));
    } else {
      // Controlled rotations: spectrum {-1/2, 0, 1/2}, two frequencies, four-term rule.
      const double dp = (std::sqrt(2.0) + 1.0) / (4.0 * std::sqrt(2.0));
      const double dm = (std::sqrt(2.0) - 1.0) / (4.0 * std::sqrt(2.0));
      grad[k] = dp * (f(M_PI / 2) - f(-M_PI / 2)) - dm * (f(3 * M_PI / 2) - f(-3 * M_PI / 2));
    }
  }
  return grad;
}

template std::vector<double> adjoint_gradient<double>(const Circuit&,
                                                      const std::vector<PauliString>&);
template std::vector<double> adjoint_gradient<float>(const Circuit&,
                                                     const std::vector<PauliString>&);

}  // namespace fieldlab::quantum
