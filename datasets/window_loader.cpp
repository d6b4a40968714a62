#include "datasets/window_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "core/error.hpp"
#include "core/resource_guard.hpp"
#include "core/threads.hpp"

namespace fieldlab::datasets {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::vector<long long> finished_trajectories(const TrajectoryReader& reader) {
  const auto done = reader.completed();
  std::vector<long long> out;
  for (long long i = 0; i < static_cast<long long>(done.size()); ++i)
    if (done[i]) out.push_back(i);
  return out;
}

[[noreturn]] void fail_non_finite(const TrajectoryReader& reader, const std::string& field,
                                  long long trajectory, long long frame, double value) {
  fail(ErrorKind::numerical, "{}: non-finite value {} in field '{}', trajectory {}, frame {}",
       reader.path(), value, field, trajectory, frame);
}

}  // namespace

void require_fields(const TrajectoryReader& reader, const std::vector<std::string>& fields) {
  require(!fields.empty(), "no fields selected");
  const auto have = reader.fields();
  for (const auto& f : fields)
    require(std::find(have.begin(), have.end(), f) != have.end(),
            "{} has no field '{}' that the model expects (it has: {})", reader.path(), f,
            join(have));
}

Normalisation compute_normalisation(const TrajectoryReader& reader,
                                    const std::vector<std::string>& fields) {
  require_fields(reader, fields);
  const auto shape = reader.shape();
  const auto trajectories = finished_trajectories(reader);
  require(!trajectories.empty(), "{} has no finished trajectory", reader.path());
  const std::size_t n = static_cast<std::size_t>(shape.nx) * shape.ny;
  std::vector<double> frame(n);
  Normalisation norm;
  norm.fields = fields;
  for (const auto& field : fields) {
    // Per-frame sums in double, then a shifted second pass is unnecessary: the per-frame mean is
    // subtracted (Chan's parallel update), which keeps the variance accurate for large offsets.
    double mean = 0, m2 = 0;
    long long count = 0;
    for (long long tr : trajectories) {
      for (long long t = 0; t < shape.frames; ++t) {
        reader.read_frame(field, tr, t, frame.data());
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (!std::isfinite(frame[i])) fail_non_finite(reader, field, tr, t, frame[i]);
          s += frame[i];
        }
        const double frame_mean = s / static_cast<double>(n);
        double frame_m2 = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double d = frame[i] - frame_mean;
          frame_m2 += d * d;
        }
        const long long total = count + static_cast<long long>(n);
        const double delta = frame_mean - mean;
        mean += delta * static_cast<double>(n) / static_cast<double>(total);
        m2 += frame_m2 + delta * delta * static_cast<double>(count) * static_cast<double>(n) /
                             static_cast<double>(total);
        count = total;
      }
    }
    const double sd = std::sqrt(m2 / static_cast<double>(count));
    norm.mean.push_back(mean);
    norm.std.push_back(sd > 1e-12 * std::max(1.0, std::abs(mean)) ? sd : 1.0);
  }
  return norm;
}

void read_window(const TrajectoryReader& reader, const Normalisation& norm, int history, int future,
                 const Window& w, float* inputs, float* targets, std::vector<double>& scratch) {
  const auto shape = reader.shape();
  const std::size_t n = static_cast<std::size_t>(shape.nx) * shape.ny;
  const int frames = history + future;
  scratch.resize(static_cast<std::size_t>(frames) * n);
  const int channels = static_cast<int>(norm.fields.size());
  for (int c = 0; c < channels; ++c) {
    // One hyperslab per field: the window's frames are contiguous in every layout's chunks.
    reader.read_frames(norm.fields[c], w.trajectory, w.start, frames, scratch.data());
    const double mean = norm.mean[c], inv = 1.0 / norm.std[c];
    for (int k = 0; k < frames; ++k) {
      float* out = (k < history ? inputs + static_cast<std::size_t>(k) * channels * n
                                : targets + static_cast<std::size_t>(k - history) * channels * n) +
                   static_cast<std::size_t>(c) * n;
      const double* in = scratch.data() + static_cast<std::size_t>(k) * n;
      for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(in[i]))
          fail_non_finite(reader, norm.fields[c], w.trajectory, w.start + k, in[i]);
        out[i] = static_cast<float>((in[i] - mean) * inv);
      }
    }
  }
}

