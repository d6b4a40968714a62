#pragma once
// Evaluation of a one-step surrogate on trajectory data, in normalised units (the training
// loss's units): relative L2 error ||p - t||_2 / ||t||_2 over the grid, per field, averaged over
// windows, for
//   * one-step prediction on every window (every trajectory, every start time), and
//   * autoregressive rollout from each trajectory's first `history` frames, per step,
// each alongside the persistence baseline (the next frame equals the last input frame) on the
// same windows. A conditioned model gets each window's dt (and PDE parameter) from the data, as
// in training (datasets/window_conditioning.hpp).

#include <span>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::nn {

// What `model` must be fed per sample: dt when it is conditioned, and its PDE parameter.
datasets::ConditioningRequest conditioning_request(const Model& model);

struct EvaluationOptions {
  int rollout = 0;  // rollout steps (0: as many as the trajectories allow)
  int batch = 8;    // windows per forward pass
  // Polled between forward passes: a stop returns at once with Evaluation::stopped set (the
  // numbers are then partial and meaningless). One "evaluate" progress phase, a unit per pass.
  StopToken stop;
  ProgressSink* progress = nullptr;
};

struct Evaluation {
  std::vector<std::string> fields;
  long long windows = 0;       // one-step windows
  long long trajectories = 0;  // rollouts
  int rollout_steps = 0;
  std::vector<double> one_step_model, one_step_persistence;             // [field]
  std::vector<std::vector<double>> rollout_model, rollout_persistence;  // [step][field]
  bool stopped = false;  // EvaluationOptions::stop ended it early

  // Means over fields (one step) and over steps and fields (rollout): the selection metrics.
  double one_step_model_mean() const;
  double one_step_persistence_mean() const;
  double rollout_model_mean() const;
  double rollout_persistence_mean() const;
};

// `model` must be a FrameModel (a usage error otherwise). The model's fields must be in the file (a
// usage error names a missing one) and `norm` must list them in the model's order. Every finished
// trajectory is used.
Evaluation evaluate(Model& model, const datasets::TrajectoryReader& reader,
                    const datasets::Normalisation& norm, const EvaluationOptions& options);

// A NaN metric is no result: a numerical error saying where it first appears (non-finite frames in
// `data`, or the model's predictions at step k of checkpoint `checkpoint`), as `fieldlab eval`
// reports it.
void require_finite(const Evaluation& evaluation, const std::string& data,
                    const std::string& checkpoint);

// One-step predictions of `count` windows held in memory: `inputs` [count, history, fields, h, w]
// in normalised units -> [count, fields, h, w]. `dt` and `parameter` hold one value per window for
// a conditioned model (as it requires; empty otherwise). The grid must suit the model (a usage
// error otherwise).
std::vector<float> predict_windows(Model& model, const float* inputs, int count, int h, int w,
                                   std::span<const float> dt = {},
                                   std::span<const float> parameter = {});

// Autoregressive prediction of one trajectory from its first `history` frames: `steps` frames
// [steps, fields, nx, ny], normalised units. Steps beyond the data's last frame use its last
// frame spacing as dt.
std::vector<float> rollout_trajectory(Model& model, const datasets::TrajectoryReader& reader,
                                      const datasets::Normalisation& norm, long long trajectory,
                                      int steps);

}  // namespace fieldlab::nn
