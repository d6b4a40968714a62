#pragma once
// Writes PDEArena's NavierStokes-2D HDF5 layout, so its loader reads our files unmodified:
//   /{split}/u, vx, vy   (N, T, nx, ny)  indexed [n, t, x, y]
//   /{split}/t           (N, T)
//   /{split}/x, y        (N, nx), (N, ny)
//   /{split}/dt, dx, dy, buo_y   (N,)
// with the split (train, valid or test) in the file name too, which is where the loader looks.
// Where PDEArena's own generator is loose we are exact, and say so in root attributes: dx, dy are
// the true cell spacing L / n (PDEArena writes L / (n - 1)); x, y are the cell centres; vx, vy are
// cell-centred (PDEArena stores face values cropped [:-1, :-1]); t holds the true frame times.
// Fields are chunked one frame per chunk (transparent to h5py).
//
// Crash safety as TrajectoryWriter: PATH.partial with every dataset preallocated, a root
// `completed` mask (N,) uint8 set after each trajectory's data is flushed, rename at finish().
// Readers other than ours ignore the root dataset and attributes. Thread-safe (hdf5_mutex()).

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/trajectory_writer.hpp"

namespace fieldlab::datasets {

struct PdeArenaLayout {
  std::string split = "train";
  long long trajectories = 0;
  long long frames = 0;
  int nx = 0, ny = 0;
  io::StorageType dtype = io::StorageType::float64;
  std::vector<double> x, y, t;  // (nx), (ny), (frames): the same for every trajectory
  double dt = 0, dx = 0, dy = 0;
  void validate() const;
};

inline const std::vector<std::string>& pdearena_fields() {
  static const std::vector<std::string> fields = {"u", "vx", "vy"};
  return fields;
}

// Throws a usage error unless `split` is train, valid or test and the file name contains it.
void check_pdearena_split(const std::string& path, const std::string& split);

class PdeArenaWriter {
 public:
  static PdeArenaWriter create(const std::string& path, const PdeArenaLayout& layout,
                               const std::vector<io::Attribute>& attributes,
                               const std::string& identity, bool overwrite);
  static PdeArenaWriter resume(const std::string& path, const PdeArenaLayout& layout,
                               const std::string& identity);
  PdeArenaWriter(PdeArenaWriter&&) = default;
  PdeArenaWriter& operator=(PdeArenaWriter&&) = default;
  ~PdeArenaWriter();

  const PdeArenaLayout& layout() const { return layout_; }
  std::vector<long long> pending() const;
  long long completed_count() const;
  // field: 0 u, 1 vx, 2 vy; nx * ny values in [x, y] order.
  void write_frame(long long trajectory, long long frame, int field, const double* values);
  void write_buoyancy(long long trajectory, double buoyancy_y);
  void mark_complete(long long trajectory);
  void finish(const std::vector<io::Attribute>& final_attributes = {});
  void abandon();
  const std::string& path() const { return file_.path(); }
  const std::string& working_path() const { return file_.working_path(); }

 private:
  PdeArenaWriter(io::PartialFile file, const PdeArenaLayout& layout);
  void open_datasets();
  void close_datasets();

  io::PartialFile file_;  // first: destroyed after the dataset handles
  PdeArenaLayout layout_;
  std::vector<io::H5Handle> fields_;
  io::H5Handle buoyancy_, completed_dataset_;
  std::vector<float> frame_float_;  // write_frame's conversion buffer (hdf5_io.hpp)
};

}  // namespace fieldlab::datasets
