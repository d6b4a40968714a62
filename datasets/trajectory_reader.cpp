#include "datasets/trajectory_reader.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "datasets/field_datasets.hpp"
#include "datasets/pdearena_reader.hpp"
#include "datasets/pdebench_reader.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

namespace {
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}
}  // namespace

std::unique_ptr<TrajectoryReader> open_trajectories(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  H5Handle file = open_file(path, false);
  if (NativeTrajectoryReader::recognises(file.id()))
    return std::make_unique<NativeTrajectoryReader>(path);
  if (PdeArenaTrajectoryReader::recognises(file.id()))
    return std::make_unique<PdeArenaTrajectoryReader>(path);
  if (PdeBenchTrajectoryReader::recognises(file.id()))
    return std::make_unique<PdeBenchTrajectoryReader>(path);
  fail(ErrorKind::io, "'{}' holds no trajectory layout fieldlab knows (native, pdearena, pdebench)",
       path);
}

void TrajectoryReader::check_frame_index(long long trajectory, long long frame) const {
  const TrajectoryShape s = shape();
  require(trajectory >= 0 && trajectory < s.trajectories,
          "trajectory {} out of range (the file has {})", trajectory, s.trajectories);
  require(frame >= 0 && frame < s.frames, "frame {} out of range (the file has {})", frame,
          s.frames);
}

void TrajectoryReader::check_frame_range(long long trajectory, long long first,
                                         long long count) const {
  require(count >= 1, "frame count {} must be at least 1", count);
  check_frame_index(trajectory, first);
  check_frame_index(trajectory, first + count - 1);
}

void TrajectoryReader::read_frames(const std::string& field, long long trajectory, long long first,
                                   long long count, double* out) const {
  check_frame_range(trajectory, first, count);
  const std::size_t n = static_cast<std::size_t>(shape().nx) * shape().ny;
  for (long long k = 0; k < count; ++k) read_frame(field, trajectory, first + k, out + k * n);
}

void TrajectoryReader::read_frames_float(const std::string& field, long long trajectory,
                                         long long first, long long count, float* out) const {
  check_frame_range(trajectory, first, count);
  const std::size_t n = static_cast<std::size_t>(count) * shape().nx * shape().ny;
  std::vector<double> wide(n);
  read_frames(field, trajectory, first, count, wide.data());
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(wide[i]);
}

std::vector<double> TrajectoryReader::trajectory_times(long long) const {
  fail(ErrorKind::usage, "'{}' stores no frame times (needed for dt conditioning)", path_);
}

bool NativeTrajectoryReader::recognises(hid_t file) {
  return has_attribute(file, "format") &&
         read_string_attribute(file, "format") == "fieldlab.trajectories";
}

NativeTrajectoryReader::NativeTrajectoryReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  path_ = path;
  file_ = open_file(path, false);
  if (!recognises(file_.id())) fail(ErrorKind::io, "'{}' is not a fieldlab trajectory file", path);
  const std::vector<std::string> names = split_commas(read_string_attribute(file_.id(), "fields"));
  if (names.empty()) fail(ErrorKind::io, "'{}' lists no fields", path);
  fields_ = std::make_unique<FieldDatasets>();
  for (const auto& name : names) fields_->add(path, file_.id(), name, name);
}

NativeTrajectoryReader::~NativeTrajectoryReader() = default;

std::vector<std::string> NativeTrajectoryReader::fields() const { return fields_->names(); }

TrajectoryShape NativeTrajectoryReader::shape() const { return fields_->shape(); }

std::string NativeTrajectoryReader::storage_type(const std::string& field) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return fields_->storage_type(field);
}

std::vector<std::uint8_t> NativeTrajectoryReader::completed() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const long long n = fields_->shape().trajectories;
  std::vector<std::uint8_t> mask(n, 0);
  H5Handle d = open_dataset(file_.id(), "completed");
  read_block(d.id(), {0}, {static_cast<hsize_t>(n)}, mask.data());
  return mask;
}

bool NativeTrajectoryReader::complete() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return has_attribute(file_.id(), "complete") &&
         read_integer_attribute(file_.id(), "complete") == 1;
}

std::vector<double> NativeTrajectoryReader::x() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), "x");
}

std::vector<double> NativeTrajectoryReader::y() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), "y");
}

std::vector<double> NativeTrajectoryReader::t() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), "t");
}

void NativeTrajectoryReader::read_frame(const std::string& field, long long trajectory,
                                        long long frame, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, frame);
  fields_->read_frame(field, trajectory, frame, out);
}

void NativeTrajectoryReader::read_frames(const std::string& field, long long trajectory,
                                         long long first, long long count, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_range(trajectory, first, count);
  fields_->read_frames(field, trajectory, first, count, out);
}

void NativeTrajectoryReader::read_frames_float(const std::string& field, long long trajectory,
                                               long long first, long long count, float* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_range(trajectory, first, count);
  fields_->read_frames(field, trajectory, first, count, out);
}

std::vector<double> NativeTrajectoryReader::trajectory_times(long long trajectory) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, 0);
  require(has_object(file_.id(), "t"),
          "'{}' has no dataset 't' (frame times), which dt conditioning needs", path_);
  auto t = read_dataset_as_double(file_.id(), "t");
  require(static_cast<long long>(t.size()) == shape().frames,
          "'{}': 't' has {} values for {} frames", path_, t.size(), shape().frames);
  return t;
}

std::vector<double> NativeTrajectoryReader::trajectory_parameter(const std::string& name) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const auto s = shape();
  const std::string diagnostic = "diagnostics/" + name;
  if (has_object(file_.id(), diagnostic)) {
    // Per-frame values (N, T); a PDE parameter is constant in time, so frame 0 stands for all.
    const auto all = read_dataset_as_double(file_.id(), diagnostic);
    require(static_cast<long long>(all.size()) == s.trajectories * s.frames,
            "'{}': '{}' is not (N, T)", path_, diagnostic);
    std::vector<double> values(s.trajectories);
    for (long long n = 0; n < s.trajectories; ++n) values[n] = all[n * s.frames];
    return values;
  }
  require(has_attribute(file_.id(), name),
          "'{}' has no PDE parameter '{}' (looked for dataset '{}' and root attribute '{}')", path_,
          name, diagnostic, name);
  return std::vector<double>(s.trajectories, read_double_attribute(file_.id(), name));
}

std::vector<std::pair<std::string, std::string>> NativeTrajectoryReader::attributes() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& name : attribute_names(file_.id()))
    result.emplace_back(name, attribute_as_text(file_.id(), name));
  return result;
}

std::vector<double> NativeTrajectoryReader::diagnostic(const std::string& name) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  if (!has_object(file_.id(), "diagnostics/" + name)) return {};
  return read_dataset_as_double(file_.id(), "diagnostics/" + name);
}

}  // namespace fieldlab::datasets
