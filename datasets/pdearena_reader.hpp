#pragma once
// Reads PDEArena NavierStokes-2D files (theirs, or ours from PdeArenaWriter): one group named
// train, valid or test holding u, vx, vy (N, T, nx, ny) and t (N, T), x (N, nx), y (N, ny),
// dt, dx, dy, buo_y (N,). The coordinates of trajectory 0 stand for all (they are identical in
// both generators). Files without our `completed` mask count every trajectory as complete.

#include "datasets/field_datasets.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::datasets {

class PdeArenaTrajectoryReader : public TrajectoryReader {
 public:
  explicit PdeArenaTrajectoryReader(const std::string& path);
  // The split group of a PDEArena file ("" when the file is not one).
  static std::string split_group(hid_t file);
  static bool recognises(hid_t file) { return !split_group(file).empty(); }

  std::string layout() const override { return "pdearena"; }
  std::vector<std::string> fields() const override { return fields_.names(); }
  TrajectoryShape shape() const override { return fields_.shape(); }
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
  // Row `trajectory` of {split}/t (N, T): the frame times (PDEArena's `dt` is the solver's
  // step, not the spacing of the stored frames, so dt conditioning uses t).
  std::vector<double> trajectory_times(long long trajectory) const override;
  // {split}/NAME (N,) (e.g. buo_y), else a numeric root attribute NAME.
  std::vector<double> trajectory_parameter(const std::string& name) const override;
  std::vector<std::pair<std::string, std::string>> attributes() const override;
  const std::string& split() const { return split_; }
  // Per-trajectory scalars (dt, dx, dy, buo_y); empty when absent.
  std::vector<double> per_trajectory(const std::string& name) const;

 private:
  std::vector<double> first_row(const std::string& name, size_t length) const;
  io::H5Handle file_;
  std::string split_;
  FieldDatasets fields_;
};

}  // namespace fieldlab::datasets
