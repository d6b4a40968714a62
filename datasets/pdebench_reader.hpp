#pragma once
// Reads PDEBench's per-sample layout (pdebench_writer.hpp): groups named by digits ("0000", ...)
// each holding `data` (T, nx, ny, C) and `grid/{x,y,t}`. Works on files written by PDEBench
// itself (channels then named "data" for C == 1, "data_0".. otherwise) and by fieldlab (channel
// names from the root "channels" attribute, completion from each sample's `completed` flag).

#include "datasets/trajectory_reader.hpp"

namespace fieldlab::datasets {

class PdeBenchTrajectoryReader : public TrajectoryReader {
 public:
  explicit PdeBenchTrajectoryReader(const std::string& path);
  static bool recognises(hid_t file);
  std::string layout() const override { return "pdebench"; }
  std::vector<std::string> fields() const override { return channels_; }
  TrajectoryShape shape() const override { return shape_; }
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
  // The sample's grid/t.
  std::vector<double> trajectory_times(long long trajectory) const override;
  // Per sample: a numeric attribute NAME of its group, else a `NAME: value` line of its `config`
  // attribute (the generating configuration, e.g. dam_radius), else a numeric root attribute.
  std::vector<double> trajectory_parameter(const std::string& name) const override;
  std::vector<std::pair<std::string, std::string>> attributes() const override;
  const std::vector<std::string>& sample_names() const { return samples_; }

 private:
  int channel(const std::string& field) const;
  io::H5Handle file_;
  std::vector<std::string> samples_;  // group names, sorted as PDEBench's loaders sort them
  std::vector<io::H5Handle> data_;
  std::vector<std::string> channels_;
  TrajectoryShape shape_;
};

}  // namespace fieldlab::datasets
