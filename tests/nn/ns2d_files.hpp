#pragma once
// Test data shared by the training tests: fresh temporary paths and small ns2d trajectory files.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/trajectory_writer.hpp"

namespace fieldlab::test {

// A path under the system temp folder's `folder`, with any file (and .partial) of that name gone.
inline std::string fresh_temp_path(const std::string& folder, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / folder;
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  fs::remove(p.string() + ".partial");
  return p.string();
}

// Periodic ns2d (FNO forcing) at resolution^2, float32, written to `path`; with_attributes adds the
// run's root attributes (e.g. viscosity, read by parameter conditioning).
inline std::string write_ns2d_file(const std::string& path, int resolution, long long trajectories,
                                   int frames, double dt_out, unsigned long long seed,
                                   bool with_attributes = false) {
  datasets::Ns2dEnsembleConfig c;
  c.solver.resolution = resolution;
  c.trajectories = trajectories;
  c.frames = frames;
  c.dt_out = dt_out;
  c.seed = seed;
  auto w = datasets::TrajectoryWriter::create(
      path, datasets::ns2d_layout(c, io::StorageType::float32),
      with_attributes ? datasets::ns2d_attributes(c) : std::vector<io::Attribute>{}, "", true);
  REQUIRE(datasets::generate_ns2d(c, w, 1, nullptr) == datasets::EnsembleOutcome::finished);
  w.finish();
  return path;
}

}  // namespace fieldlab::test
