#pragma once
// Writes a final state to HDF5: dataset "amplitudes" of shape (2^n, 2) holding (real, imag) pairs
// (float64 for complex128 states, float32 for complex64), so numpy reads it as complex with
// f["amplitudes"][:].view(np.complex128)[:, 0] (complex64 for float32). Attributes: num_qubits,
// precision, qubit_order, source, plus whatever the caller adds. The file is written under a
// temporary name and renamed when complete.

#include <map>
#include <string>

#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

struct StateFileAttributes {
  std::map<std::string, std::string> text;
  std::map<std::string, double> numbers;
};

// Written through the output-file policy (datasets/io/replace_file.hpp): locked, atomic, and an
// existing file is replaced only with overwrite.
template <typename Real>
void write_state_hdf5(const std::string& path, const StateVector<Real>& state,
                      const StateFileAttributes& attributes, bool overwrite);

// Reads the amplitudes back (complex128) – for tests and tools.
std::vector<std::complex<double>> read_state_hdf5(const std::string& path);

}  // namespace fieldlab::quantum
