#pragma once
// OpenQASM 2.0 reader: qelib1.inc gates (built in), qreg/creg, user gate definitions, measure,
// reset, barrier, if(creg==n), parameter expressions (pi, + - * / ^, unary minus, sin cos tan exp
// ln sqrt). Registers are laid out in declaration order: the first qreg holds qubits 0..k-1.
// Malformed input throws a usage error "file:line:column: message"; so do programs that expand to
// more than QasmLimits::max_operations operations, expressions nested more than 200 deep and gate
// definitions nested more than 64 deep.

#include <string>
#include <vector>

#include "quantum/circuit.hpp"

namespace fieldlab::quantum {

struct QasmRegister {
  std::string name;
  int offset = 0;
  int size = 0;
};

struct QasmProgram {
  Circuit circuit{1};
  std::vector<QasmRegister> qregs;
  std::vector<QasmRegister> cregs;
};

// Bounds on what a program may expand to, so hostile input fails with one clear error instead of
// exhausting memory: an operation costs about 250 bytes, so the default is about 250 MB.
struct QasmLimits {
  std::size_t max_operations = 1'000'000;
};

QasmProgram parse_qasm(const std::string& source, const std::string& filename = "<qasm>",
                       const QasmLimits& limits = {});
QasmProgram read_qasm_file(const std::string& path);

// Writes a circuit as OpenQASM 2.0 (one qreg q, one creg c); unitary1/unitary2 gates are not
// expressible and throw. Used by benchmarks to give peers the same circuits.
std::string to_qasm(const Circuit& circuit);

}  // namespace fieldlab::quantum
