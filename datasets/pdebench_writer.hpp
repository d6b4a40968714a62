#pragma once
// Writes PDEBench's per-sample HDF5 layout, so PDEBench's loaders read our files unmodified:
//   /0000/data     float32 (T, nx, ny, C), indexed [t, x, y, channel]
//   /0000/grid/x   (nx)   /0000/grid/y (ny)   /0000/grid/t (T)   (float32, as PDEBench writes them)
//   /0000 attribute "config": the generating configuration of that sample (YAML)
//   /0001 ...
// Root attributes (invisible to loaders that list the root's groups) carry fieldlab's metadata:
// format "fieldlab.pdebench", channel names, the generation identity and completion.
//
// Crash safety follows TrajectoryWriter (datasets/partial_file.hpp): the file is PATH.partial with
// every group and dataset created (storage preallocated) up front, so after the first flush only
// raw data is written. Each sample group holds a one-element `completed` uint8 dataset (ignored by
// PDEBench), set after the sample's frames are flushed; finish() marks the file complete and
// renames it. All member functions are thread-safe (they serialise on hdf5_mutex()).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "datasets/trajectory_writer.hpp"

namespace fieldlab::datasets {

struct PdeBenchLayout {
  std::vector<std::string> channels;  // e.g. {"h"}
  long long samples = 0;
  long long frames = 0;
  int nx = 0, ny = 0;
  io::StorageType dtype = io::StorageType::float32;
  std::vector<double> x, y, t;
  void validate() const;
};

// Name of sample `index`'s group: four digits at least, as PDEBench ("0000", "0001", ...).
std::string pdebench_sample_name(long long index);

class PdeBenchWriter {
 public:
  // sample_config(index) is stored as the "config" attribute of the sample's group.
  static PdeBenchWriter create(const std::string& path, const PdeBenchLayout& layout,
                               const std::vector<io::Attribute>& attributes,
                               const std::function<std::string(long long)>& sample_config,
                               const std::string& identity, bool overwrite);
  static PdeBenchWriter resume(const std::string& path, const PdeBenchLayout& layout,
                               const std::string& identity);

  PdeBenchWriter(PdeBenchWriter&&) = default;
  PdeBenchWriter& operator=(PdeBenchWriter&&) = default;
  ~PdeBenchWriter();

  const PdeBenchLayout& layout() const { return layout_; }
  std::vector<long long> pending() const;
  long long completed_count() const;

  // nx * ny doubles in [x, y] row-major order for one frame and channel of one sample.
  void write_frame(long long sample, long long frame, int channel, const double* values);
  // Flushes the sample's data, then marks it complete and flushes again.
  void mark_complete(long long sample);
  void finish(const std::vector<io::Attribute>& final_attributes = {});
  void abandon();

  const std::string& path() const { return file_.path(); }
  const std::string& working_path() const { return file_.working_path(); }

 private:
  PdeBenchWriter(io::PartialFile file, const PdeBenchLayout& layout);
  void open_datasets();
  void close_datasets();

  io::PartialFile file_;  // first: destroyed after the dataset handles
  PdeBenchLayout layout_;
  std::vector<io::H5Handle> data_, completed_datasets_;
  std::vector<float> frame_float_;  // write_frame's conversion buffer (hdf5_io.hpp)
};

}  // namespace fieldlab::datasets
