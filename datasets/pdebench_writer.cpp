#include "datasets/pdebench_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;
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

PdeBenchWriter::PdeBenchWriter(PartialFile file, const PdeBenchLayout& layout)
    : file_(std::move(file)), layout_(layout) {}

PdeBenchWriter PdeBenchWriter::create(const std::string& path, const PdeBenchLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::function<std::string(long long)>& sample_config,
                                      const std::string& identity, bool overwrite) {
  layout.validate();
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeBenchWriter writer(PartialFile::create(path, overwrite), layout);
  try {
    const hid_t file = writer.file_.id();
    writer.file_.write_header("fieldlab.pdebench", "pdebench", identity);
    write_attribute(file, "format_version", 1LL);
    write_attribute(file, "channels", join_names(layout.channels));
    write_attribute(file, "axes", "sample group; data [t, x, y, channel]");
    write_attribute(file, "n_samples", layout.samples);
    write_attribute(file, "n_frames", layout.frames);
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
    writer.file_.reset_mask(layout.samples);
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
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  PdeBenchWriter writer(PartialFile::resume(path, identity), layout);
  writer.open_datasets();
  writer.file_.reset_mask(layout.samples);
  for (long long s = 0; s < layout.samples; ++s)
    read_block(writer.completed_datasets_[s].id(), {0}, {1}, writer.file_.mask() + s);
  return writer;
}

PdeBenchWriter::~PdeBenchWriter() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.close();
}

void PdeBenchWriter::open_datasets() {
  data_.clear();
  completed_datasets_.clear();
  for (long long s = 0; s < layout_.samples; ++s) {
    const std::string name = pdebench_sample_name(s);
    data_.push_back(open_dataset(file_.id(), name + "/data"));
    completed_datasets_.push_back(open_dataset(file_.id(), name + "/completed"));
  }
}

std::vector<long long> PdeBenchWriter::pending() const { return file_.pending(); }

long long PdeBenchWriter::completed_count() const { return file_.completed_count(); }

void PdeBenchWriter::write_frame(long long sample, long long frame, int channel,
                                 const double* values) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const std::vector<hsize_t> offset = {static_cast<hsize_t>(frame), 0, 0,
                                       static_cast<hsize_t>(channel)};
  const std::vector<hsize_t> count = {1, static_cast<hsize_t>(layout_.nx),
                                      static_cast<hsize_t>(layout_.ny), 1};
  write_block_stored(data_.at(sample).id(), offset, count, values, layout_.dtype, frame_float_);
}

void PdeBenchWriter::mark_complete(long long sample) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.mark_complete(sample, completed_datasets_.at(sample).id(), 0);
}

void PdeBenchWriter::finish(const std::vector<Attribute>& final_attributes) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  file_.require_all_complete("samples");
  close_datasets();
  file_.finish(final_attributes);
}

void PdeBenchWriter::abandon() {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  close_datasets();
  file_.abandon();
}

void PdeBenchWriter::close_datasets() {
  data_.clear();
  completed_datasets_.clear();
}

}  // namespace fieldlab::datasets
