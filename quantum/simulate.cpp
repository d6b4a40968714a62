#include "quantum/simulate.hpp"

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::quantum {
namespace {

std::string bits_to_string(const std::vector<int>& bits) {
  std::string s(bits.size(), '0');
  for (std::size_t k = 0; k < bits.size(); ++k) s[bits.size() - 1 - k] = bits[k] ? '1' : '0';
  return s;
}

}  // namespace

template <typename Real>
SimulationResult<Real> simulate(const Circuit& circuit, const SimulationOptions& options) {
  require(options.shots >= 0, "--shots must be non-negative, got {}", options.shots);
  using clock = std::chrono::steady_clock;
  SimulationResult<Real> result{StateVector<Real>(circuit.num_qubits()), {}, true, 0.0};
  const bool has_measure =
      std::any_of(circuit.operations().begin(), circuit.operations().end(),
                  [](const Operation& op) { return op.kind == OpKind::measure; });
  if (circuit.measurements_are_terminal()) {
    Circuit body = circuit.without_measurements();
    if (options.fusion) body = fuse(body);
    const auto t0 = clock::now();
    run(body, result.state);
    result.seconds = std::chrono::duration<double>(clock::now() - t0).count();
    if (options.shots > 0) {
      Rng rng(derive_seed(options.seed, 0));
      const auto samples = result.state.sample(options.shots, rng);
      std::vector<int> bits(has_measure ? circuit.num_clbits() : circuit.num_qubits(), 0);
      for (std::uint64_t x : samples) {
        if (has_measure) {
          std::fill(bits.begin(), bits.end(), 0);
          for (const Operation& op : circuit.operations())
            if (op.kind == OpKind::measure) bits[op.clbit] = static_cast<int>((x >> op.qubit) & 1);
        } else {
          for (int q = 0; q < circuit.num_qubits(); ++q) bits[q] = static_cast<int>((x >> q) & 1);
        }
        ++result.counts[bits_to_string(bits)];
      }
    }
    return result;
  }
  result.sampled_from_final_state = false;
  const Circuit body = options.fusion ? fuse(circuit) : circuit;
  const int shots = std::max(options.shots, 1);
  const auto t0 = clock::now();
  for (int s = 0; s < shots; ++s) {
    Rng rng(derive_seed(options.seed, static_cast<unsigned long long>(s)));
    StateVector<Real> psi(circuit.num_qubits());
    std::vector<int> clbits(circuit.num_clbits(), 0);
    run(body, psi, rng, clbits);
    if (options.shots > 0) ++result.counts[bits_to_string(clbits)];
    if (s == 0) result.state = std::move(psi);
  }
  result.seconds = std::chrono::duration<double>(clock::now() - t0).count();
  return result;
}

template SimulationResult<double> simulate(const Circuit&, const SimulationOptions&);
template SimulationResult<float> simulate(const Circuit&, const SimulationOptions&);

}  // namespace fieldlab::quantum
