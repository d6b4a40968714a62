#include "datasets/trajectory_writer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>

#include "core/error.hpp"
#include "core/version.hpp"

namespace fieldlab::datasets {
namespace fs = std::filesystem;

namespace {

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) text += (i ? "," : "") + items[i];
  return text;
}

// Chunks of one trajectory and as many whole frames as fit in ~256 KiB (at least one): writes
// arrive frame by frame and training reads short windows of consecutive frames.
std::vector<hsize_t> field_chunk(const TrajectoryLayout& layout) {
  const hsize_t frame_bytes =
      static_cast<hsize_t>(layout.nx) * layout.ny * (layout.dtype == StorageType::float32 ? 4 : 8);
  const hsize_t frames =
      std::clamp<hsize_t>((256u << 10) / frame_bytes, 1, static_cast<hsize_t>(layout.frames));
  return {1, frames, static_cast<hsize_t>(layout.nx), static_cast<hsize_t>(layout.ny)};
}

void ensure_parent_writable(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent))
    fail(ErrorKind::io, "cannot write '{}': directory '{}' does not exist", path, parent.string());
}

}  // namespace

void write_attribute(hid_t object, const Attribute& attribute) {
  std::visit([&](const auto& v) { write_attribute(object, attribute.name, v); }, attribute.value);
}

void TrajectoryLayout::validate() const {
  require(!fields.empty(), "a trajectory file needs at least one field");
  require(trajectories > 0, "--trajectories must be positive (got {})", trajectories);
  require(frames > 0, "--frames must be positive (got {})", frames);
  require(nx > 0 && ny > 0, "grid must be non-empty");
  require(x.size() == static_cast<size_t>(nx) && y.size() == static_cast<size_t>(ny) &&
              t.size() == static_cast<size_t>(frames),
          "coordinate arrays do not match the layout");
}

std::string partial_path(const std::string& path) { return path + ".partial"; }

TrajectoryWriter TrajectoryWriter::create(const std::string& path, const TrajectoryLayout& layout,
                                          const std::vector<Attribute>& attributes,
                                          const std::string& identity, bool overwrite) {
  layout.validate();
  ensure_parent_writable(path);
  const std::string working = partial_path(path);
  if (!overwrite) {
    if (fs::exists(path))
      fail(ErrorKind::usage, "'{}' exists; pass --overwrite to replace it or --resume to finish it",
           path);
    if (fs::exists(working))
      fail(ErrorKind::usage,
           "an unfinished '{}' exists; pass --resume to complete it or --overwrite to start over",
           working);
  }
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  TrajectoryWriter writer;
  writer.path_ = path;
  writer.working_path_ = working;
  writer.layout_ = layout;
  writer.file_ = create_file(working);
  try {
    const hid_t file = writer.file_.id();
    const hid_t storage = layout.dtype == StorageType::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
    write_attribute(file, "format", "fieldlab.trajectories");
    write_attribute(file, "format_version", 1LL);
    write_attribute(file, "layout", "native");
    write_attribute(file, "fieldlab_version", kVersion);
    write_attribute(file, "created", utc_timestamp());
    write_attribute(file, "fields", join(layout.fields));
    write_attribute(file, "axes", "trajectory,time,x,y");
    write_attribute(file, "n_trajectories", layout.trajectories);
    write_attribute(file, "n_frames", layout.frames);
    write_attribute(file, "generation_identity", identity);
    write_attribute(file, "complete", 0LL);
    for (const auto& a : attributes) write_attribute(file, a);

    const std::vector<hsize_t> shape = {
        static_cast<hsize_t>(layout.trajectories), static_cast<hsize_t>(layout.frames),
        static_cast<hsize_t>(layout.nx), static_cast<hsize_t>(layout.ny)};
    for (const auto& name : layout.fields) {
      H5Handle d = create_preallocated_dataset(file, name, storage, shape, field_chunk(layout));
      write_attribute(d.id(), "axes", "trajectory,time,x,y");
    }
    write_dataset(file, "x", layout.x, {layout.x.size()}, H5T_IEEE_F64LE);
    write_dataset(file, "y", layout.y, {layout.y.size()}, H5T_IEEE_F64LE);
    write_dataset(file, "t", layout.t, {layout.t.size()}, H5T_IEEE_F64LE);
    create_preallocated_dataset(file, "completed", H5T_STD_U8LE, {shape[0]}, {});
    if (!layout.diagnostics.empty()) {
      H5Handle group = create_group(file, "diagnostics");
      for (const auto& name : layout.diagnostics)
        create_preallocated_dataset(group.id(), name, H5T_IEEE_F64LE, {shape[0], shape[1]}, {});
    }
    writer.completed_.assign(layout.trajectories, 0);
    writer.open_datasets();
    // Fill the mask explicitly: storage was allocated without fill values.
    write_block(writer.completed_dataset_.id(), {0}, {shape[0]}, writer.completed_.data());
    flush(file);
  } catch (...) {
    writer.abandon();
    throw;
  }
  return writer;
}

