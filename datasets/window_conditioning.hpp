#pragma once
// The scalars a conditioned model takes per window, read once from the file: dt, the time from a
// window's last input frame to its first target frame (from the file's frame times, so unevenly
// spaced or per-trajectory times give each window its own dt), and optionally one scalar PDE
// parameter per trajectory (e.g. PDEArena's buo_y, smoke2d's diagnostics/buoyancy_y, PDEBench's
// dam_radius). Where each layout keeps them: TrajectoryReader::trajectory_times / _parameter.

#include <string>
#include <vector>

#include "datasets/trajectory_reader.hpp"

namespace fieldlab::datasets {

// What a model is conditioned on.
struct ConditioningRequest {
  bool dt = false;
  std::string parameter;  // "" for none
  bool any() const { return dt || !parameter.empty(); }
};

class WindowConditioning {
 public:
  WindowConditioning() = default;
  // Reads the values of every finished trajectory. A file that lacks them is a usage error naming
  // what is missing; a non-finite value, or frame times that do not increase, is a numerical
  // error naming the trajectory.
  WindowConditioning(const TrajectoryReader& reader, const ConditioningRequest& request);

  const ConditioningRequest& request() const { return request_; }
  // t[target] - t[target - 1] of `trajectory` (target >= 1). Past the file's last frame (a
  // rollout predicting beyond the data) the last spacing continues.
  double dt(long long trajectory, long long target) const;
  double parameter(long long trajectory) const;

 private:
  ConditioningRequest request_;
  long long frames_ = 0;
  // Frame times, one row of T per trajectory, or one shared row when the layout has one.
  std::vector<double> times_;
  bool shared_times_ = false;
  std::vector<double> parameter_;
};

}  // namespace fieldlab::datasets
