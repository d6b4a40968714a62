// fieldlab._core readers and loaders: _Trajectories (any layout, through
// datasets/trajectory_reader.hpp: a frame or a run of frames per read), _WindowLoader (the
// training-window loader of datasets/window_loader.hpp) and _Windows (one window by index, for
// map-style datasets). The public classes are fieldlab.open / fieldlab.WindowLoader /
// fieldlab.torch.WindowDataset (python/fieldlab/data.py, torch.py).

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "datasets/field_statistics.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_conditioning.hpp"
#include "datasets/window_loader.hpp"
#include "python/src/binding_support.hpp"

namespace fieldlab::python {
namespace {

namespace ds = fieldlab::datasets;

// An open trajectory file; close() releases it (later use is a UsageError).
class Trajectories {
 public:
  explicit Trajectories(const std::string& path) : path_(path) {
    {
      py::gil_scoped_release release;
      reader_ = ds::open_trajectories(path);
    }
    // Fixed for the file's life: cached, so a frame read does not re-query them.
    shape_ = reader_->shape();
    for (const auto& f : reader_->fields()) storage_[f] = reader_->storage_type(f);
  }
  const ds::TrajectoryReader& reader() const {
    if (!reader_) raise_error("usage", "'" + path_ + "' is closed");
    return *reader_;
  }
  std::shared_ptr<const ds::TrajectoryReader> shared() const {
    reader();
    return reader_;
  }
  void close() { reader_.reset(); }
  bool closed() const { return !reader_; }
  const std::string& path() const { return path_; }

  void check_field(const std::string& field) const {
    reader();
    if (storage_.count(field)) return;
    std::string names;
    for (const auto& f : reader_->fields()) names += (names.empty() ? "" : ", ") + f;
    throw py::key_error("'" + path_ + "' has no field '" + field + "' (fields: " + names + ")");
  }

  // Frames first .. first + count - 1 of one trajectory: (count, nx, ny) in the file's storage
  // type (float32 or float64), as h5py would return them.
  py::array read_frames(const std::string& field, long long trajectory, long long first,
                        long long count) const {
    check_field(field);
    const auto& r = reader();
    if (count < 1) raise_error("usage", "read_frames: count must be at least 1");
    const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(count),
                                         static_cast<py::ssize_t>(shape_.nx),
                                         static_cast<py::ssize_t>(shape_.ny)};
    if (storage_.at(field) == "float32") {
      py::array_t<float> a(shape);
      float* data = a.mutable_data();
      {
        py::gil_scoped_release release;
        r.read_frames_float(field, trajectory, first, count, data);
      }
      frames_read_ += count;
      return a;
    }
    py::array_t<double> a(shape);
    double* data = a.mutable_data();
    {
      py::gil_scoped_release release;
      if (count == 1)
        r.read_frame(field, trajectory, first, data);
      else
        r.read_frames(field, trajectory, first, count, data);
    }
    frames_read_ += count;
    return a;
  }

  py::dict statistics(const std::string& field) const {
    check_field(field);
    ds::FieldStatistics s;
    {
      py::gil_scoped_release release;
      s = ds::field_statistics(reader(), field);
    }
    py::dict d;
    const py::object none = py::none();
    d["min"] = s.count ? py::object(py::float_(s.min)) : none;
    d["max"] = s.count ? py::object(py::float_(s.max)) : none;
    d["mean"] = s.count ? py::object(py::float_(s.mean)) : none;
    d["std"] = s.count ? py::object(py::float_(s.std)) : none;
    d["count"] = s.count;
    d["non_finite"] = s.non_finite;
    return d;
  }

  mutable long long frames_read_ = 0;

