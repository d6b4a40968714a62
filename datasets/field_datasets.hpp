#pragma once
// The fields of a trajectory file stored one dataset per field, each shaped (N, T, nx, ny): the
// storage of fieldlab's native layout and of PDEArena's. Opens them, checks that they agree in
// shape, and reads single frames, so each layout's reader only says where its datasets live.
// Callers hold hdf5_mutex().

#include <string>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::datasets {

class FieldDatasets {
 public:
  // Opens `object` in `file` as field `field`; `file_path` is for messages. Throws an io error
  // unless it is (N, T, nx, ny) with the same shape as the fields added before.
  void add(const std::string& file_path, hid_t file, const std::string& field,
           const std::string& object);

  bool empty() const { return names_.empty(); }
  const std::vector<std::string>& names() const { return names_; }
  const TrajectoryShape& shape() const { return shape_; }
  // Usage error naming the fields the file has when `field` is not one of them.
  const io::H5Handle& dataset(const std::string& field) const;
  std::string storage_type(const std::string& field) const;
  // Indices are checked by the caller (TrajectoryReader::check_frame_index).
  void read_frame(const std::string& field, long long trajectory, long long frame,
                  double* out) const;
  // Frames first .. first + count - 1 of one trajectory in one hyperslab read.
  void read_frames(const std::string& field, long long trajectory, long long first, long long count,
                   double* out) const;
  void read_frames(const std::string& field, long long trajectory, long long first, long long count,
                   float* out) const;

 private:
  std::string file_path_;
  std::vector<std::string> names_;
  std::vector<io::H5Handle> datasets_;
  TrajectoryShape shape_;
};

}  // namespace fieldlab::datasets
