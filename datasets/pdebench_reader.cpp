#include "datasets/pdebench_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

namespace {
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// Root links that look like PDEBench sample groups (digits, holding a rank-4 `data`), sorted.
std::vector<std::string> sample_groups(hid_t file) {
  std::vector<std::string> names;
  H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names);
  std::vector<std::string> samples;
  for (const auto& n : names)
    if (all_digits(n) && has_object(file, n + "/data")) samples.push_back(n);
  std::sort(samples.begin(), samples.end());
  return samples;
}
// The number after `key:` on a line of a YAML text (any indentation), if there is one.
std::optional<double> config_value(const std::string& yaml, const std::string& key) {
  std::istringstream lines(yaml);
  for (std::string line; std::getline(lines, line);) {
    const auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line.compare(b, key.size(), key) != 0) continue;
    const auto rest = line.find_first_not_of(" \t", b + key.size());
    if (rest == std::string::npos || line[rest] != ':') continue;
    const std::string text = line.substr(rest + 1);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() &&
        text.find_first_not_of(" \t\r", end - text.c_str()) == std::string::npos)
      return v;
  }
  return std::nullopt;
}
}  // namespace

bool PdeBenchTrajectoryReader::recognises(hid_t file) {
  if (has_attribute(file, "format") && read_string_attribute(file, "format") == "fieldlab.pdebench")
    return true;
  const auto samples = sample_groups(file);
  if (samples.empty()) return false;
  H5Handle d = open_dataset(file, samples.front() + "/data");
  return dataset_info(d.id()).shape.size() == 4;
}

PdeBenchTrajectoryReader::PdeBenchTrajectoryReader(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  path_ = path;
  file_ = open_file(path, false);
  samples_ = sample_groups(file_.id());
  if (samples_.empty()) fail(ErrorKind::io, "'{}' has no PDEBench sample groups", path);
  for (const auto& name : samples_) {
    data_.push_back(open_frame_dataset(file_.id(), name + "/data"));
    const auto shape = dataset_info(data_.back().id()).shape;
    if (shape.size() != 4)
      fail(ErrorKind::io, "'{}': {}/data has rank {}, expected (T, nx, ny, C)", path, name,
           shape.size());
    // Bounded before anything is sized from it (a hostile file can declare 2^31 channels,
    // chunked and unstored: one name each was built before).
    constexpr hsize_t kMaxFrames = hsize_t{1} << 24, kMaxSide = hsize_t{1} << 16,
                      kMaxChannels = 4096;
    if (shape[0] > kMaxFrames || shape[1] < 1 || shape[1] > kMaxSide || shape[2] < 1 ||
        shape[2] > kMaxSide || shape[3] < 1 || shape[3] > kMaxChannels)
      fail(ErrorKind::io,
           "'{}': {}/data has shape ({}, {}, {}, {}), beyond what fieldlab reads (at most {} "
           "frames, grids of 1 to {} per side, 1 to {} channels; corrupt file?)",
           path, name, shape[0], shape[1], shape[2], shape[3], kMaxFrames, kMaxSide, kMaxChannels);
    TrajectoryShape s{static_cast<long long>(samples_.size()), static_cast<long long>(shape[0]),
                      static_cast<int>(shape[1]), static_cast<int>(shape[2])};
    if (data_.size() == 1) {
      shape_ = s;
      const int c = static_cast<int>(shape[3]);
      if (has_attribute(file_.id(), "channels")) {
        std::stringstream list(read_string_attribute(file_.id(), "channels"));
        for (std::string item; std::getline(list, item, ',');) channels_.push_back(item);
      }
      if (static_cast<int>(channels_.size()) != c) {
        channels_.clear();
        if (c == 1) channels_.push_back("data");
        for (int k = 0; c > 1 && k < c; ++k) channels_.push_back(fmt::format("data_{}", k));
      }
    } else if (s.frames != shape_.frames || s.nx != shape_.nx || s.ny != shape_.ny ||
               shape[3] != channels_.size()) {
      fail(ErrorKind::io, "'{}': {}/data has a shape different from {}/data", path, name,
           samples_.front());
    }
  }
}