 private:
  std::string path_;
  ds::TrajectoryShape shape_;
  std::map<std::string, std::string> storage_;
  std::shared_ptr<ds::TrajectoryReader> reader_;
};

ds::Normalisation normalisation_of(const ds::TrajectoryReader& reader,
                                   const std::vector<std::string>& fields, const py::object& spec) {
  ds::Normalisation norm;
  norm.fields = fields;
  if (py::isinstance<py::bool_>(spec)) {
    if (spec.cast<bool>()) {
      py::gil_scoped_release release;
      return ds::compute_normalisation(reader, fields);
    }
    norm.mean.assign(fields.size(), 0.0);
    norm.std.assign(fields.size(), 1.0);
    return norm;
  }
  if (!py::isinstance<py::dict>(spec))
    throw py::type_error("normalise: expected True, False or {field: (mean, std)}, got " +
                         py::cast<std::string>(py::str(py::type::of(spec).attr("__name__"))));
  const auto d = spec.cast<py::dict>();
  for (const auto& f : fields) {
    if (!d.contains(f)) raise_error("usage", "normalise: no (mean, std) for field '" + f + "'");
    const auto pair = d[py::str(f)].cast<std::pair<double, double>>();
    if (!std::isfinite(pair.first) || !std::isfinite(pair.second) || pair.second <= 0)
      raise_error("usage", "normalise: field '" + f + "' needs a finite mean and a std > 0");
    norm.mean.push_back(pair.first);
    norm.std.push_back(pair.second);
  }
  return norm;
}

py::dict normalisation_dict(const ds::Normalisation& norm) {
  py::dict d;
  for (size_t c = 0; c < norm.fields.size(); ++c)
    d[py::str(norm.fields[c])] = py::make_tuple(norm.mean[c], norm.std[c]);
  return d;
}

std::vector<std::string> fields_or_all(const ds::TrajectoryReader& reader,
                                       const std::vector<std::string>& fields) {
  auto chosen = fields.empty() ? reader.fields() : fields;
  ds::require_fields(reader, chosen);
  return chosen;
}

// The C++ loader over one opened file (kept alive here).
class WindowLoaderBinding {
 public:
  WindowLoaderBinding(const Trajectories& file, std::vector<std::string> fields, int history,
                      int future, int batch, unsigned long long seed, int windows_per_trajectory,
                      const py::object& normalise, bool dt, const std::string& parameter)
      : reader_(file.shared()) {
    if (history < 1)
      raise_error("usage", "history must be at least 1 (got " + std::to_string(history) + ")");
    if (future < 1)
      raise_error("usage", "future must be at least 1 (got " + std::to_string(future) + ")");
    if (batch < 1)
      raise_error("usage", "batch must be at least 1 (got " + std::to_string(batch) + ")");
    if (windows_per_trajectory < 0)
      raise_error("usage", "windows_per_trajectory must be at least 0 (0: all), got " +
                               std::to_string(windows_per_trajectory));
    ds::WindowLoaderConfig config;
    config.fields = fields_or_all(*reader_, fields);
    config.history = history;
    config.future = future;
    config.batch = batch;
    config.seed = seed;
    config.windows_per_trajectory = windows_per_trajectory;
    config.conditioning.dt = dt;
    config.conditioning.parameter = parameter;
    config.background = true;
    norm_ = normalisation_of(*reader_, config.fields, normalise);
    history_ = history;
    future_ = future;
    py::gil_scoped_release release;
    loader_ = std::make_unique<ds::WindowLoader>(*reader_, config, norm_);
  }

  void start_epoch(long long epoch, long long first_batch) {
    if (epoch < 0 || first_batch < 0) raise_error("usage", "epoch and first_batch must be >= 0");
    py::gil_scoped_release release;
    loader_->start_epoch(epoch, first_batch);
  }

