#pragma once
// Read access to trajectory files, whatever their layout: fieldlab's native layout
// (trajectory_writer.hpp), and (through further readers) the PDEArena and PDEBench layouts.
// A reader exposes fields as (N, T, nx, ny) arrays read a frame or a run of consecutive frames at
// a time (one HDF5 hyperslab), so memory stays bounded by a window however large the file is.
// It also finds the values a conditioned model needs per trajectory: frame times (for dt) and
// scalar PDE parameters, wherever the layout keeps them (docs/datasets.md, "Conditioning").

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "datasets/io/hdf5_io.hpp"

namespace fieldlab::datasets {

class FieldDatasets;

struct TrajectoryShape {
  long long trajectories = 0;
  long long frames = 0;
  int nx = 0;
  int ny = 0;
};

class TrajectoryReader {
 public:
  virtual ~TrajectoryReader() = default;
  virtual std::string layout() const = 0;  // "native", "pdearena", "pdebench"
  virtual std::vector<std::string> fields() const = 0;
  virtual TrajectoryShape shape() const = 0;
  virtual std::string storage_type(const std::string& field) const = 0;
  // Which trajectories hold finished data (all, for layouts without a completion record).
  virtual std::vector<std::uint8_t> completed() const = 0;
  virtual bool complete() const = 0;
  virtual std::vector<double> x() const = 0;
  virtual std::vector<double> y() const = 0;
  virtual std::vector<double> t() const = 0;
  // nx * ny values of one frame in [x, y] row-major order.
  virtual void read_frame(const std::string& field, long long trajectory, long long frame,
                          double* out) const = 0;
  // `count` consecutive frames first .. first + count - 1 of one trajectory, count * nx * ny
  // values frame after frame, in one HDF5 read where the layout allows (the default loops).
  virtual void read_frames(const std::string& field, long long trajectory, long long first,
                           long long count, double* out) const;
  // The same as float32, for callers that hand float32 fields on as stored (Python's
  // fieldlab.open): layouts whose fields are float32 datasets read them without a round trip
  // through doubles; the default reads doubles and narrows them (exact for float32 data).
  virtual void read_frames_float(const std::string& field, long long trajectory, long long first,
                                 long long count, float* out) const;
  // The T frame times of one trajectory. A usage error naming what is missing when the file
  // stores none (conditioning on dt needs them).
  virtual std::vector<double> trajectory_times(long long trajectory) const;
  // The scalar PDE parameter `name` of every trajectory (N values). A usage error naming where
  // it was looked for when the file has none.
  virtual std::vector<double> trajectory_parameter(const std::string& name) const = 0;
  // File-level attributes rendered as text, for `fieldlab info`.
  virtual std::vector<std::pair<std::string, std::string>> attributes() const = 0;
  const std::string& path() const { return path_; }

 protected:
  // Usage error unless 0 <= trajectory < N and 0 <= frame < T.
  void check_frame_index(long long trajectory, long long frame) const;
  // The same for frames first .. first + count - 1 (count >= 1).
  void check_frame_range(long long trajectory, long long first, long long count) const;
  std::string path_;
};

// Opens any supported layout read-only; throws an io Error naming the file when it is missing,
// not HDF5, truncated, or of no known layout.
std::unique_ptr<TrajectoryReader> open_trajectories(const std::string& path);

// fieldlab's own layout.
class NativeTrajectoryReader : public TrajectoryReader {
 public:
  explicit NativeTrajectoryReader(const std::string& path);
  static bool recognises(hid_t file);
  std::string layout() const override { return "native"; }
  std::vector<std::string> fields() const override;
  TrajectoryShape shape() const override;
  std::string storage_type(const std::string& field) const override;
  std::vector<std::uint8_t> completed() const override;
  bool complete() const override;
  std::vector<double> x() const override;
  std::vector<double> y() const override;
  std::vector<double> t() const override;
  void read_frame(const std::string& field, long long trajectory, long long frame,
                  double* out) const override;
  void read_frames(const std::string& field, long long trajectory, long long first, long long count,
                   double* out) const override;
  void read_frames_float(const std::string& field, long long trajectory, long long first,
                         long long count, float* out) const override;
  // /t, shared by every trajectory.
  std::vector<double> trajectory_times(long long trajectory) const override;
  // /diagnostics/NAME (N, T) at frame 0 (e.g. smoke2d's buoyancy_y), else a numeric root
  // attribute NAME (the same for every trajectory).
  std::vector<double> trajectory_parameter(const std::string& name) const override;
  std::vector<std::pair<std::string, std::string>> attributes() const override;
  // Per-frame diagnostics (N, T) of one name, or empty when the file has none.
  std::vector<double> diagnostic(const std::string& name) const;
  ~NativeTrajectoryReader() override;

 private:
  io::H5Handle file_;
  std::unique_ptr<FieldDatasets> fields_;
};

}  // namespace fieldlab::datasets
