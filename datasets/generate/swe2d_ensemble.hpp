#pragma once
// Ensembles of rotating shallow-water trajectories (solvers/swe_cgrid.hpp) on a doubly periodic
// plane: trajectory i starts from the initial condition drawn with derive_seed(seed, i) and is
// written at t = 0, dt_out, ..., in fieldlab's native layout or PDEBench's per-sample layout.
// Fields are interpolated to cell centres: eta (= h - H), h, u, v, vorticity.

#include <string>
#include <vector>

#include "core/stop_token.hpp"
#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "solvers/swe_cgrid.hpp"

namespace fieldlab::datasets {

struct Swe2dConfig {
  solvers::SweCgridConfig solver;
  solvers::SweCgridInitial initial = solvers::SweCgridInitial::balanced_random;
  double amplitude = 0.05;      // rms eta of random states / bump height (adjustment)
  double spectrum_alpha = 3.0;  // random eta ~ (-lap + tau^2)^(-alpha / 2) white noise
  double spectrum_tau = 15.0;
  double jet_speed = 0.1;    // jet: U of u = U sin(k y)
  int jet_mode = 1;          // jet: k = 2 pi mode / ly
  double bump_width = 0.05;  // adjustment: Gaussian width
  long long trajectories = 8;
  long long frames = 21;
  double dt_out = 0.05;
  unsigned long long seed = 0;
  std::vector<std::string> fields = {"eta", "u", "v", "vorticity"};

  void validate() const;
};

const std::vector<std::string>& swe2d_diagnostics();
TrajectoryLayout swe2d_layout(const Swe2dConfig& config, io::StorageType dtype);
PdeBenchLayout swe2d_pdebench_layout(const Swe2dConfig& config, io::StorageType dtype);
std::vector<io::Attribute> swe2d_attributes(const Swe2dConfig& config);
// The run identity (datasets/generation_identity.hpp) of this configuration written in `layout`
// (native or pdebench) as `dtype`.
std::string swe2d_identity(const Swe2dConfig& config, FileLayout layout, io::StorageType dtype);
std::string swe2d_sample_config(const Swe2dConfig& config, long long index);

// Initial staggered state of trajectory `index`.
void swe2d_initial_state(const Swe2dConfig& config, long long index, solvers::Field& h,
                         solvers::Field& u, solvers::Field& v);

bool solve_swe2d_sample(const Swe2dConfig& config, long long index, const FrameSink& sink,
                        std::vector<std::vector<double>>* diagnostics = nullptr,
                        const StopToken& stop = {});
bool solve_swe2d_trajectory(const Swe2dConfig& config, long long index, TrajectoryWriter& writer,
                            const StopToken& stop = {});
bool solve_swe2d_pdebench(const Swe2dConfig& config, long long index, PdeBenchWriter& writer,
                          const StopToken& stop = {});

}  // namespace fieldlab::datasets