  // The next batch as new numpy arrays, or None at the end of the epoch.
  py::object next() {
    const ds::Batch* b = nullptr;
    {
      py::gil_scoped_release release;
      b = loader_->next();
    }
    if (!b) return py::none();
    const py::ssize_t n = b->size, c = loader_->channels(), h = loader_->height(),
                      w = loader_->width();
    py::dict d;
    d["x"] = copy_of(b->inputs, {n, history_ * c, h, w});
    d["y"] = copy_of(b->targets, {n, future_ * c, h, w});
    std::vector<long long> windows;
    for (const auto& win : b->windows) {
      windows.push_back(win.trajectory);
      windows.push_back(win.start);
    }
    d["windows"] = copy_of(windows, {n, 2});
    if (!b->dt.empty()) {
      // The batch keeps dt step-major ([future][size]); Python gets it per sample (B, future).
      std::vector<float> dt(b->dt.size());
      for (py::ssize_t j = 0; j < future_; ++j)
        for (py::ssize_t s = 0; s < n; ++s) dt[s * future_ + j] = b->dt[j * n + s];
      d["dt"] = copy_of(dt, {n, static_cast<py::ssize_t>(future_)});
    }
    if (!b->parameter.empty()) d["parameter"] = copy_of(b->parameter, {n});
    d["index"] = b->index;
    return d;
  }

  py::array epoch_plan(long long epoch) const {
    std::vector<long long> flat;
    for (const auto& w : loader_->epoch_plan(epoch)) {
      flat.push_back(w.trajectory);
      flat.push_back(w.start);
    }
    return copy_of(flat, {static_cast<py::ssize_t>(flat.size() / 2), 2});
  }

  ds::WindowLoader& loader() { return *loader_; }
  const ds::Normalisation& normalisation() const { return norm_; }

 private:
  std::shared_ptr<const ds::TrajectoryReader> reader_;
  ds::Normalisation norm_;
  int history_ = 0, future_ = 0;
  std::unique_ptr<ds::WindowLoader> loader_;
};

// Random access to windows: window (trajectory, start) normalised as the loader does, for
// map-style datasets (fieldlab.torch.WindowDataset).
class Windows {
 public:
  Windows(const Trajectories& file, std::vector<std::string> fields, int history, int future,
          const py::object& normalise, bool dt, const std::string& parameter)
      : reader_(file.shared()), history_(history), future_(future) {
    if (history < 1 || future < 1) raise_error("usage", "history and future must be at least 1");
    fields_ = fields_or_all(*reader_, fields);
    const auto s = reader_->shape();
    require(s.frames >= history + future,
            "'{}' has {} frames per trajectory: fewer than history + future = {}", reader_->path(),
            s.frames, history + future);
    norm_ = normalisation_of(*reader_, fields_, normalise);
    const auto done = reader_->completed();
    for (long long i = 0; i < static_cast<long long>(done.size()); ++i)
      if (done[i]) trajectories_.push_back(i);
    request_.dt = dt;
    request_.parameter = parameter;
    if (request_.any()) {
      py::gil_scoped_release release;
      conditioning_ = ds::WindowConditioning(*reader_, request_);
    }
    starts_ = s.frames - history - future + 1;
  }

  py::dict read(long long trajectory, long long start) {
    const auto s = reader_->shape();
    if (trajectory < 0 || trajectory >= s.trajectories || start < 0 || start >= starts_)
      throw py::index_error("window (" + std::to_string(trajectory) + ", " + std::to_string(start) +
                            ") out of range");
    const py::ssize_t c = static_cast<py::ssize_t>(fields_.size());
    py::array_t<float> x(
        {history_ * c, static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny)});
    py::array_t<float> y(
        {future_ * c, static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny)});
    {
      float* xd = x.mutable_data();
      float* yd = y.mutable_data();
      py::gil_scoped_release release;
      std::vector<double> scratch;
      ds::read_window(*reader_, norm_, history_, future_, {trajectory, start}, xd, yd, scratch);
    }
    py::dict d;
    d["x"] = x;
    d["y"] = y;
    if (request_.dt) {
      std::vector<float> dt;
      for (int j = 0; j < future_; ++j)
        dt.push_back(static_cast<float>(conditioning_.dt(trajectory, start + history_ + j)));
      d["dt"] = copy_of(dt, {static_cast<py::ssize_t>(future_)});
    }
    if (!request_.parameter.empty())
      d["parameter"] = static_cast<float>(conditioning_.parameter(trajectory));
    return d;
  }

  const std::vector<long long>& trajectories() const { return trajectories_; }
  long long starts() const { return starts_; }
  const ds::Normalisation& normalisation() const { return norm_; }
  const std::vector<std::string>& fields() const { return fields_; }

 private:
  std::shared_ptr<const ds::TrajectoryReader> reader_;
  int history_, future_;
  std::vector<std::string> fields_;
  ds::Normalisation norm_;
  std::vector<long long> trajectories_;
  ds::ConditioningRequest request_;
  ds::WindowConditioning conditioning_;
  long long starts_ = 0;
};

