#include "datasets/pdearena_writer.hpp"

#include <algorithm>
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

PdeArenaWriter PdeArenaWriter::create(const std::string& path, const PdeArenaLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::string& identity, bool overwrite) {
  layout.validate();
  check_pdearena_split(path, layout.split);
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent))
    fail(ErrorKind::io, "cannot write '{}': directory '{}' does not exist", path, parent.string());
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
  PdeArenaWriter w;
  w.path_ = path;
  w.working_path_ = working;
  w.layout_ = layout;
  w.file_ = create_file(working);
  try {
    const hid_t file = w.file_.id();
    const hsize_t n = static_cast<hsize_t>(layout.trajectories);
    const hsize_t nt = static_cast<hsize_t>(layout.frames);
    const hsize_t nx = static_cast<hsize_t>(layout.nx), ny = static_cast<hsize_t>(layout.ny);
    write_attribute(file, "format", "fieldlab.pdearena");
    write_attribute(file, "layout", "pdearena");
    write_attribute(file, "split", layout.split);
    write_attribute(file, "fieldlab_version", kVersion);
    write_attribute(file, "created", utc_timestamp());
    write_attribute(file, "generation_identity", identity);
    write_attribute(file, "complete", 0LL);
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
    w.completed_.assign(layout.trajectories, 0);
    w.open_datasets();
    write_block(w.completed_dataset_.id(), {0}, {n}, w.completed_.data());
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
  const std::string working = partial_path(path);
  if (!fs::exists(working)) {
    if (fs::exists(path))
      fail(ErrorKind::usage, "'{}' is already complete; nothing to resume", path);
    fail(ErrorKind::usage, "nothing to resume: '{}' does not exist", working);
  }
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeArenaWriter w;
  w.path_ = path;
  w.working_path_ = working;
  w.layout_ = layout;
  w.file_ = open_file(working, true);
  const hid_t file = w.file_.id();
  if (!has_attribute(file, "generation_identity"))
    fail(ErrorKind::io, "'{}' was not written by fieldlab generate; cannot resume it", working);
  if (read_string_attribute(file, "generation_identity") != identity)
    fail(ErrorKind::usage,
         "cannot resume '{}': it was generated with different options (see its "
         "'generation_identity' attribute); repeat the original options with --resume",
         working);
  w.open_datasets();
  w.completed_.assign(layout.trajectories, 0);
  read_block(w.completed_dataset_.id(), {0}, {static_cast<hsize_t>(layout.trajectories)},
             w.completed_.data());
  return w;
}

PdeArenaWriter::~PdeArenaWriter() { close(); }

void PdeArenaWriter::open_datasets() {
  const hid_t file = file_.id();
  fields_.clear();
  for (const auto& name : pdearena_fields())
    fields_.push_back(open_dataset(file, layout_.split + "/" + name));
  buoyancy_ = open_dataset(file, layout_.split + "/buo_y");
  completed_dataset_ = open_dataset(file, "completed");
}

std::vector<long long> PdeArenaWriter::pending() const {
  std::vector<long long> result;
  for (long long i = 0; i < layout_.trajectories; ++i)
    if (!completed_[i]) result.push_back(i);
  return result;
}

long long PdeArenaWriter::completed_count() const {
  return std::count(completed_.begin(), completed_.end(), 1);
}

void PdeArenaWriter::write_frame(long long trajectory, long long frame, int field,
                                 const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(fields_.at(field).id(),
              {static_cast<hsize_t>(trajectory), static_cast<hsize_t>(frame), 0, 0},
              {1, 1, static_cast<hsize_t>(layout_.nx), static_cast<hsize_t>(layout_.ny)}, values);
}

void PdeArenaWriter::write_buoyancy(long long trajectory, double buoyancy_y) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  write_block(buoyancy_.id(), {static_cast<hsize_t>(trajectory)}, {1}, &buoyancy_y);
}

void PdeArenaWriter::mark_complete(long long trajectory) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  flush(file_.id());  // data first, so a mark never points at unwritten frames
  completed_.at(trajectory) = 1;
  write_block(completed_dataset_.id(), {static_cast<hsize_t>(trajectory)}, {1},
              &completed_[trajectory]);
  flush(file_.id());
}

void PdeArenaWriter::finish(const std::vector<Attribute>& final_attributes) {
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

void PdeArenaWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close();
  std::error_code ec;
  if (!working_path_.empty()) fs::remove(working_path_, ec);
}

void PdeArenaWriter::close() {
  if (!file_.valid()) return;
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  fields_.clear();
  buoyancy_.reset();
  completed_dataset_.reset();
  file_.reset();
}

}  // namespace fieldlab::datasets
