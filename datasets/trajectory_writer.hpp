#pragma once
// Streams an ensemble of trajectories into one HDF5 file in fieldlab's native layout
// (docs/schema.md): one dataset per field shaped (N, T, nx, ny), coordinates x, y, t, a
// `completed` mask (N,) and diagnostics (N, T) under /diagnostics.
//
// Crash safety (datasets/partial_file.hpp): the file is written as PATH.partial with every dataset
// preallocated at creation, so after the first flush the file's metadata never changes again and
// later writes touch raw data only. A trajectory is flushed and then marked in `completed`;
// killing the process at any moment therefore leaves a readable file whose marked trajectories
// are whole. finish() renames it to PATH. resume() reopens a .partial file to complete it.
// All member functions are thread-safe (they serialise on hdf5_mutex()).

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/partial_file.hpp"

namespace fieldlab::datasets {

struct TrajectoryLayout {
  std::vector<std::string> fields;       // e.g. {"vorticity"}
  std::vector<std::string> diagnostics;  // per-frame scalars, e.g. {"kinetic_energy"}
  long long trajectories = 0;
  long long frames = 0;
  int nx = 0, ny = 0;
  io::StorageType dtype = io::StorageType::float32;
  std::vector<double> x, y, t;  // coordinates (nx), (ny), (frames)
  void validate() const;
};

class TrajectoryWriter {
 public:
  // Starts PATH.partial. `identity` is a text that determines the data (the generating
  // configuration); resume() refuses a file whose identity differs. Fails when PATH or
  // PATH.partial exist, unless overwrite (which removes them first).
  static TrajectoryWriter create(const std::string& path, const TrajectoryLayout& layout,
                                 const std::vector<io::Attribute>& attributes,
                                 const std::string& identity, bool overwrite);
  static TrajectoryWriter resume(const std::string& path, const TrajectoryLayout& layout,
                                 const std::string& identity);

  TrajectoryWriter(TrajectoryWriter&&) = default;
  TrajectoryWriter& operator=(TrajectoryWriter&&) = default;
  ~TrajectoryWriter();

  const TrajectoryLayout& layout() const { return layout_; }
  std::vector<long long> pending() const;  // trajectories not yet marked complete
  long long completed_count() const;

  // Frame `frame` of field `field` (index into layout.fields) of trajectory `trajectory`:
  // nx * ny doubles in [x, y] row-major order, converted to the storage type.
  void write_frame(long long trajectory, long long frame, int field, const double* values);
  // All frames of diagnostic `diagnostic` for one trajectory.
  void write_diagnostic(long long trajectory, int diagnostic, const double* values);
  // Flushes the trajectory's data, then marks it complete and flushes again.
  void mark_complete(long long trajectory);
  // Marks the file complete and renames it to its final name. Requires every trajectory done.
  void finish(const std::vector<io::Attribute>& final_attributes = {});
  // Closes and deletes the partial file (a fresh run that failed before producing anything).
  void abandon();

  const std::string& path() const { return file_.path(); }
  const std::string& working_path() const { return file_.working_path(); }

 private:
  TrajectoryWriter(io::PartialFile file, const TrajectoryLayout& layout);
  void open_datasets();
  void close_datasets();

  // Declared before the dataset handles so that they are closed first (reverse order).
  io::PartialFile file_;
  TrajectoryLayout layout_;
  std::vector<io::H5Handle> field_datasets_, diagnostic_datasets_;
  io::H5Handle completed_dataset_;
  std::vector<float> frame_float_;  // write_frame's conversion buffer (hdf5_io.hpp)
};

}  // namespace fieldlab::datasets
