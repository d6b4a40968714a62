#include "datasets/trajectory_reader.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "datasets/pdearena_reader.hpp"
#include "datasets/pdebench_reader.hpp"

namespace fieldlab::datasets {

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

bool NativeTrajectoryReader::recognises(hid_t file) {
  return has_attribute(file, "format") &&
         read_string_attribute(file, "format") == "fieldlab.trajectories";
}

NativeTrajectoryReader::NativeTrajectoryReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  path_ = path;
  file_ = open_file(path, false);
  if (!recognises(file_.id())) fail(ErrorKind::io, "'{}' is not a fieldlab trajectory file", path);
  fields_ = split_commas(read_string_attribute(file_.id(), "fields"));
  if (fields_.empty()) fail(ErrorKind::io, "'{}' lists no fields", path);
  for (const auto& name : fields_) {
    datasets_.push_back(open_dataset(file_.id(), name));
    const DatasetInfo info = dataset_info(datasets_.back().id());
    if (info.shape.size() != 4)
      fail(ErrorKind::io, "'{}': field '{}' has rank {}, expected (N, T, nx, ny)", path, name,
           info.shape.size());
    TrajectoryShape s{static_cast<long long>(info.shape[0]), static_cast<long long>(info.shape[1]),
                      static_cast<int>(info.shape[2]), static_cast<int>(info.shape[3])};
    if (datasets_.size() == 1)
      shape_ = s;
    else if (s.trajectories != shape_.trajectories || s.frames != shape_.frames ||
             s.nx != shape_.nx || s.ny != shape_.ny)
      fail(ErrorKind::io, "'{}': field '{}' has a shape different from '{}'", path, name,
           fields_[0]);
  }
}

const H5Handle& NativeTrajectoryReader::dataset(const std::string& field) const {
  auto it = std::find(fields_.begin(), fields_.end(), field);
  if (it == fields_.end())
    fail(ErrorKind::usage, "'{}' has no field '{}' (it has: {})", path_, field,
         fmt::join(fields_, ", "));
  return datasets_[it - fields_.begin()];
}

std::string NativeTrajectoryReader::storage_type(const std::string& field) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return dataset_info(dataset(field).id()).type;
}

std::vector<std::uint8_t> NativeTrajectoryReader::completed() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<std::uint8_t> mask(shape_.trajectories, 0);
  H5Handle d = open_dataset(file_.id(), "completed");
  read_block(d.id(), {0}, {static_cast<hsize_t>(shape_.trajectories)}, mask.data());
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
  require(trajectory >= 0 && trajectory < shape_.trajectories,
          "trajectory {} out of range (the file has {})", trajectory, shape_.trajectories);
  require(frame >= 0 && frame < shape_.frames, "frame {} out of range (the file has {})", frame,
          shape_.frames);
  read_block(dataset(field).id(),
             {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(frame), 0, 0},
             {1, 1, static_cast<hsize_t>(shape_.nx), static_cast<hsize_t>(shape_.ny)}, out);
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
