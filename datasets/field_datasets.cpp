#include "datasets/field_datasets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

void FieldDatasets::add(const std::string& file_path, hid_t file, const std::string& field,
                        const std::string& object) {
  file_path_ = file_path;
  H5Handle d = open_frame_dataset(file, object);
  const DatasetInfo info = dataset_info(d.id());
  if (info.shape.size() != 4)
    fail(ErrorKind::io, "'{}': '{}' has rank {}, expected (N, T, nx, ny)", file_path, object,
         info.shape.size());
  // Bounds far beyond any real file, checked before anything is sized from them: a corrupt or
  // hostile file can declare 2^40 trajectories (chunked, nothing stored), and readers allocate
  // per trajectory (completion masks, parameters) and per frame.
  constexpr hsize_t kMaxCount = hsize_t{1} << 24, kMaxSide = hsize_t{1} << 16;
  if (info.shape[0] > kMaxCount || info.shape[1] > kMaxCount || info.shape[2] < 1 ||
      info.shape[2] > kMaxSide || info.shape[3] < 1 || info.shape[3] > kMaxSide)
    fail(ErrorKind::io,
         "'{}': '{}' has shape ({}, {}, {}, {}), beyond what fieldlab reads (at most {} "
         "trajectories and frames, grids of 1 to {} per side; corrupt file?)",
         file_path, object, info.shape[0], info.shape[1], info.shape[2], info.shape[3], kMaxCount,
         kMaxSide);
  const TrajectoryShape s{static_cast<long long>(info.shape[0]),
                          static_cast<long long>(info.shape[1]), static_cast<int>(info.shape[2]),
                          static_cast<int>(info.shape[3])};
  if (names_.empty())
    shape_ = s;
  else if (s.trajectories != shape_.trajectories || s.frames != shape_.frames ||
           s.nx != shape_.nx || s.ny != shape_.ny)
    fail(ErrorKind::io, "'{}': field '{}' has a shape different from '{}'", file_path, field,
         names_.front());
  names_.push_back(field);
  datasets_.push_back(std::move(d));
}

const H5Handle& FieldDatasets::dataset(const std::string& field) const {
  auto it = std::find(names_.begin(), names_.end(), field);
  if (it == names_.end())
    fail(ErrorKind::usage, "'{}' has no field '{}' (it has: {})", file_path_, field,
         fmt::join(names_, ", "));
  return datasets_[it - names_.begin()];
}

std::string FieldDatasets::storage_type(const std::string& field) const {
  return dataset_info(dataset(field).id()).type;
}

void FieldDatasets::read_frame(const std::string& field, long long trajectory, long long frame,
                               double* out) const {
  read_frames(field, trajectory, frame, 1, out);
}

void FieldDatasets::read_frames(const std::string& field, long long trajectory, long long first,
                                long long count, double* out) const {
  read_block(dataset(field).id(),
             {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(first), 0, 0},
             {1, static_cast<hsize_t>(count), static_cast<hsize_t>(shape_.nx),
              static_cast<hsize_t>(shape_.ny)},
             out);
}

void FieldDatasets::read_frames(const std::string& field, long long trajectory, long long first,
                                long long count, float* out) const {
  read_block(dataset(field).id(),
             {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(first), 0, 0},
             {1, static_cast<hsize_t>(count), static_cast<hsize_t>(shape_.nx),
              static_cast<hsize_t>(shape_.ny)},
             out);
}

}  // namespace fieldlab::datasets
