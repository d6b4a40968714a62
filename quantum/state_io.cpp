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
  require(ds::has_object(file.id(), "amplitudes"),
          "{} holds no 'amplitudes' dataset (not a qsim state file?)", path);
  // (2^n, 2) of (real, imag), n <= kMaxQubits: checked before reading so a corrupt shape is
  // named rather than allocated.
  std::vector<hsize_t> shape;
  {
    const ds::H5Handle dataset = ds::open_dataset(file.id(), "amplitudes");
    shape = ds::dataset_info(dataset.id()).shape;
  }
  const bool power_of_two = shape.size() == 2 && shape[0] > 0 && (shape[0] & (shape[0] - 1)) == 0;
  require(power_of_two && shape[1] == 2 && shape[0] <= (hsize_t{1} << kMaxQubits),
          "{}: 'amplitudes' must have shape (2^n, 2) with n <= {} (not a qsim state file?)", path,
          kMaxQubits);
  // The doubles read plus the complex result: refused when beyond half the machine's memory.
  const double bytes = static_cast<double>(shape[0]) * 32.0;
  const double memory =
      static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  require(bytes <= memory / 2,
          "{}: reading its {} amplitudes needs {:.1f} GiB, more than half of "
          "this machine's {:.1f} GiB",
          path, shape[0], bytes / (1 << 30), memory / (1 << 30));
  std::vector<double> v(static_cast<std::size_t>(shape[0]) * 2);
  {
    const ds::H5Handle dataset = ds::open_dataset(file.id(), "amplitudes");
    if (H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
      fail(ErrorKind::io, "cannot read 'amplitudes' of {} (truncated or corrupt file?)", path);
  }
  std::vector<std::complex<double>> out(v.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {v[2 * i], v[2 * i + 1]};
  return out;
}

template void write_state_hdf5(const std::string&, const StateVector<double>&,
                               const StateFileAttributes&, bool);
template void write_state_hdf5(const std::string&, const StateVector<float>&,
                               const StateFileAttributes&, bool);

}  // namespace fieldlab::quantum
