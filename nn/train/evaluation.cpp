#include "nn/train/evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/resource_guard.hpp"
#include "datasets/window_conditioning.hpp"
#include "nn/models/model_guard.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double mean_of(const std::vector<std::vector<double>>& rows) {
  double s = 0;
  std::size_t n = 0;
  for (const auto& r : rows) {
    s += std::accumulate(r.begin(), r.end(), 0.0);
    n += r.size();
  }
  return n ? s / static_cast<double>(n) : 0.0;
}

// ||p - t|| / ||t|| over n values (||t|| floored so an all-zero target cannot divide by zero).
double relative_l2(const float* p, const float* t, std::size_t n) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(p[i]) - t[i];
    num += d * d;
    den += static_cast<double>(t[i]) * t[i];
  }
  return std::sqrt(num) / std::max(std::sqrt(den), 1e-12);
}

std::vector<long long> finished(const datasets::TrajectoryReader& reader) {
  const auto done = reader.completed();
  std::vector<long long> out;
  for (long long i = 0; i < static_cast<long long>(done.size()); ++i)
    if (done[i]) out.push_back(i);
  return out;
}

void check_compatible(const FrameModel& model, const datasets::TrajectoryReader& reader,
                      const datasets::Normalisation& norm) {
  datasets::require_fields(reader, norm.fields);
  require(static_cast<int>(norm.fields.size()) == model.fields(),
          "the model predicts {} fields but {} are selected", model.fields(), norm.fields.size());
  const auto s = reader.shape();
  require_grid_fits(model, s.nx, s.ny, reader.path());
  require(s.frames > model.history(), "{}: {} frames per trajectory, history {} needs more",
          reader.path(), s.frames, model.history());
}

// Usage error when `frames` float frames of C fields on the reader's grid would not fit in memory
// (core/resource_guard.hpp); checked with int64 products before the buffers are allocated.
void check_frame_buffers(const std::string& what, const datasets::TrajectoryShape& s, int fields,
                         std::int64_t frames, const char* hint) {
  const std::int64_t frame = checked_mul(checked_mul(s.nx, s.ny, what), fields, what);
  checked_mul(frame, frames, what);  // the buffers' sizes are this product
  MemoryEstimate(what)
      .add("buffers", static_cast<double>(frames), "frames",
           sizeof(float) * static_cast<double>(frame))
      .check(hint);
}

// Conditioning values of up to `batch` windows, filled per forward pass.
struct BatchConditions {
  BatchConditions(const FrameModel& model, const datasets::TrajectoryReader& reader, int batch)
      : request(conditioning_request(model)) {
    if (!request.any()) return;
    values = datasets::WindowConditioning(reader, request);
    if (request.dt) dt.resize(batch);
    if (!request.parameter.empty()) parameter.resize(batch);
  }
  // Sample i predicts frame `target` of `trajectory`.
  void set(int i, long long trajectory, long long target) {
    if (request.dt) dt[i] = static_cast<float>(values.dt(trajectory, target));
    if (!request.parameter.empty()) parameter[i] = static_cast<float>(values.parameter(trajectory));
  }
  ModelConditions first(int count) const {
    return {std::span<const float>(dt).first(dt.empty() ? 0 : count),
            std::span<const float>(parameter).first(parameter.empty() ? 0 : count)};
  }
  datasets::ConditioningRequest request;
  datasets::WindowConditioning values;
  std::vector<float> dt, parameter;
};

// Runs the model on `count` windows held in `inputs` ([count, history*C, H, W]) and copies the
// prediction into `out` ([count, C, H, W]).
void predict(const FrameModel& model, Graph& graph, float* inputs, int count, int h, int w,
             ModelConditions conditions, float* out) {
  graph.reset();
  NoGradGuard no_grad(graph);
  const Shape shape{count, static_cast<std::int64_t>(model.history()) * model.fields(), h, w};
  Var x = graph.constant(Tensor::view(inputs, shape));
  Var y = model.step(graph, x, conditions);
  std::memcpy(out, y.value().data(), sizeof(float) * static_cast<std::size_t>(y.value().numel()));
}

}  // namespace

datasets::ConditioningRequest conditioning_request(const Model& any) {
  const FrameModel& model = as_frame_model(any);
  return {model.conditioned(), model.condition_parameter()};
}

double Evaluation::one_step_model_mean() const { return mean_of(one_step_model); }
double Evaluation::one_step_persistence_mean() const { return mean_of(one_step_persistence); }
double Evaluation::rollout_model_mean() const { return mean_of(rollout_model); }
double Evaluation::rollout_persistence_mean() const { return mean_of(rollout_persistence); }

