#pragma once
// Streaming one solved sample into a native (TrajectoryWriter) or PDEBench-layout (PdeBenchWriter)
// file, shared by the generators whose solvers hand out frames through a FrameSink (dambreak2d,
// swe2d): the solve function differs, the writing around it does not.

#include <functional>
#include <vector>

#include "datasets/pdebench_writer.hpp"
#include "datasets/trajectory_writer.hpp"

namespace fieldlab::datasets {

// Receives frame `frame` of field `field` (index into the field list): nx * ny values, [x, y].
using FrameSink = std::function<void(long long frame, int field, const double* values)>;

// The PDEBench layout with the grid, times and fields (as channels) of a native layout.
inline PdeBenchLayout pdebench_layout_of(const TrajectoryLayout& native) {
  PdeBenchLayout layout;
  layout.channels = native.fields;
  layout.samples = native.trajectories;
  layout.frames = native.frames;
  layout.nx = native.nx;
  layout.ny = native.ny;
  layout.dtype = native.dtype;
  layout.x = native.x;
  layout.y = native.y;
  layout.t = native.t;
  return layout;
}

// `solve(sink, diagnostics)` solves sample `index` into `sink` (filling the per-frame diagnostics
// when given one) and returns false when interrupted part way. These stream its frames into the
// writer and mark the sample complete only when it finished (native files: diagnostics too).
template <typename Solve>
bool write_native_sample(TrajectoryWriter& writer, long long index, Solve&& solve) {
  std::vector<std::vector<double>> diagnostics;
  const FrameSink sink = [&](long long frame, int field, const double* values) {
    writer.write_frame(index, frame, field, values);
  };
  if (!solve(sink, &diagnostics)) return false;
  for (size_t d = 0; d < diagnostics.size(); ++d)
    writer.write_diagnostic(index, static_cast<int>(d), diagnostics[d].data());
  writer.mark_complete(index);
  return true;
}

template <typename Solve>
bool write_pdebench_sample(PdeBenchWriter& writer, long long index, Solve&& solve) {
  const FrameSink sink = [&](long long frame, int field, const double* values) {
    writer.write_frame(index, frame, field, values);
  };
  if (!solve(sink, static_cast<std::vector<std::vector<double>>*>(nullptr))) return false;
  writer.mark_complete(index);
  return true;
}

}  // namespace fieldlab::datasets
