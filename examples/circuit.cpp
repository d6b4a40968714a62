// circuit: the quantum simulator from C++ in a few calls: build a GHZ circuit, read one from
// OpenQASM 2.0, run both, read amplitudes, expectation values and sampled counts, then
// differentiate a variational circuit with the adjoint method.
//
// Build: `cmake --build build --target example_circuit` (examples/CMakeLists.txt; it links
// fieldlab::quantum, which brings io and core); ctest runs it as example_circuit.
// Run: build/examples/example_circuit
//
// Expected output (the counts depend only on the seed, not on the thread count):
//   GHZ(3): 5 operations
//   amplitude |000> = 0.707107, |111> = 0.707107
//   <Z0 Z1> = 1, <X0 X1 X2> = 1
//   counts of 1000 shots: 000 484 111 516
//   QASM circuit: 4 qubits, <Z0 Z3> = 0.707107
//   energy <0.5 Z0 Z1 + X1> = 1.07061
//   adjoint gradient: 0.0000 0.0059 -0.1167
//   parameter shift:  0.0000 0.0059 -0.1167

#include <cstdio>
#include <map>
#include <string>

#include "core/threads.hpp"
#include "quantum/adjoint.hpp"
#include "quantum/circuit.hpp"
#include "quantum/pauli.hpp"
#include "quantum/qasm.hpp"
#include "quantum/simulate.hpp"

int main() {
  using namespace fieldlab::quantum;

  // 1. A circuit is a list of validated operations; the shorthands chain. A CNOT is an X with one
  //    control. Qubit 0 is the least significant bit of a basis-state index.
  Circuit ghz(3);
  ghz.h(0).cx(0, 1).cx(1, 2).barrier().rz(2, 0.0);
  std::printf("GHZ(3): %zu operations\n", ghz.operations().size());

  // 2. Run it on a complex128 state vector (StateVector<float> is complex64).
  StateVector<double> psi(3);
  run(ghz, psi);
  std::printf("amplitude |000> = %g, |111> = %g\n", psi.amplitude(0).real(),
              psi.amplitude(7).real());

  // 3. Expectation values of Pauli strings or sums, in the CLI's --expect syntax.
  std::printf("<Z0 Z1> = %g, <X0 X1 X2> = %g\n", expectation(psi, parse_pauli_sum("Z0 Z1")),
              expectation(psi, parse_pauli_sum("X0 X1 X2")));

  // 4. Shots: simulate() runs the circuit once and samples the final state (what `fieldlab qsim
  //    --shots 1000 --seed 1` prints). Bit strings put the highest qubit first.
  SimulationOptions options;
  options.shots = 1000;
  options.seed = 1;
  const auto result = simulate<double>(ghz, options);
  std::printf("counts of 1000 shots:");
  for (const auto& [bits, n] : result.counts) std::printf(" %s %lld", bits.c_str(), n);
  std::printf("\n");

  // 5. OpenQASM 2.0 text (or read_qasm_file(path)); errors are "file:line:column: message".
  const QasmProgram program = parse_qasm(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
h q[0];
cx q[0], q[3];
ry(pi/4) q[3];
cry(0.5) q[3], q[1];
)");
  StateVector<double> phi(program.circuit.num_qubits());
  run(program.circuit, phi);
  std::printf("QASM circuit: %d qubits, <Z0 Z3> = %g\n", program.circuit.num_qubits(),
              expectation(phi, parse_pauli_sum("Z0 Z3")));

  // 6. A variational circuit: the rotations (rx, ry, rz, p, rxx, rzz, controlled or not) are its
  //    parameters, in circuit order. The adjoint method differentiates all of them in about three
  //    circuit runs; the parameter-shift rule is the reference.
  Circuit ansatz(2);
  ansatz.ry(0, 0.4).ry(1, 1.2).cx(0, 1).rx(1, 0.7);
  const auto h = parse_pauli_sum("0.5 Z0 Z1 + X1");
  std::printf("energy <0.5 Z0 Z1 + X1> = %g\n", circuit_expectation(ansatz, h));
  std::printf("adjoint gradient:");
  for (double g : adjoint_gradient<double>(ansatz, h)) std::printf(" %.4f", g + 0.0);
  std::printf("\nparameter shift: ");
  for (double g : parameter_shift_gradient(ansatz, h)) std::printf(" %.4f", g + 0.0);
  std::printf("\n");
  return 0;
}
