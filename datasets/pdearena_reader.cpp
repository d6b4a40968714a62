#include "datasets/pdearena_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

std::string PdeArenaTrajectoryReader::split_group(hid_t file) {
  for (const char* split : {"train", "valid", "test"})
    if (has_object(file, std::string(split) + "/u")) return split;
  return "";
}

PdeArenaTrajectoryReader::PdeArenaTrajectoryReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  path_ = path;
  file_ = open_file(path, false);
  split_ = split_group(file_.id());
  if (split_.empty())
    fail(ErrorKind::io, "'{}' is not a PDEArena file (no train/valid/test group with 'u')", path);
  for (const char* name : {"u", "vx", "vy"}) {
    const std::string full = split_ + "/" + name;
    if (has_object(file_.id(), full)) fields_.add(path, file_.id(), name, full);
  }
}

std::string PdeArenaTrajectoryReader::storage_type(const std::string& field) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return fields_.storage_type(field);
}

std::vector<std::uint8_t> PdeArenaTrajectoryReader::completed() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<std::uint8_t> mask(fields_.shape().trajectories, 1);
  if (has_object(file_.id(), "completed")) {
    H5Handle d = open_dataset(file_.id(), "completed");
    read_block(d.id(), {0}, {static_cast<hsize_t>(fields_.shape().trajectories)}, mask.data());
  }
  return mask;
}

bool PdeArenaTrajectoryReader::complete() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  if (!has_attribute(file_.id(), "complete")) return true;  // PDEArena's own files
  return read_integer_attribute(file_.id(), "complete") == 1;
}

std::vector<double> PdeArenaTrajectoryReader::first_row(const std::string& name,
                                                        size_t length) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const std::string full = split_ + "/" + name;
  if (!has_object(file_.id(), full)) return {};
  H5Handle d = open_dataset(file_.id(), full);
  const DatasetInfo info = dataset_info(d.id());
  std::vector<double> row(length);
  if (info.shape.size() == 1 && info.shape[0] == length) {
    read_block(d.id(), {0}, {length}, row.data());
  } else if (info.shape.size() == 2 && info.shape[1] == length && info.shape[0] > 0) {
    read_block(d.id(), {0, 0}, {1, length}, row.data());
  } else {
    fail(ErrorKind::io, "'{}': '{}' has an unexpected shape for {} values", path_, full, length);
  }
  return row;
}

std::vector<double> PdeArenaTrajectoryReader::x() const {
  return first_row("x", fields_.shape().nx);
}
std::vector<double> PdeArenaTrajectoryReader::y() const {
  return first_row("y", fields_.shape().ny);
}
std::vector<double> PdeArenaTrajectoryReader::t() const {
  return first_row("t", fields_.shape().frames);
}

std::vector<double> PdeArenaTrajectoryReader::per_trajectory(const std::string& name) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const std::string full = split_ + "/" + name;
  if (!has_object(file_.id(), full)) return {};
  return read_dataset_as_double(file_.id(), full);
}

void PdeArenaTrajectoryReader::read_frame(const std::string& field, long long trajectory,
                                          long long frame, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, frame);
  fields_.read_frame(field, trajectory, frame, out);
}

void PdeArenaTrajectoryReader::read_frames(const std::string& field, long long trajectory,
                                           long long first, long long count, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_range(trajectory, first, count);
  fields_.read_frames(field, trajectory, first, count, out);
}

void PdeArenaTrajectoryReader::read_frames_float(const std::string& field, long long trajectory,
                                                 long long first, long long count,
                                                 float* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_range(trajectory, first, count);
  fields_.read_frames(field, trajectory, first, count, out);
}

std::vector<double> PdeArenaTrajectoryReader::trajectory_times(long long trajectory) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, 0);
  const std::string full = split_ + "/t";
  require(has_object(file_.id(), full),
          "'{}' has no dataset '{}' (frame times), which dt conditioning needs", path_, full);
  H5Handle d = open_dataset(file_.id(), full);
  const auto shape = dataset_info(d.id()).shape;
  const auto frames = static_cast<hsize_t>(fields_.shape().frames);
  std::vector<double> t(frames);
  if (shape.size() == 2 && shape[0] == static_cast<hsize_t>(fields_.shape().trajectories) &&
      shape[1] == frames)
    read_block(d.id(), {static_cast<hsize_t>(trajectory), 0}, {1, frames}, t.data());
  else if (shape.size() == 1 && shape[0] == frames)
    read_block(d.id(), {0}, {frames}, t.data());
  else
    fail(ErrorKind::io, "'{}': '{}' is neither (N, T) nor (T)", path_, full);
  return t;
}

std::vector<double> PdeArenaTrajectoryReader::trajectory_parameter(const std::string& name) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const auto n = fields_.shape().trajectories;
  const std::string full = split_ + "/" + name;
  if (has_object(file_.id(), full)) {
    auto values = read_dataset_as_double(file_.id(), full);
    require(static_cast<long long>(values.size()) == n,
            "'{}': '{}' has {} values for {} trajectories", path_, full, values.size(), n);
    return values;
  }
  require(has_attribute(file_.id(), name),
          "'{}' has no PDE parameter '{}' (looked for dataset '{}' and root attribute '{}')", path_,
          name, full, name);
  return std::vector<double>(n, read_double_attribute(file_.id(), name));
}

std::vector<std::pair<std::string, std::string>> PdeArenaTrajectoryReader::attributes() const {
  std::vector<std::pair<std::string, std::string>> result;
  {
    std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
    for (const auto& name : attribute_names(file_.id()))
      result.emplace_back(name, attribute_as_text(file_.id(), name));
  }
  result.emplace_back("split", split_);
  for (const char* name : {"dt", "dx", "dy", "buo_y"}) {
    const auto values = per_trajectory(name);
    if (values.empty()) continue;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    result.emplace_back(name, *lo == *hi ? fmt::format("{}", *lo)
                                         : fmt::format("{} .. {} (per trajectory)", *lo, *hi));
  }
  return result;
}

}  // namespace fieldlab::datasets
