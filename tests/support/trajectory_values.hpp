#pragma once
// Every value of a trajectory file (any layout the readers know), field by field, trajectory by
// trajectory, frame by frame, as doubles: what determinism and resume tests compare bit for bit.

#include <string>
#include <vector>

#include "datasets/trajectory_reader.hpp"

namespace fieldlab::test {

inline std::vector<double> all_values(const std::string& path) {
  auto reader = datasets::open_trajectories(path);
  const auto s = reader->shape();
  std::vector<double> values, frame(static_cast<std::size_t>(s.nx) * s.ny);
  for (const auto& f : reader->fields())
    for (long long n = 0; n < s.trajectories; ++n)
      for (long long k = 0; k < s.frames; ++k) {
        reader->read_frame(f, n, k, frame.data());
        values.insert(values.end(), frame.begin(), frame.end());
      }
  return values;
}

}  // namespace fieldlab::test