Evaluation evaluate(Model& any, const datasets::TrajectoryReader& reader,
                    const datasets::Normalisation& norm, const EvaluationOptions& options) {
  const FrameModel& model = as_frame_model(any);
  check_compatible(model, reader, norm);
  require(options.batch >= 1, "evaluation batch must be at least 1");
  require(options.rollout >= 0, "--rollout must not be negative");
  const auto s = reader.shape();
  const int C = model.fields(), H = model.history();
  const std::size_t frame = static_cast<std::size_t>(s.nx) * s.ny;
  const auto trajectories = finished(reader);
  require(!trajectories.empty(), "{} has no finished trajectory", reader.path());

  Evaluation e;
  e.fields = norm.fields;
  e.one_step_model.assign(C, 0.0);
  e.one_step_persistence.assign(C, 0.0);
  Graph graph;
  std::vector<double> scratch;
  const int B = options.batch;
  // inputs (H frames), targets, predictions and the rollout's last frames, per window.
  check_frame_buffers(fmt::format("evaluation with batch {} on {} ({}x{} grid, {} fields)", B,
                                  reader.path(), s.nx, s.ny, C),
                      s, C, checked_mul(B, static_cast<std::int64_t>(H) + 3, "evaluation"),
                      "reduce --batch");
  const std::size_t batch_frames = static_cast<std::size_t>(B) * C * frame;
  std::vector<float> inputs(batch_frames * H), targets(batch_frames), pred(batch_frames);
  BatchConditions conditions(model, reader, B);

  // One step: every window.
  std::vector<datasets::Window> windows;
  for (long long tr : trajectories)
    for (long long start = 0; start + H < s.frames; ++start) windows.push_back({tr, start});
  const long long passes =
      static_cast<long long>((windows.size() + B - 1) / B) +
      static_cast<long long>((trajectories.size() + B - 1) / B) *
          (options.rollout > 0 ? std::min<long long>(options.rollout, s.frames - H) : s.frames - H);
  ProgressPhase phase(options.progress, "evaluate", passes);
  for (std::size_t first = 0; first < windows.size(); first += B) {
    if (options.stop.stop_requested()) {
      e.stopped = true;
      return e;
    }
    const int n = static_cast<int>(std::min<std::size_t>(B, windows.size() - first));
    for (int i = 0; i < n; ++i) {
      const datasets::Window& w = windows[first + i];
      datasets::read_window(reader, norm, H, 1, w, &inputs[i * H * C * frame],
                            &targets[i * C * frame], scratch);
      conditions.set(i, w.trajectory, w.start + H);
    }
    predict(model, graph, inputs.data(), n, s.nx, s.ny, conditions.first(n), pred.data());
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < C; ++c) {
        const float* t = &targets[(i * C + c) * frame];
        e.one_step_model[c] += relative_l2(&pred[(i * C + c) * frame], t, frame);
        e.one_step_persistence[c] +=
            relative_l2(&inputs[((i * H + H - 1) * C + c) * frame], t, frame);
      }
    phase.advance(1);
  }
  e.windows = static_cast<long long>(windows.size());
  for (int c = 0; c < C; ++c) {
    e.one_step_model[c] /= static_cast<double>(e.windows);
    e.one_step_persistence[c] /= static_cast<double>(e.windows);
  }

  // Rollout from frame 0 of every trajectory, batched over trajectories.
  const long long available = s.frames - H;
  e.rollout_steps = static_cast<int>(
      options.rollout > 0 ? std::min<long long>(options.rollout, available) : available);
  const int K = e.rollout_steps;
  e.trajectories = static_cast<long long>(trajectories.size());
  e.rollout_model.assign(K, std::vector<double>(C, 0.0));
  e.rollout_persistence.assign(K, std::vector<double>(C, 0.0));
  std::vector<float> last(B * C * frame);
  for (std::size_t first = 0; first < trajectories.size(); first += B) {
    const int n = static_cast<int>(std::min<std::size_t>(B, trajectories.size() - first));
    for (int i = 0; i < n; ++i)
      datasets::read_window(reader, norm, H, 1, {trajectories[first + i], 0},
                            &inputs[i * H * C * frame], &targets[i * C * frame], scratch);
    for (int i = 0; i < n; ++i)
      std::copy_n(&inputs[(i * H + H - 1) * C * frame], C * frame, &last[i * C * frame]);
    for (int k = 0; k < K; ++k) {
      if (options.stop.stop_requested()) {
        e.stopped = true;
        return e;
      }
      if (k > 0)  // the true frame H + k (the window's history part is unused here)
        for (int i = 0; i < n; ++i)
          datasets::read_window(reader, norm, 0, 1, {trajectories[first + i], H + k}, nullptr,
                                &targets[i * C * frame], scratch);
      for (int i = 0; i < n; ++i) conditions.set(i, trajectories[first + i], H + k);
      predict(model, graph, inputs.data(), n, s.nx, s.ny, conditions.first(n), pred.data());
      for (int i = 0; i < n; ++i) {
        for (int c = 0; c < C; ++c) {
          const float* t = &targets[(i * C + c) * frame];
          e.rollout_model[k][c] += relative_l2(&pred[(i * C + c) * frame], t, frame);
          e.rollout_persistence[k][c] += relative_l2(&last[(i * C + c) * frame], t, frame);
        }
        // Shift the history by one frame and append the prediction.
        float* window = &inputs[i * H * C * frame];
        std::copy(window + C * frame, window + H * C * frame, window);
        std::copy_n(&pred[i * C * frame], C * frame, window + (H - 1) * C * frame);
      }
      phase.advance(1);
    }
  }
  for (int k = 0; k < K; ++k)
    for (int c = 0; c < C; ++c) {
      e.rollout_model[k][c] /= static_cast<double>(e.trajectories);
      e.rollout_persistence[k][c] /= static_cast<double>(e.trajectories);
    }
  return e;
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

