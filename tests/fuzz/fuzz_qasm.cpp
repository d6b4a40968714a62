// Fuzzes the OpenQASM 2.0 front end: parse and build the circuit (no simulation; registers are
// bounded at 40 qubits anyway). Malformed input must be a fieldlab::Error; a program that parses
// must write back (to_qasm) to text that parses to the same number of operations, unless
// to_qasm refuses it with a fieldlab::Error (conditions, unitaries).
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "quantum/qasm.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fieldlab::quantum;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // A smaller expansion bound than the default keeps each run fast; the bound itself is tested.
  const QasmLimits limits{20000};
  QasmProgram program;
  try {
    program = parse_qasm(text, "fuzz.qasm", limits);
  } catch (const fieldlab::Error&) {
    return 0;
  }
  std::string written;
  try {
    written = to_qasm(program.circuit);
  } catch (const fieldlab::Error&) {
    return 0;
  }
  // Anything to_qasm writes must read back: an error here escapes and is a crash.
  const QasmProgram back = parse_qasm(written, "roundtrip.qasm", QasmLimits{40000});
  if (back.circuit.operations().size() != program.circuit.operations().size()) __builtin_trap();
  return 0;
}
