#include "datasets/trajectory_writer.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

namespace {

// Chunks of one trajectory and as many whole frames as fit in ~256 KiB (at least one): writes
// arrive frame by frame and training reads short windows of consecutive frames.
std::vector<hsize_t> field_chunk(const TrajectoryLayout& layout) {
  const hsize_t frame_bytes =
      static_cast<hsize_t>(layout.nx) * layout.ny * (layout.dtype == StorageType::float32 ? 4 : 8);
  const hsize_t frames =
      std::clamp<hsize_t>((256u << 10) / frame_bytes, 1, static_cast<hsize_t>(layout.frames));
  return {1, frames, static_cast<hsize_t>(layout.nx), static_cast<hsize_t>(layout.ny)};
}

}  // namespace

void TrajectoryLayout::validate() const {
  require(!fields.empty(), "a trajectory file needs at least one field");
  require(trajectories > 0, "--trajectories must be positive (got {})", trajectories);
  require(frames > 0, "--frames must be positive (got {})", frames);
  require(nx > 0 && ny > 0, "grid must be non-empty");
  require(x.size() == static_cast<size_t>(nx) && y.size() == static_cast<size_t>(ny) &&
              t.size() == static_cast<size_t>(frames),
          "coordinate arrays do not match the layout");
}

TrajectoryWriter::TrajectoryWriter(PartialFile file, const TrajectoryLayout& layout)
    : file_(std::move(file)), layout_(layout) {}

TrajectoryWriter TrajectoryWriter::create(const std::string& path, const TrajectoryLayout& layout,
                                          const std::vector<Attribute>& attributes,
                                          const std::string& identity, bool overwrite) {
  layout.validate();
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  TrajectoryWriter writer(PartialFile::create(path, overwrite), layout);
  try {
    const hid_t file = writer.file_.id();
    const hid_t storage = layout.dtype == StorageType::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
    writer.file_.write_header("fieldlab.trajectories", "native", identity);
    write_attribute(file, "format_version", 1LL);
    write_attribute(file, "fields", join_names(layout.fields));
    write_attribute(file, "axes", "trajectory,time,x,y");
    write_attribute(file, "n_trajectories", layout.trajectories);
    write_attribute(file, "n_frames", layout.frames);
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
    writer.file_.reset_mask(layout.trajectories);
    writer.open_datasets();
    // Fill the mask explicitly: storage was allocated without fill values.
    write_block(writer.completed_dataset_.id(), {0}, {shape[0]}, writer.file_.mask());
    flush(file);
  } catch (...) {
    writer.abandon();
    throw;
  }
  return writer;
}

TrajectoryWriter TrajectoryWriter::resume(const std::string& path, const TrajectoryLayout& layout,
                                          const std::string& identity) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  TrajectoryWriter writer(PartialFile::resume(path, identity), layout);
  writer.open_datasets();
  writer.file_.reset_mask(layout.trajectories);
  read_block(writer.completed_dataset_.id(), {0}, {static_cast<hsize_t>(layout.trajectories)},
             writer.file_.mask());
  return writer;
}

TrajectoryWriter::~TrajectoryWriter() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.close();
}

void TrajectoryWriter::open_datasets() {
  const hid_t file = file_.id();
  field_datasets_.clear();
  diagnostic_datasets_.clear();
  for (const auto& name : layout_.fields) field_datasets_.push_back(open_dataset(file, name));
  for (const auto& name : layout_.diagnostics)
    diagnostic_datasets_.push_back(open_dataset(file, "diagnostics/" + name));
  completed_dataset_ = open_dataset(file, "completed");
}

std::vector<long long> TrajectoryWriter::pending() const { return file_.pending(); }

long long TrajectoryWriter::completed_count() const { return file_.completed_count(); }

void TrajectoryWriter::write_frame(long long trajectory, long long frame, int field,
                                   const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block_stored(field_datasets_.at(field).id(),
                     {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(frame), 0, 0},
                     {1, 1, static_cast<hsize_t>(layout_.nx), static_cast<hsize_t>(layout_.ny)},
                     values, layout_.dtype, frame_float_);
}

void TrajectoryWriter::write_diagnostic(long long trajectory, int diagnostic,
                                        const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(diagnostic_datasets_.at(diagnostic).id(), {static_cast<hsize_t>(trajectory), 0},
              {1, static_cast<hsize_t>(layout_.frames)}, values);
}

void TrajectoryWriter::mark_complete(long long trajectory) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.mark_complete(trajectory, completed_dataset_.id(), static_cast<hsize_t>(trajectory));
}

void TrajectoryWriter::finish(const std::vector<Attribute>& final_attributes) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.require_all_complete("trajectories");
  close_datasets();
  file_.finish(final_attributes);
}

void TrajectoryWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.abandon();
}

void TrajectoryWriter::close_datasets() {
  field_datasets_.clear();
  diagnostic_datasets_.clear();
  completed_dataset_.reset();
}

}  // namespace fieldlab::datasets
