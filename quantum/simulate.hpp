#pragma once
// Runs a circuit for a number of shots the cheap way when it can: with only terminal
// measurements the circuit runs once and the shots are sampled from the final state; otherwise
// each shot is its own trajectory with a generator derived from (seed, shot), so counts do not
// depend on thread count.

#include <map>
#include <optional>
#include <string>

#include "quantum/circuit.hpp"
#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

struct SimulationOptions {
  int shots = 0;
  unsigned long long seed = 1;
  bool fusion = true;
};

template <typename Real>
struct SimulationResult {
  // Terminal measurements: the state before them. Mid-circuit measurements: shot 0's final state.
  StateVector<Real> state;
  // Classical-register bit strings (highest bit first, as OpenQASM tools print them) -> count.
  // Without measurements the shots sample all qubits.
  std::map<std::string, long long> counts;
  bool sampled_from_final_state = true;
  double seconds = 0;  // circuit execution, excluding sampling
};

template <typename Real>
SimulationResult<Real> simulate(const Circuit& circuit, const SimulationOptions& options);

}  // namespace fieldlab::quantum
