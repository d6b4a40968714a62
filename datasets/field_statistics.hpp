#pragma once
// Per-field summary statistics streamed frame by frame (memory: one frame).

#include <string>

#include "datasets/trajectory_reader.hpp"

namespace fieldlab::datasets {

struct FieldStatistics {
  double min = 0, max = 0, mean = 0, std = 0;
  long long count = 0;       // values summarised
  long long non_finite = 0;  // NaN or Inf values seen (excluded from the moments)
};

// Statistics of one field over the completed trajectories (all, for layouts without a record).
FieldStatistics field_statistics(const TrajectoryReader& reader, const std::string& field);

}  // namespace fieldlab::datasets