void bind_datasets(py::module_& m) {
  py::class_<Trajectories>(m, "_Trajectories",
                           "An open trajectory file of any layout (native, PDEArena, PDEBench); "
                           "use fieldlab.open, which wraps it.")
      .def(py::init<const std::string&>(), py::arg("path"),
           "Opens `path` read-only; FileError when it is missing, not HDF5, truncated or of no "
           "known layout.")
      .def_property_readonly("path", &Trajectories::path, "The file's path.")
      .def_property_readonly("closed", &Trajectories::closed, "Whether close() was called.")
      .def("close", &Trajectories::close, "Releases the file.")
      .def_property_readonly(
          "layout", [](const Trajectories& t) { return t.reader().layout(); },
          "\"native\", \"pdearena\" or \"pdebench\".")
      .def_property_readonly(
          "fields", [](const Trajectories& t) { return t.reader().fields(); }, "Field names.")
      .def_property_readonly(
          "shape",
          [](const Trajectories& t) {
            const auto s = t.reader().shape();
            return py::make_tuple(s.trajectories, s.frames, s.nx, s.ny);
          },
          "(trajectories, frames, nx, ny) of every field.")
      .def(
          "storage_type",
          [](const Trajectories& t, const std::string& f) {
            t.check_field(f);
            return t.reader().storage_type(f);
          },
          py::arg("field"), "\"float32\" or \"float64\".")
      .def(
          "completed",
          [](const Trajectories& t) {
            const auto c = t.reader().completed();
            py::array_t<bool> a(static_cast<py::ssize_t>(c.size()));
            std::copy(c.begin(), c.end(), a.mutable_data());
            return a;
          },
          "A new bool array: which trajectories hold finished data.")
      .def_property_readonly(
          "complete", [](const Trajectories& t) { return t.reader().complete(); },
          "Whether the file is finished.")
      .def(
          "x",
          [](const Trajectories& t) {
            auto v = t.reader().x();
            return copy_of(v, {static_cast<py::ssize_t>(v.size())});
          },
          "A new array of the x coordinates.")
      .def(
          "y",
          [](const Trajectories& t) {
            auto v = t.reader().y();
            return copy_of(v, {static_cast<py::ssize_t>(v.size())});
          },
          "A new array of the y coordinates.")
      .def(
          "t",
          [](const Trajectories& t) {
            auto v = t.reader().t();
            return copy_of(v, {static_cast<py::ssize_t>(v.size())});
          },
          "A new array of the frame times as the file stores them (empty when it has none).")
      .def(
          "trajectory_times",
          [](const Trajectories& t, long long trajectory) {
            auto v = t.reader().trajectory_times(trajectory);
            return copy_of(v, {static_cast<py::ssize_t>(v.size())});
          },
          py::arg("trajectory"), "The frame times of one trajectory (a new array).")
      .def(
          "trajectory_parameter",
          [](const Trajectories& t, const std::string& name) {
            auto v = t.reader().trajectory_parameter(name);
            return copy_of(v, {static_cast<py::ssize_t>(v.size())});
          },
          py::arg("name"),
          "The scalar PDE parameter `name` of every trajectory (a new array); UsageError when "
          "the file has none.")
      .def(
          "attributes",
          [](const Trajectories& t) {
            py::dict d;
            for (const auto& [k, v] : t.reader().attributes()) d[py::str(k)] = v;
            return d;
          },
          "File-level attributes as text, as `fieldlab info` shows them.")
      .def("read_frames", &Trajectories::read_frames, py::arg("field"), py::arg("trajectory"),
           py::arg("first"), py::arg("count"),
           "A new array (count, nx, ny) in the file's storage type (float32 or float64): frames "
           "first .. first + count - 1 of one trajectory, in one bounded read. UsageError for "
           "indices out of range.")
      .def("statistics", &Trajectories::statistics, py::arg("field"),
           "{min, max, mean, std, count, non_finite} of one field over the finished "
           "trajectories, streamed a frame at a time (as `fieldlab info --json`).")
      .def_readonly("frames_read", &Trajectories::frames_read_,
                    "Frames read through read_frames so far (to check slicing stays lazy).");

  py::class_<WindowLoaderBinding>(m, "_WindowLoader",
                                  "The C++ training-window loader; use fieldlab.WindowLoader.")
      .def(py::init<const Trajectories&, std::vector<std::string>, int, int, int,
                    unsigned long long, int, const py::object&, bool, const std::string&>(),
           py::arg("file"), py::arg("fields"), py::arg("history"), py::arg("future"),
           py::arg("batch"), py::arg("seed"), py::arg("windows_per_trajectory"),
           py::arg("normalise"), py::arg("dt"), py::arg("parameter"), py::keep_alive<1, 2>())
      .def("start_epoch", &WindowLoaderBinding::start_epoch, py::arg("epoch"),
           py::arg("first_batch") = 0, "Starts epoch `epoch` at batch `first_batch`.")
      .def("next", &WindowLoaderBinding::next,
           "The next batch {x, y, windows, index[, dt, parameter]} as new arrays, or None at the "
           "end of the epoch.")
      .def("epoch_plan", &WindowLoaderBinding::epoch_plan, py::arg("epoch"),
           "The epoch's windows in visiting order, a new int64 array (windows, 2) of (trajectory, "
           "start).")
      .def_property_readonly(
          "batches_per_epoch",
          [](WindowLoaderBinding& l) { return l.loader().batches_per_epoch(); },
          "Full batches per epoch.")
      .def_property_readonly(
          "windows_per_epoch",
          [](WindowLoaderBinding& l) { return l.loader().windows_per_epoch(); },
          "Windows per epoch.")
      .def_property_readonly(
          "batch_size", [](WindowLoaderBinding& l) { return l.loader().batch_size(); },
          "Samples per batch.")
      .def_property_readonly(
          "start_times", [](WindowLoaderBinding& l) { return l.loader().start_times(); },
          "Possible start frames per trajectory.")
      .def_property_readonly(
          "trajectories", [](WindowLoaderBinding& l) { return l.loader().trajectories(); },
          "The finished trajectories the windows come from.")
      .def_property_readonly(
          "normalisation",
          [](const WindowLoaderBinding& l) { return normalisation_dict(l.normalisation()); },
          "{field: (mean, std)} the windows are z-scored with.");

  py::class_<Windows>(m, "_Windows", "Windows by (trajectory, start); use fieldlab.torch.")
      .def(py::init<const Trajectories&, std::vector<std::string>, int, int, const py::object&,
                    bool, const std::string&>(),
           py::arg("file"), py::arg("fields"), py::arg("history"), py::arg("future"),
           py::arg("normalise"), py::arg("dt"), py::arg("parameter"), py::keep_alive<1, 2>())
      .def("read", &Windows::read, py::arg("trajectory"), py::arg("start"),
           "{x (history*C, nx, ny), y (future*C, nx, ny)[, dt (future,), parameter]} as new "
           "float32 arrays, normalised as the loader does.")
      .def_property_readonly("trajectories", &Windows::trajectories, "Finished trajectories.")
      .def_property_readonly("starts", &Windows::starts, "Start frames per trajectory.")
      .def_property_readonly("fields", &Windows::fields, "The fields, in channel order.")
      .def_property_readonly(
          "normalisation", [](const Windows& w) { return normalisation_dict(w.normalisation()); },
          "{field: (mean, std)}.");
}

}  // namespace

FIELDLAB_PYTHON_PART(datasets, 30, bind_datasets);

}  // namespace fieldlab::python
