#include "nn/checkpoint.hpp"

#include <cmath>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/replace_file.hpp"

namespace fieldlab::nn {
namespace {

using io::H5Handle;

constexpr const char* kFormat = "fieldlab-checkpoint";

void write_floats(hid_t group, const std::string& name, const float* data, const Shape& shape) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  H5Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  H5Handle dataset(H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space.id(), H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid())
    io::fail_hdf5(fmt::format("cannot create dataset '{}' in checkpoint", name), group);
  if (H5Dwrite(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    io::fail_hdf5(fmt::format("cannot write dataset '{}' in checkpoint", name), group);
}

void read_floats(hid_t group, const std::string& name, float* data, const Shape& shape,
                 const std::string& path) {
  require(io::has_object(group, name), "{}: checkpoint has no '{}' (a different model?)", path,
          name);
  H5Handle dataset = io::open_dataset(group, name);
  const auto info = io::dataset_info(dataset.id());
  const Shape got(info.shape.begin(), info.shape.end());
  require(got == shape, "{}: '{}' has shape {} in the checkpoint but {} in the model", path, name,
          to_string(got), to_string(shape));
  if (H5Dread(dataset.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    fail(ErrorKind::io, "{}: cannot read '{}' (truncated or corrupt file?)", path, name);
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ",") + f;
  return s;
}

std::vector<std::string> split_fields(const std::string& text) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= text.size() && !text.empty()) {
    const auto comma = text.find(',', begin);
    out.push_back(
        text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return out;
}

constexpr int kHistoryColumns = 7;

void write_training_state(hid_t file, const CheckpointInfo& info) {
  if (!info.model_config.empty()) io::write_attribute(file, "model_config", info.model_config);
  H5Handle training = io::create_group(file, "training");
  io::write_attribute(training.id(), "epoch", info.epoch);
  io::write_attribute(training.id(), "batch", info.batch);
  io::write_attribute(training.id(), "seed", static_cast<long long>(info.seed));
  io::write_attribute(training.id(), "best_valid_rollout", info.best_valid_rollout);
  io::write_attribute(training.id(), "epoch_loss_sum", info.epoch_loss_sum);
  if (!info.fields.empty()) {
    H5Handle norm = io::create_group(file, "normalisation");
    io::write_attribute(norm.id(), "fields", join_fields(info.fields));
    const std::vector<hsize_t> n{static_cast<hsize_t>(info.mean.size())};
    io::write_dataset(norm.id(), "mean", info.mean, n, H5T_IEEE_F64LE);
    io::write_dataset(norm.id(), "std", info.std, n, H5T_IEEE_F64LE);
  }
  if (!info.state.empty()) {
    H5Handle state = io::create_group(file, "state");
    std::string names;
    for (const auto& [name, values] : info.state) {
      require(!name.empty() && name.find(',') == std::string::npos,
              "checkpoint state name '{}' must be a word without commas", name);
      names += (names.empty() ? "" : ",") + name;
      io::write_dataset(state.id(), name, values, {static_cast<hsize_t>(values.size())},
                        H5T_IEEE_F64LE);
    }
    io::write_attribute(state.id(), "names", names);
  }
  // Columns: epoch, step, train_loss, valid_one_step, valid_rollout, lr, seconds.
  std::vector<double> rows;
  for (const auto& r : info.history)
    rows.insert(rows.end(), {static_cast<double>(r.epoch), static_cast<double>(r.step),
                             r.train_loss, r.valid_one_step, r.valid_rollout, r.lr, r.seconds});
  if (!rows.empty())
    io::write_dataset(training.id(), "history", rows,
                      {static_cast<hsize_t>(info.history.size()), kHistoryColumns}, H5T_IEEE_F64LE);
}

void read_training_state(hid_t file, CheckpointInfo& info) {
  if (io::has_attribute(file, "model_config"))
    info.model_config = io::read_string_attribute(file, "model_config");
  if (io::has_object(file, "training")) {
    H5Handle training = io::open_group(file, "training");
    info.epoch = io::read_integer_attribute(training.id(), "epoch");
    info.batch = io::read_integer_attribute(training.id(), "batch");
    info.seed = static_cast<unsigned long long>(io::read_integer_attribute(training.id(), "seed"));
    info.best_valid_rollout = io::read_double_attribute(training.id(), "best_valid_rollout");
    info.epoch_loss_sum = io::read_double_attribute(training.id(), "epoch_loss_sum");
    if (io::has_object(training.id(), "history")) {
      const auto rows = io::read_dataset_as_double(training.id(), "history");
      // Epoch and step become integers: a value no long long holds (NaN, 1e300) is corruption,
      // not something to cast (undefined behaviour).
      auto integral = [](double v) { return v >= 0 && v < 9.0e18 && v == std::floor(v); };
      for (std::size_t i = 0; i + kHistoryColumns <= rows.size(); i += kHistoryColumns) {
        require(integral(rows[i]) && integral(rows[i + 1]),
                "checkpoint history row {} has epoch {} and step {}: not counts (corrupt file?)",
                i / kHistoryColumns, rows[i], rows[i + 1]);
        info.history.push_back({static_cast<long long>(rows[i]),
                                static_cast<long long>(rows[i + 1]), rows[i + 2], rows[i + 3],
                                rows[i + 4], rows[i + 5], rows[i + 6]});
      }
    }
  }
  if (io::has_object(file, "state")) {
    H5Handle state = io::open_group(file, "state");
    for (const auto& name : split_fields(io::read_string_attribute(state.id(), "names")))
      info.state[name] = io::read_dataset_as_double(state.id(), name);
  }
  if (io::has_object(file, "normalisation")) {
    H5Handle norm = io::open_group(file, "normalisation");
    info.fields = split_fields(io::read_string_attribute(norm.id(), "fields"));
    info.mean = io::read_dataset_as_double(norm.id(), "mean");
    info.std = io::read_dataset_as_double(norm.id(), "std");
    require(info.mean.size() == info.fields.size() && info.std.size() == info.fields.size(),
            "checkpoint normalisation has {} fields but {} means and {} standard deviations "
            "(corrupt file?)",
            info.fields.size(), info.mean.size(), info.std.size());
  }
}

H5Handle open_checkpoint(const std::string& path, CheckpointInfo& info) {
  require(std::filesystem::exists(path), "{}: no such checkpoint", path);
  require(io::is_hdf5_file(path), "{} is not an HDF5 file", path);
  H5Handle file = io::open_file(path, false);
  require(io::has_attribute(file.id(), "format") &&
              io::read_string_attribute(file.id(), "format") == kFormat,
          "{} is not a fieldlab checkpoint", path);
  info.step = io::read_integer_attribute(file.id(), "step");
  info.config = io::read_string_attribute(file.id(), "config");
  read_training_state(file.id(), info);
  return file;
}

}  // namespace

CheckpointInfo read_checkpoint_info(const std::string& path) {
  std::lock_guard lock(io::hdf5_mutex());
  CheckpointInfo info;
  open_checkpoint(path, info);
  return info;
}

void save_checkpoint(const std::string& path, const ParameterStore& store, Optimizer* optimizer,
                     const CheckpointInfo& info) {
  // The output-file policy: locked (nesting with the lock `train` holds for the run), a unique
  // temporary, checked close, sync and rename; a failure leaves the previous checkpoint as it was.
  io::write_replacing(path, /*overwrite=*/true, [&](hid_t file) {
    io::write_attribute(file, "format", kFormat);
    io::write_attribute(file, "step", info.step);
    io::write_attribute(file, "config", info.config);
    io::write_attribute(file, "parameter_count", static_cast<long long>(store.size()));
    write_training_state(file, info);
    H5Handle params = io::create_group(file, "parameters");
    for (const auto& p : store.parameters())
      write_floats(params.id(), p.name, store.values().data() + p.offset, p.shape);
    if (optimizer) {
      H5Handle opt = io::create_group(file, "optimizer");
      const auto& c = optimizer->config();
      io::write_attribute(opt.id(), "kind", to_string(c.kind));
      io::write_attribute(opt.id(), "steps", optimizer->steps());
      io::write_attribute(opt.id(), "hyperparameters",
                          std::vector<double>{c.momentum, c.beta1, c.beta2, c.eps, c.weight_decay});
      for (auto& [name, buffer] : optimizer->state())
        write_floats(opt.id(), name, buffer->data(),
                     Shape{static_cast<std::int64_t>(buffer->size())});
    }
  });
}

CheckpointInfo load_checkpoint(const std::string& path, ParameterStore& store,
                               Optimizer* optimizer) {
  std::lock_guard lock(io::hdf5_mutex());
  CheckpointInfo info;
  H5Handle file = open_checkpoint(path, info);
  const long long count = io::read_integer_attribute(file.id(), "parameter_count");
  require(count == store.size(),
          "{}: checkpoint holds {} parameters but the model has {} (a different model or size)",
          path, count, store.size());
  H5Handle params = io::open_group(file.id(), "parameters");
  for (const auto& p : store.parameters())
    read_floats(params.id(), p.name, store.values().data() + p.offset, p.shape, path);
  if (optimizer) {
    require(io::has_object(file.id(), "optimizer"), "{}: checkpoint has no optimiser state", path);
    H5Handle opt = io::open_group(file.id(), "optimizer");
    const std::string kind = io::read_string_attribute(opt.id(), "kind");
    require(kind == to_string(optimizer->config().kind),
            "{}: checkpoint optimiser is {} but {} was requested", path, kind,
            to_string(optimizer->config().kind));
    for (auto& [name, buffer] : optimizer->state())
      read_floats(opt.id(), name, buffer->data(), Shape{static_cast<std::int64_t>(buffer->size())},
                  path);
    optimizer->set_steps(io::read_integer_attribute(opt.id(), "steps"));
  }
  return info;
}

}  // namespace fieldlab::nn
