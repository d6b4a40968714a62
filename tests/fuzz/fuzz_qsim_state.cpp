// Fuzzes the qsim state reader (quantum/state_io.cpp read_state_hdf5) with structure-aware
// mutations (h5_mutator.hpp) of a small valid state file the harness writes itself. It either
// reads or throws fieldlab::Error.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "fuzz/h5_mutator.hpp"
#include "quantum/state_io.hpp"

namespace {

using namespace fieldlab::fuzz;

const std::vector<Object>& seed(bool single) {
  static const std::vector<std::vector<Object>> seeds = [] {
    std::vector<std::vector<Object>> s;
    const std::string path = scratch_path("state-seed");
    fieldlab::quantum::StateFileAttributes attrs;
    attrs.text["source"] = "fuzz.qasm";
    attrs.numbers["shots"] = 0;
    {
      fieldlab::quantum::StateVector<double> state(2);
      fieldlab::quantum::write_state_hdf5(path, state, attrs, /*overwrite=*/true);
      s.push_back(read_structure(path));
    }
    {
      fieldlab::quantum::StateVector<float> state(3);
      fieldlab::quantum::write_state_hdf5(path, state, attrs, /*overwrite=*/true);
      s.push_back(read_structure(path));
    }
    std::filesystem::remove(path);
    return s;
  }();
  return seeds[single ? 1 : 0];
}

const std::vector<std::string> kNames = {"/amplitudes", "num_qubits", "precision", "qubit_order",
                                         "source"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  std::vector<Object> objects = seed(in.u8() & 1);
  mutate(objects, in, kNames);
  static const std::string path = scratch_path("qsim-state");
  write_structure(objects, path);
  try {
    (void)fieldlab::quantum::read_state_hdf5(path);
  } catch (const fieldlab::Error&) {
  }
  std::filesystem::remove(path);
  return 0;
}