int PdeBenchTrajectoryReader::channel(const std::string& field) const {
  auto it = std::find(channels_.begin(), channels_.end(), field);
  if (it == channels_.end())
    fail(ErrorKind::usage, "'{}' has no field '{}' (it has: {})", path_, field,
         fmt::join(channels_, ", "));
  return static_cast<int>(it - channels_.begin());
}

std::string PdeBenchTrajectoryReader::storage_type(const std::string& field) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  channel(field);
  return dataset_info(data_.front().id()).type;
}

std::vector<std::uint8_t> PdeBenchTrajectoryReader::completed() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<std::uint8_t> mask(samples_.size(), 1);
  for (size_t s = 0; s < samples_.size(); ++s)
    if (has_object(file_.id(), samples_[s] + "/completed")) {
      H5Handle d = open_dataset(file_.id(), samples_[s] + "/completed");
      read_block(d.id(), {0}, {1}, &mask[s]);
    }
  return mask;
}

bool PdeBenchTrajectoryReader::complete() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  // Files without fieldlab's record (PDEBench's own) are written in one go: complete.
  return !has_attribute(file_.id(), "complete") ||
         read_integer_attribute(file_.id(), "complete") == 1;
}

std::vector<double> PdeBenchTrajectoryReader::x() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), samples_.front() + "/grid/x");
}

std::vector<double> PdeBenchTrajectoryReader::y() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), samples_.front() + "/grid/y");
}

std::vector<double> PdeBenchTrajectoryReader::t() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  return read_dataset_as_double(file_.id(), samples_.front() + "/grid/t");
}

void PdeBenchTrajectoryReader::read_frame(const std::string& field, long long trajectory,
                                          long long frame, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, frame);
  read_block(data_[trajectory].id(),
             {static_cast<hsize_t>(frame), 0, 0, static_cast<hsize_t>(channel(field))},
             {1, static_cast<hsize_t>(shape_.nx), static_cast<hsize_t>(shape_.ny), 1}, out);
}

void PdeBenchTrajectoryReader::read_frames(const std::string& field, long long trajectory,
                                           long long first, long long count, double* out) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_range(trajectory, first, count);
  read_block(data_[trajectory].id(),
             {static_cast<hsize_t>(first), 0, 0, static_cast<hsize_t>(channel(field))},
             {static_cast<hsize_t>(count), static_cast<hsize_t>(shape_.nx),
              static_cast<hsize_t>(shape_.ny), 1},
             out);
}

std::vector<double> PdeBenchTrajectoryReader::trajectory_times(long long trajectory) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  check_frame_index(trajectory, 0);
  const std::string name = samples_[trajectory] + "/grid/t";
  require(has_object(file_.id(), name),
          "'{}' has no dataset '{}' (frame times), which dt conditioning needs", path_, name);
  auto t = read_dataset_as_double(file_.id(), name);
  require(static_cast<long long>(t.size()) == shape_.frames,
          "'{}': '{}' has {} values for {} frames", path_, name, t.size(), shape_.frames);
  return t;
}

std::vector<double> PdeBenchTrajectoryReader::trajectory_parameter(const std::string& name) const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<double> values(samples_.size());
  for (size_t s = 0; s < samples_.size(); ++s) {
    H5Handle group = open_group(file_.id(), samples_[s]);
    if (has_attribute(group.id(), name)) {
      values[s] = read_double_attribute(group.id(), name);
      continue;
    }
    if (has_attribute(group.id(), "config")) {
      const auto value = config_value(read_string_attribute(group.id(), "config"), name);
      if (value) {
        values[s] = *value;
        continue;
      }
    }
    require(has_attribute(file_.id(), name),
            "'{}' has no PDE parameter '{}' for sample {} (looked for an attribute '{}' of the "
            "sample group or the file, and a '{}:' line in its 'config')",
            path_, name, samples_[s], name, name);
    values[s] = read_double_attribute(file_.id(), name);
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> PdeBenchTrajectoryReader::attributes() const {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& name : attribute_names(file_.id()))
    result.emplace_back(name, attribute_as_text(file_.id(), name));
  H5Handle first = open_group(file_.id(), samples_.front());
  for (const auto& name : attribute_names(first.id()))
    result.emplace_back(samples_.front() + "/" + name, attribute_as_text(first.id(), name));
  return result;
}

}  // namespace fieldlab::datasets