TrajectoryWriter TrajectoryWriter::resume(const std::string& path, const TrajectoryLayout& layout,
                                          const std::string& identity) {
  const std::string working = partial_path(path);
  if (!fs::exists(working)) {
    if (fs::exists(path))
      fail(ErrorKind::usage, "'{}' is already complete; nothing to resume", path);
    fail(ErrorKind::usage, "nothing to resume: '{}' does not exist", working);
  }
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  TrajectoryWriter writer;
  writer.path_ = path;
  writer.working_path_ = working;
  writer.layout_ = layout;
  writer.file_ = open_file(working, true);
  const hid_t file = writer.file_.id();
  if (!has_attribute(file, "generation_identity"))
    fail(ErrorKind::io, "'{}' was not written by fieldlab generate; cannot resume it", working);
  if (read_string_attribute(file, "generation_identity") != identity)
    fail(ErrorKind::usage,
         "cannot resume '{}': it was generated with different options (see its "
         "'generation_identity' attribute); repeat the original options with --resume",
         working);
  writer.open_datasets();
  writer.completed_.assign(layout.trajectories, 0);
  read_block(writer.completed_dataset_.id(), {0}, {static_cast<hsize_t>(layout.trajectories)},
             writer.completed_.data());
  return writer;
}

TrajectoryWriter::~TrajectoryWriter() { close(); }

void TrajectoryWriter::open_datasets() {
  const hid_t file = file_.id();
  field_datasets_.clear();
  diagnostic_datasets_.clear();
  for (const auto& name : layout_.fields) field_datasets_.push_back(open_dataset(file, name));
  for (const auto& name : layout_.diagnostics)
    diagnostic_datasets_.push_back(open_dataset(file, "diagnostics/" + name));
  completed_dataset_ = open_dataset(file, "completed");
}

std::vector<long long> TrajectoryWriter::pending() const {
  std::vector<long long> result;
  for (long long i = 0; i < layout_.trajectories; ++i)
    if (!completed_[i]) result.push_back(i);
  return result;
}

long long TrajectoryWriter::completed_count() const {
  return std::count(completed_.begin(), completed_.end(), 1);
}

void TrajectoryWriter::write_frame(long long trajectory, long long frame, int field,
                                   const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(field_datasets_.at(field).id(),
              {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(frame), 0, 0},
              {1, 1, static_cast<hsize_t>(layout_.nx), static_cast<hsize_t>(layout_.ny)}, values);
}

void TrajectoryWriter::write_diagnostic(long long trajectory, int diagnostic,
                                        const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(diagnostic_datasets_.at(diagnostic).id(), {static_cast<hsize_t>(trajectory), 0},
              {1, static_cast<hsize_t>(layout_.frames)}, values);
}

void TrajectoryWriter::mark_complete(long long trajectory) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  flush(file_.id());  // the data first, so a mark never points at unwritten frames
  completed_.at(trajectory) = 1;
  write_block(completed_dataset_.id(), {static_cast<hsize_t>(trajectory)}, {1},
              &completed_[trajectory]);
  flush(file_.id());
}

void TrajectoryWriter::finish(const std::vector<Attribute>& final_attributes) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  if (completed_count() != layout_.trajectories)
    fail(ErrorKind::internal, "finish() with {} of {} trajectories complete", completed_count(),
         layout_.trajectories);
  write_attribute(file_.id(), "complete", 1LL);
  write_attribute(file_.id(), "completed_at", utc_timestamp());
  for (const auto& a : final_attributes) write_attribute(file_.id(), a);
  close();
  std::error_code ec;
  fs::rename(working_path_, path_, ec);
  if (ec) fail(ErrorKind::io, "cannot rename '{}' to '{}': {}", working_path_, path_, ec.message());
}

void TrajectoryWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close();
  std::error_code ec;
  if (!working_path_.empty()) fs::remove(working_path_, ec);
}

void TrajectoryWriter::close() {
  if (!file_.valid()) return;
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  field_datasets_.clear();
  diagnostic_datasets_.clear();
  completed_dataset_.reset();
  file_.reset();
}

}  // namespace fieldlab::datasets
