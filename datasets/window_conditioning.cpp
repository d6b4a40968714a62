#include "datasets/window_conditioning.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::datasets {

WindowConditioning::WindowConditioning(const TrajectoryReader& reader,
                                       const ConditioningRequest& request)
    : request_(request) {
  const auto shape = reader.shape();
  frames_ = shape.frames;
  const auto done = reader.completed();
  if (request_.dt) {
    require(frames_ >= 2, "'{}': dt conditioning needs at least 2 frames per trajectory",
            reader.path());
    // The native layout has one time axis for all trajectories; the others store one per
    // trajectory (PDEArena t (N, T), PDEBench grid/t per sample).
    shared_times_ = reader.layout() == "native";
    const long long rows = shared_times_ ? 1 : shape.trajectories;
    times_.assign(static_cast<std::size_t>(rows * frames_), 0.0);
    for (long long n = 0; n < rows; ++n) {
      if (!shared_times_ && !done[n]) continue;
      const auto t = reader.trajectory_times(n);
      for (long long f = 1; f < frames_; ++f)
        if (!(std::isfinite(t[f]) && std::isfinite(t[f - 1]) && t[f] > t[f - 1]))
          fail(ErrorKind::numerical,
               "'{}': frame times of trajectory {} do not increase at frame {} ({} -> {}), so "
               "dt is undefined",
               reader.path(), n, f, t[f - 1], t[f]);
      std::copy(t.begin(), t.end(), times_.begin() + n * frames_);
    }
  }
  if (!request_.parameter.empty()) {
    parameter_ = reader.trajectory_parameter(request_.parameter);
    for (long long n = 0; n < shape.trajectories; ++n)
      if (done[n] && !std::isfinite(parameter_[n]))
        fail(ErrorKind::numerical, "'{}': PDE parameter '{}' of trajectory {} is {}", reader.path(),
             request_.parameter, n, parameter_[n]);
  }
}

double WindowConditioning::dt(long long trajectory, long long target) const {
  const double* t = times_.data() + (shared_times_ ? 0 : trajectory * frames_);
  const long long f = std::clamp<long long>(target, 1, frames_ - 1);
  return t[f] - t[f - 1];
}

double WindowConditioning::parameter(long long trajectory) const { return parameter_[trajectory]; }

}  // namespace fieldlab::datasets
