#include "nn/checkpoint.hpp"

#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "datasets/hdf5_io.hpp"

namespace fieldlab::nn {
namespace {

using datasets::H5Handle;

constexpr const char* kFormat = "fieldlab-checkpoint";

void write_floats(hid_t group, const std::string& name, const float* data, const Shape& shape) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  H5Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  H5Handle dataset(H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space.id(), H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid()) fail(ErrorKind::io, "cannot create dataset '{}' in checkpoint", name);
  if (H5Dwrite(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    fail(ErrorKind::io, "cannot write dataset '{}' in checkpoint", name);
}

void read_floats(hid_t group, const std::string& name, float* data, const Shape& shape,
                 const std::string& path) {
  require(datasets::has_object(group, name), "{}: checkpoint has no '{}' (a different model?)",
          path, name);
  H5Handle dataset = datasets::open_dataset(group, name);
  const auto info = datasets::dataset_info(dataset.id());
  const Shape got(info.shape.begin(), info.shape.end());
  require(got == shape, "{}: '{}' has shape {} in the checkpoint but {} in the model", path, name,
          to_string(got), to_string(shape));
  if (H5Dread(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    fail(ErrorKind::io, "{}: cannot read '{}' (truncated or corrupt file?)", path, name);
}

}  // namespace

void save_checkpoint(const std::string& path, const ParameterStore& store, Optimizer* optimizer,
                     const CheckpointInfo& info) {
  const std::string tmp = path + ".tmp";
  {
    std::lock_guard lock(datasets::hdf5_mutex());
    H5Handle file = datasets::create_file(tmp);
    datasets::write_attribute(file.id(), "format", kFormat);
    datasets::write_attribute(file.id(), "step", info.step);
    datasets::write_attribute(file.id(), "config", info.config);
    datasets::write_attribute(file.id(), "parameter_count", static_cast<long long>(store.size()));
    H5Handle params = datasets::create_group(file.id(), "parameters");
    for (const auto& p : store.parameters())
      write_floats(params.id(), p.name, store.values().data() + p.offset, p.shape);
    if (optimizer) {
      H5Handle opt = datasets::create_group(file.id(), "optimizer");
      const auto& c = optimizer->config();
      datasets::write_attribute(opt.id(), "kind", to_string(c.kind));
      datasets::write_attribute(opt.id(), "steps", optimizer->steps());
      datasets::write_attribute(
          opt.id(), "hyperparameters",
          std::vector<double>{c.momentum, c.beta1, c.beta2, c.eps, c.weight_decay});
      for (auto& [name, buffer] : optimizer->state())
        write_floats(opt.id(), name, buffer->data(),
                     Shape{static_cast<std::int64_t>(buffer->size())});
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) fail(ErrorKind::io, "cannot rename {} to {}: {}", tmp, path, ec.message());
}

CheckpointInfo load_checkpoint(const std::string& path, ParameterStore& store,
                               Optimizer* optimizer) {
  std::lock_guard lock(datasets::hdf5_mutex());
  require(datasets::is_hdf5_file(path), "{} is not an HDF5 file", path);
  H5Handle file = datasets::open_file(path, false);
  require(datasets::has_attribute(file.id(), "format") &&
              datasets::read_string_attribute(file.id(), "format") == kFormat,
          "{} is not a fieldlab checkpoint", path);
  CheckpointInfo info;
  info.step = datasets::read_integer_attribute(file.id(), "step");
  info.config = datasets::read_string_attribute(file.id(), "config");
  const long long count = datasets::read_integer_attribute(file.id(), "parameter_count");
  require(count == store.size(),
          "{}: checkpoint holds {} parameters but the model has {} (a different model or size)",
          path, count, store.size());
  H5Handle params = datasets::open_group(file.id(), "parameters");
  for (const auto& p : store.parameters())
    read_floats(params.id(), p.name, store.values().data() + p.offset, p.shape, path);
  if (optimizer) {
    require(datasets::has_object(file.id(), "optimizer"), "{}: checkpoint has no optimiser state",
            path);
    H5Handle opt = datasets::open_group(file.id(), "optimizer");
    const std::string kind = datasets::read_string_attribute(opt.id(), "kind");
    require(kind == to_string(optimizer->config().kind),
            "{}: checkpoint optimiser is {} but {} was requested", path, kind,
            to_string(optimizer->config().kind));
    for (auto& [name, buffer] : optimizer->state())
      read_floats(opt.id(), name, buffer->data(), Shape{static_cast<std::int64_t>(buffer->size())},
                  path);
    optimizer->set_steps(datasets::read_integer_attribute(opt.id(), "steps"));
  }
  return info;
}

}  // namespace fieldlab::nn