int parse_windows_per_trajectory(const std::string& text) {
  if (text == "all") return 0;
  std::size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(text, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  require(used == text.size() && used > 0 && n >= 1,
          "--windows-per-trajectory must be a whole number >= 1 or 'all' (got '{}')", text);
  return n;
}

WindowLoader::WindowLoader(const TrajectoryReader& reader, WindowLoaderConfig config,
                           Normalisation norm)
    : reader_(reader), config_(std::move(config)), norm_(std::move(norm)) {
  require_fields(reader_, config_.fields);
  require(norm_.fields == config_.fields,
          "normalisation statistics are for fields [{}] but the loader reads [{}]",
          join(norm_.fields), join(config_.fields));
  require(config_.history >= 1 && config_.future >= 1, "history and future must be at least 1");
  require(config_.batch >= 1, "--batch must be at least 1");
  require(config_.queue_depth >= 1, "queue depth must be at least 1");
  require(config_.windows_per_trajectory >= 0,
          "--windows-per-trajectory must be at least 1 or 'all' (got {})",
          config_.windows_per_trajectory);
  const auto shape = reader_.shape();
  frames_ = shape.frames;
  nx_ = shape.nx;
  ny_ = shape.ny;
  require(frames_ >= config_.history + config_.future,
          "{} has {} frames per trajectory; history {} + future {} need at least {}",
          reader_.path(), frames_, config_.history, config_.future,
          config_.history + config_.future);
  starts_ = frames_ - config_.history - config_.future + 1;
  require(config_.windows_per_trajectory <= starts_,
          "--windows-per-trajectory {}: {} has only {} start times per trajectory (frames {}, "
          "history {}, future {}); use at most {} or 'all'",
          config_.windows_per_trajectory, reader_.path(), starts_, frames_, config_.history,
          config_.future, starts_);
  trajectories_ = finished_trajectories(reader_);
  require(!trajectories_.empty(), "{} has no finished trajectory", reader_.path());
  if (config_.conditioning.any()) conditioning_ = WindowConditioning(reader_, config_.conditioning);
  windows_ = static_cast<long long>(trajectories_.size()) *
             (config_.windows_per_trajectory == 0 ? starts_ : config_.windows_per_trajectory);
  batch_ = static_cast<int>(std::min<long long>(config_.batch, windows_));
  batches_ = windows_ / batch_;
  const std::size_t frame = static_cast<std::size_t>(nx_) * ny_ * channels();
  const std::int64_t buffers = config_.background ? config_.queue_depth + 1 : 1;
  check_buffer_memory(buffers);
  ring_.resize(buffers);
  for (auto& b : ring_) {
    b.inputs.resize(frame * config_.history * batch_);
    b.targets.resize(frame * config_.future * batch_);
    b.windows.resize(batch_);
    if (config_.conditioning.dt) b.dt.resize(static_cast<std::size_t>(batch_) * config_.future);
    if (!config_.conditioning.parameter.empty()) b.parameter.resize(batch_);
    b.size = batch_;
  }
}

WindowLoader::~WindowLoader() { stop_worker(); }

void WindowLoader::check_buffer_memory(std::int64_t buffers) const {
  const std::string what =
      fmt::format("the window loader for {} (batch {} of {} + {} frames, {}x{} grid, {} channels)",
                  reader_.path(), batch_, config_.history, config_.future, nx_, ny_, channels());
  const std::int64_t frame = checked_mul(checked_mul(nx_, ny_, what), channels(), what);
  const std::int64_t batch = checked_mul(
      checked_mul(frame, checked_add(config_.history, config_.future, what), what), batch_, what);
  MemoryEstimate(what)
      .add("batches", static_cast<double>(batch), "values", sizeof(float),
           static_cast<double>(buffers), "buffers")
      .check("reduce --batch");
}

std::vector<Window> WindowLoader::epoch_plan(long long epoch) const {
  std::mt19937_64 rng(derive_seed(config_.seed, static_cast<unsigned long long>(epoch)));
  const int per = config_.windows_per_trajectory;
  std::vector<Window> plan;
  if (per == 0) {
    // Every start time of every trajectory once.
    plan.reserve(static_cast<std::size_t>(windows_));
    for (long long tr : trajectories_)
      for (long long s = 0; s < starts_; ++s) plan.push_back({tr, s});
    std::shuffle(plan.begin(), plan.end(), rng);
    return plan;
  }
  // Each trajectory `per` times, shuffled; then start times in visiting order from the same
  // generator, redrawn when the trajectory already has that start this epoch (with per == 1 no
  // redraw happens, so the one-window plan is the same as before the option existed).
  std::vector<long long> order;
  order.reserve(static_cast<std::size_t>(windows_));
  for (int k = 0; k < per; ++k)
    order.insert(order.end(), trajectories_.begin(), trajectories_.end());
  std::shuffle(order.begin(), order.end(), rng);
  std::uniform_int_distribution<long long> start(0, starts_ - 1);
  std::vector<std::uint8_t> taken;
  if (per > 1) taken.assign(static_cast<std::size_t>(reader_.shape().trajectories * starts_), 0);
  plan.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    long long s = start(rng);
    if (per > 1) {
      while (taken[order[i] * starts_ + s]) s = start(rng);
      taken[order[i] * starts_ + s] = 1;
    }
    plan[i] = {order[i], s};
  }
  return plan;
}

