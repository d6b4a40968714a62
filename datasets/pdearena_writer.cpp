#include "datasets/pdearena_writer.hpp"

#include <filesystem>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

// N copies of one row: PDEArena stores per-trajectory coordinates even where they are shared.
std::vector<double> repeat_rows(const std::vector<double>& row, long long n) {
  std::vector<double> out;
  out.reserve(row.size() * static_cast<size_t>(n));
  for (long long k = 0; k < n; ++k) out.insert(out.end(), row.begin(), row.end());
  return out;
}

}  // namespace

void check_pdearena_split(const std::string& path, const std::string& split) {
  require(split == "train" || split == "valid" || split == "test",
          "--split must be train, valid or test (got '{}')", split);
  const std::string name = fs::path(path).filename().string();
  require(name.find(split) != std::string::npos,
          "PDEArena's loader takes the split from the file name: '{}' must contain '{}' (e.g. "
          "NavierStokes2D_{}_0_0.50000.h5)",
          name, split, split);
}

void PdeArenaLayout::validate() const {
  require(split == "train" || split == "valid" || split == "test",
          "--split must be train, valid or test (got '{}')", split);
  require(trajectories > 0 && frames > 0 && nx > 0 && ny > 0, "empty PDEArena layout");
  require(x.size() == static_cast<size_t>(nx) && y.size() == static_cast<size_t>(ny) &&
              t.size() == static_cast<size_t>(frames),
          "coordinate arrays do not match the layout");
}

PdeArenaWriter::PdeArenaWriter(PartialFile file, const PdeArenaLayout& layout)
    : file_(std::move(file)), layout_(layout) {}

PdeArenaWriter PdeArenaWriter::create(const std::string& path, const PdeArenaLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::string& identity, bool overwrite) {
  layout.validate();
  check_pdearena_split(path, layout.split);
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeArenaWriter w(PartialFile::create(path, overwrite), layout);
  try {
    const hid_t file = w.file_.id();
    const hsize_t n = static_cast<hsize_t>(layout.trajectories);
    const hsize_t nt = static_cast<hsize_t>(layout.frames);
    const hsize_t nx = static_cast<hsize_t>(layout.nx), ny = static_cast<hsize_t>(layout.ny);
    w.file_.write_header("fieldlab.pdearena", "pdearena", identity);
    write_attribute(file, "split", layout.split);
    write_attribute(file, "spacing_note",
                    "dx, dy are the true cell spacing L / n (PDEArena's generator writes "
                    "L / (n - 1)); x, y are cell centres");
    write_attribute(file, "velocity_note",
                    "vx, vy are cell-centred (mean of the two faces); PDEArena's generator "
                    "stores face values cropped [:-1, :-1]");
    write_attribute(file, "time_note",
                    "t holds the true frame times; dt is the solver step (as PDEArena)");
    for (const auto& a : attributes) write_attribute(file, a);

    H5Handle group = create_group(file, layout.split);
    const hid_t storage = layout.dtype == StorageType::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
    for (const auto& name : pdearena_fields())
      create_preallocated_dataset(group.id(), name, storage, {n, nt, nx, ny}, {1, 1, nx, ny});
    write_dataset(group.id(), "t", repeat_rows(layout.t, layout.trajectories), {n, nt},
                  H5T_IEEE_F64LE);
    write_dataset(group.id(), "x", repeat_rows(layout.x, layout.trajectories), {n, nx},
                  H5T_IEEE_F64LE);
    write_dataset(group.id(), "y", repeat_rows(layout.y, layout.trajectories), {n, ny},
                  H5T_IEEE_F64LE);
    write_dataset(group.id(), "dt", std::vector<double>(n, layout.dt), {n}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "dx", std::vector<double>(n, layout.dx), {n}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "dy", std::vector<double>(n, layout.dy), {n}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "buo_y", std::vector<double>(n, 0.0), {n}, H5T_IEEE_F64LE);
    create_preallocated_dataset(file, "completed", H5T_STD_U8LE, {n}, {});
    w.file_.reset_mask(layout.trajectories);
    w.open_datasets();
    write_block(w.completed_dataset_.id(), {0}, {n}, w.file_.mask());
    flush(file);
  } catch (...) {
    w.abandon();
    throw;
  }
  return w;
}

PdeArenaWriter PdeArenaWriter::resume(const std::string& path, const PdeArenaLayout& layout,
                                      const std::string& identity) {
  layout.validate();
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeArenaWriter w(PartialFile::resume(path, identity), layout);
  w.open_datasets();
  w.file_.reset_mask(layout.trajectories);
  read_block(w.completed_dataset_.id(), {0}, {static_cast<hsize_t>(layout.trajectories)},
             w.file_.mask());
  return w;
}

PdeArenaWriter::~PdeArenaWriter() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.close();
}

void PdeArenaWriter::open_datasets() {
  const hid_t file = file_.id();
  fields_.clear();
  for (const auto& name : pdearena_fields())
    fields_.push_back(open_dataset(file, layout_.split + "/" + name));
  buoyancy_ = open_dataset(file, layout_.split + "/buo_y");
  completed_dataset_ = open_dataset(file, "completed");
}

std::vector<long long> PdeArenaWriter::pending() const { return file_.pending(); }

long long PdeArenaWriter::completed_count() const { return file_.completed_count(); }

void PdeArenaWriter::write_frame(long long trajectory, long long frame, int field,
                                 const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block_stored(fields_.at(field).id(),
                     {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(frame), 0, 0},
                     {1, 1, static_cast<hsize_t>(layout_.nx), static_cast<hsize_t>(layout_.ny)},
                     values, layout_.dtype, frame_float_);
}

void PdeArenaWriter::write_buoyancy(long long trajectory, double buoyancy_y) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(buoyancy_.id(), {static_cast<hsize_t>(trajectory)}, {1}, &buoyancy_y);
}

void PdeArenaWriter::mark_complete(long long trajectory) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.mark_complete(trajectory, completed_dataset_.id(), static_cast<hsize_t>(trajectory));
}

void PdeArenaWriter::finish(const std::vector<Attribute>& final_attributes) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.require_all_complete("trajectories");
  close_datasets();
  file_.finish(final_attributes);
}

void PdeArenaWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.abandon();
}

void PdeArenaWriter::close_datasets() {
  fields_.clear();
  buoyancy_.reset();
  completed_dataset_.reset();
}

}  // namespace fieldlab::datasets
