#include "datasets/pdebench_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "core/error.hpp"
#include "core/version.hpp"

namespace fieldlab::datasets {
namespace fs = std::filesystem;

namespace {
std::string utc_now() {
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
}  // namespace

void PdeBenchLayout::validate() const {
  require(!channels.empty(), "a PDEBench file needs at least one channel");
  require(samples > 0, "--samples must be positive (got {})", samples);
  require(frames > 0, "--frames must be positive (got {})", frames);
  require(nx > 0 && ny > 0, "grid must be non-empty");
  require(x.size() == static_cast<size_t>(nx) && y.size() == static_cast<size_t>(ny) &&
              t.size() == static_cast<size_t>(frames),
          "coordinate arrays do not match the layout");
}

std::string pdebench_sample_name(long long index) { return fmt::format("{:04d}", index); }

PdeBenchWriter PdeBenchWriter::create(const std::string& path, const PdeBenchLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::function<std::string(long long)>& sample_config,
                                      const std::string& identity, bool overwrite) {
  layout.validate();
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
  PdeBenchWriter writer;
  writer.path_ = path;
  writer.working_path_ = working;
  writer.layout_ = layout;
  writer.file_ = create_file(working);
  try {
    const hid_t file = writer.file_.id();
    write_attribute(file, "format", "fieldlab.pdebench");
    write_attribute(file, "format_version", 1LL);
    write_attribute(file, "layout", "pdebench");
    write_attribute(file, "fieldlab_version", kVersion);
    write_attribute(file, "created", utc_now());
    write_attribute(file, "channels", join(layout.channels));
    write_attribute(file, "axes", "sample group; data [t, x, y, channel]");
    write_attribute(file, "n_samples", layout.samples);
    write_attribute(file, "n_frames", layout.frames);
    write_attribute(file, "generation_identity", identity);
    write_attribute(file, "complete", 0LL);
    for (const auto& a : attributes) write_attribute(file, a);

    const hid_t storage = layout.dtype == StorageType::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
    const hsize_t c = layout.channels.size();
    const std::vector<hsize_t> shape = {static_cast<hsize_t>(layout.frames),
                                        static_cast<hsize_t>(layout.nx),
                                        static_cast<hsize_t>(layout.ny), c};
    const std::vector<hsize_t> chunk = {1, shape[1], shape[2], c};  // one frame per chunk
    const std::uint8_t zero = 0;
    for (long long s = 0; s < layout.samples; ++s) {
      H5Handle group = create_group(file, pdebench_sample_name(s));
      write_attribute(group.id(), "config", sample_config(s));
      create_preallocated_dataset(group.id(), "data", storage, shape, chunk);
      H5Handle grid = create_group(group.id(), "grid");
      write_dataset(grid.id(), "x", layout.x, {layout.x.size()}, H5T_IEEE_F32LE);
      write_dataset(grid.id(), "y", layout.y, {layout.y.size()}, H5T_IEEE_F32LE);
      write_dataset(grid.id(), "t", layout.t, {layout.t.size()}, H5T_IEEE_F32LE);
      H5Handle done = create_preallocated_dataset(group.id(), "completed", H5T_STD_U8LE, {1}, {});
      write_block(done.id(), {0}, {1}, &zero);
    }
    writer.completed_.assign(layout.samples, 0);
    writer.open_datasets();
    flush(file);
  } catch (...) {
    writer.abandon();
    throw;
  }
  return writer;
}

PdeBenchWriter PdeBenchWriter::resume(const std::string& path, const PdeBenchLayout& layout,
                                      const std::string& identity) {
  const std::string working = partial_path(path);
  if (!fs::exists(working)) {
    if (fs::exists(path))
      fail(ErrorKind::usage, "'{}' is already complete; nothing to resume", path);
    fail(ErrorKind::usage, "nothing to resume: '{}' does not exist", working);
  }
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeBenchWriter writer;
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
  writer.completed_.assign(layout.samples, 0);
  for (long long s = 0; s < layout.samples; ++s)
    read_block(writer.completed_datasets_[s].id(), {0}, {1}, &writer.completed_[s]);
  return writer;
}

PdeBenchWriter::~PdeBenchWriter() { close(); }

void PdeBenchWriter::open_datasets() {
  data_.clear();
  completed_datasets_.clear();
  for (long long s = 0; s < layout_.samples; ++s) {
    const std::string name = pdebench_sample_name(s);
    data_.push_back(open_dataset(file_.id(), name + "/data"));
    completed_datasets_.push_back(open_dataset(file_.id(), name + "/completed"));
  }
}

std::vector<long long> PdeBenchWriter::pending() const {
  std::vector<long long> result;
  for (long long i = 0; i < layout_.samples; ++i)
    if (!completed_[i]) result.push_back(i);
  return result;
}

long long PdeBenchWriter::completed_count() const {
  return std::count(completed_.begin(), completed_.end(), 1);
}

void PdeBenchWriter::write_frame(long long sample, long long frame, int channel,
                                 const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const std::vector<hsize_t> offset = {static_cast<hsize_t>(frame), 0, 0,
                                       static_cast<hsize_t>(channel)};
  const std::vector<hsize_t> count = {1, static_cast<hsize_t>(layout_.nx),
                                      static_cast<hsize_t>(layout_.ny), 1};
  if (layout_.dtype == StorageType::float32) {
    frame_float_.assign(values, values + static_cast<std::size_t>(layout_.nx) * layout_.ny);
    write_block(data_.at(sample).id(), offset, count, frame_float_.data());
  } else {
    write_block(data_.at(sample).id(), offset, count, values);
  }
}

void PdeBenchWriter::mark_complete(long long sample) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  flush(file_.id());  // the data first, so a mark never points at unwritten frames
  completed_.at(sample) = 1;
  write_block(completed_datasets_.at(sample).id(), {0}, {1}, &completed_[sample]);
  flush(file_.id());
}

void PdeBenchWriter::finish(const std::vector<Attribute>& final_attributes) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  if (completed_count() != layout_.samples)
    fail(ErrorKind::internal, "finish() with {} of {} samples complete", completed_count(),
         layout_.samples);
  write_attribute(file_.id(), "complete", 1LL);
  write_attribute(file_.id(), "completed_at", utc_now());
  for (const auto& a : final_attributes) write_attribute(file_.id(), a);
  close();
  std::error_code ec;
  fs::rename(working_path_, path_, ec);
  if (ec) fail(ErrorKind::io, "cannot rename '{}' to '{}': {}", working_path_, path_, ec.message());
}

void PdeBenchWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close();
  std::error_code ec;
  if (!working_path_.empty()) fs::remove(working_path_, ec);
}

void PdeBenchWriter::close() {
  if (!file_.valid()) return;
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  data_.clear();
  completed_datasets_.clear();
  file_.reset();
}

}  // namespace fieldlab::datasets
