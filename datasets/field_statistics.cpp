#include "datasets/field_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fieldlab::datasets {

FieldStatistics field_statistics(const TrajectoryReader& reader, const std::string& field) {
  const TrajectoryShape shape = reader.shape();
  const auto completed = reader.completed();
  std::vector<double> frame(static_cast<size_t>(shape.nx) * shape.ny);
  FieldStatistics s;
  s.min = std::numeric_limits<double>::infinity();
  s.max = -std::numeric_limits<double>::infinity();
  // Chan et al.'s pairwise update merges each frame's moments: stable for large files.
  double mean = 0, m2 = 0;
  for (long long n = 0; n < shape.trajectories; ++n) {
    if (!completed[n]) continue;
    for (long long k = 0; k < shape.frames; ++k) {
      reader.read_frame(field, n, k, frame.data());
      double frame_sum = 0;
      long long frame_count = 0;
      for (double v : frame) {
        if (!std::isfinite(v)) {
          ++s.non_finite;
          continue;
        }
        frame_sum += v;
        ++frame_count;
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
      }
      if (frame_count == 0) continue;
      const double frame_mean = frame_sum / frame_count;
      double frame_m2 = 0;
      for (double v : frame)
        if (std::isfinite(v)) frame_m2 += (v - frame_mean) * (v - frame_mean);
      const long long total = s.count + frame_count;
      const double delta = frame_mean - mean;
      mean += delta * frame_count / total;
      m2 += frame_m2 + delta * delta * static_cast<double>(s.count) * frame_count / total;
      s.count = total;
    }
  }
  if (s.count == 0) {
    s.min = s.max = std::numeric_limits<double>::quiet_NaN();
    s.mean = s.std = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  s.mean = mean;
  s.std = std::sqrt(m2 / s.count);
  return s;
}

}  // namespace fieldlab::datasets