void WindowLoader::fill(Batch& batch, long long index, std::vector<double>& scratch) const {
  const std::size_t frame = static_cast<std::size_t>(nx_) * ny_ * channels();
  batch.index = index;
  for (int s = 0; s < batch_; ++s) {
    const Window& w = plan_[static_cast<std::size_t>(index * batch_ + s)];
    batch.windows[s] = w;
    if (!batch.dt.empty())
      for (int j = 0; j < config_.future; ++j)
        batch.dt[static_cast<std::size_t>(j) * batch_ + s] =
            static_cast<float>(conditioning_.dt(w.trajectory, w.start + config_.history + j));
    if (!batch.parameter.empty())
      batch.parameter[s] = static_cast<float>(conditioning_.parameter(w.trajectory));
    read_window(reader_, norm_, config_.history, config_.future, w,
                batch.inputs.data() + s * frame * config_.history,
                batch.targets.data() + s * frame * config_.future, scratch);
  }
}

void WindowLoader::stop_worker() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void WindowLoader::start_epoch(long long epoch, long long first_batch) {
  stop_worker();
  require(first_batch >= 0 && first_batch <= batches_, "batch {} is outside the epoch's {} batches",
          first_batch, batches_);
  plan_ = epoch_plan(epoch);
  next_index_ = first_batch;
  end_index_ = batches_;
  filled_ = consumed_ = 0;
  stop_ = false;
  error_ = nullptr;
  if (config_.background) worker_ = std::thread([this] { worker_loop(); });
}

void WindowLoader::worker_loop() {
  std::vector<double> scratch;
  const long long depth = static_cast<long long>(ring_.size());
  for (long long k = 0; next_index_ + k < end_index_; ++k) {
    {
      // Slot k % depth is free once the consumer has moved past the batch that held it: at most
      // depth - 1 filled batches wait, and the consumer holds one more.
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || k < consumed_ + depth - (consumed_ > 0 ? 1 : 0); });
      if (stop_) return;
    }
    try {
      fill(ring_[k % depth], next_index_ + k, scratch);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      filled_ = k + 1;
    }
    changed_.notify_all();
  }
}

const Batch* WindowLoader::next() {
  if (!config_.background) {
    if (next_index_ >= end_index_) return nullptr;
    fill(ring_[0], next_index_++, scratch_);
    return &ring_[0];
  }
  const long long total = end_index_ - next_index_;
  std::unique_lock lock(mutex_);
  if (consumed_ >= total) return nullptr;
  changed_.wait(lock, [&] { return filled_ > consumed_ || error_; });
  if (filled_ <= consumed_ && error_) std::rethrow_exception(error_);
  const Batch* b = &ring_[consumed_ % static_cast<long long>(ring_.size())];
  ++consumed_;
  lock.unlock();
  changed_.notify_all();
  return b;
}

}  // namespace fieldlab::datasets