void require_finite(const Evaluation& e, const std::string& data, const std::string& checkpoint) {
  if (!all_finite(e.one_step_persistence) ||
      !std::all_of(e.rollout_persistence.begin(), e.rollout_persistence.end(),
                   [](const std::vector<double>& v) { return all_finite(v); }))
    fail(ErrorKind::numerical,
         "--data {} holds non-finite values (NaN or inf) in its frames; see fieldlab info {}", data,
         data);
  int step = all_finite(e.one_step_model) ? 0 : 1;
  for (int k = 0; step == 0 && k < e.rollout_steps; ++k)
    if (!all_finite(e.rollout_model[k])) step = k + 1;
  if (step > 0)
    fail(ErrorKind::numerical,
         "the model produced non-finite predictions (NaN) at step {}; the checkpoint's weights "
         "({}) are not finite?",
         step, checkpoint);
}

std::vector<float> predict_windows(Model& any, const float* inputs, int count, int h, int w,
                                   std::span<const float> dt, std::span<const float> parameter) {
  const FrameModel& model = as_frame_model(any);
  require(count >= 1, "predict: at least one window is needed");
  require_grid_fits(model, h, w, "the history");
  const std::size_t n = static_cast<std::size_t>(count) * model.history() * model.fields() * h * w;
  std::vector<float> in(inputs, inputs + n);
  std::vector<float> out(static_cast<std::size_t>(count) * model.fields() * h * w);
  Graph graph;
  predict(model, graph, in.data(), count, h, w, {dt, parameter}, out.data());
  return out;
}

std::vector<float> rollout_trajectory(Model& any, const datasets::TrajectoryReader& reader,
                                      const datasets::Normalisation& norm, long long trajectory,
                                      int steps) {
  const FrameModel& model = as_frame_model(any);
  check_compatible(model, reader, norm);
  const auto s = reader.shape();
  require(trajectory >= 0 && trajectory < s.trajectories,
          "--trajectory {} out of range: '{}' has {} trajectories", trajectory, reader.path(),
          s.trajectories);
  require(reader.completed()[trajectory] != 0, "trajectory {} of '{}' is not finished", trajectory,
          reader.path());
  require(steps >= 1, "--steps must be at least 1");
  const int C = model.fields(), H = model.history();
  check_frame_buffers(fmt::format("a rollout of {} steps on {} ({}x{} grid, {} fields)", steps,
                                  reader.path(), s.nx, s.ny, C),
                      s, C, static_cast<std::int64_t>(steps) + H + 1, "reduce --steps");
  const std::size_t frame = static_cast<std::size_t>(s.nx) * s.ny;
  std::vector<float> window(H * C * frame), pred(C * frame),
      out(static_cast<std::size_t>(steps) * C * frame);
  std::vector<double> scratch;
  datasets::read_window(reader, norm, H, 0, {trajectory, 0}, window.data(), nullptr, scratch);
  BatchConditions conditions(model, reader, 1);
  Graph graph;
  for (int k = 0; k < steps; ++k) {
    conditions.set(0, trajectory, H + k);
    predict(model, graph, window.data(), 1, s.nx, s.ny, conditions.first(1), pred.data());
    for (float v : pred)
      if (!std::isfinite(v))
        fail(ErrorKind::numerical, "prediction became non-finite at rollout step {}", k + 1);
    std::copy(pred.begin(), pred.end(), out.begin() + k * C * frame);
    std::copy(window.begin() + C * frame, window.end(), window.begin());
    std::copy(pred.begin(), pred.end(), window.end() - C * frame);
  }
  return out;
}

}  // namespace fieldlab::nn
