#include "quantum/state_io.hpp"

#include <unistd.h>

#include <cstdio>

#include "core/error.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/replace_file.hpp"

namespace fieldlab::quantum {

template <typename Real>
void write_state_hdf5(const std::string& path, const StateVector<Real>& state,
                      const StateFileAttributes& attributes, bool overwrite) {
  namespace ds = fieldlab::io;
  std::vector<double> values(2 * state.dimension());
  for (std::uint64_t i = 0; i < state.dimension(); ++i) {
    values[2 * i] = state.data()[i].real();
    values[2 * i + 1] = state.data()[i].imag();
  }
  const bool single = std::is_same_v<Real, float>;
  ds::write_replacing(path, overwrite, [&](hid_t file) {
    ds::write_dataset(file, "amplitudes", values, {state.dimension(), 2},
                      single ? H5T_IEEE_F32LE : H5T_IEEE_F64LE);
    ds::write_attribute(file, "num_qubits", static_cast<long long>(state.num_qubits()));
    ds::write_attribute(file, "precision", single ? "complex64" : "complex128");
    ds::write_attribute(file, "qubit_order",
                        "qubit 0 is the least significant bit of the amplitude index");
    ds::write_attribute(file, "layout", "amplitudes[i] = (real, imag)");
    for (const auto& [k, v] : attributes.text) ds::write_attribute(file, k, v);
    for (const auto& [k, v] : attributes.numbers) ds::write_attribute(file, k, v);
  });
}

std::vector<std::complex<double>> read_state_hdf5(const std::string& path) {
  namespace ds = fieldlab::io;
  std::lock_guard<std::recursive_mutex> lock(ds::hdf5_mutex());
  ds::H5Handle file = ds::open_file(path, false);
  const std::vector<double> v = ds::read_dataset_as_double(file.id(), "amplitudes");
  std::vector<std::complex<double>> out(v.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {v[2 * i], v[2 * i + 1]};
  return out;
}

template void write_state_hdf5(const std::string&, const StateVector<double>&,
                               const StateFileAttributes&, bool);
template void write_state_hdf5(const std::string&, const StateVector<float>&,
                               const StateFileAttributes&, bool);

}  // namespace fieldlab::quantum
