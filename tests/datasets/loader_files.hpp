#pragma once
// Small trajectory files in all three layouts for the loader tests: a distinct value for every
// (trajectory, frame, field, x, y), unevenly spaced frame times (so each window has its own dt),
// trajectory 3 with its own times where the layout stores times per trajectory, and one scalar
// PDE parameter per trajectory where each layout keeps it (native diagnostics/buoyancy_y,
// PDEArena buo_y, PDEBench's per-sample config line dam_radius).

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "datasets/pdearena_writer.hpp"
#include "datasets/pdebench_writer.hpp"
#include "datasets/trajectory_writer.hpp"
#include "support/temp_paths.hpp"

namespace loader_files {

using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

constexpr int kN = 7, kT = 6, kX = 8, kY = 4;

using fieldlab::test::temp_path;

inline double value(long long n, long long t, int f, int i, int j) {
  return std::sin(0.3 * i + 0.7 * j + 0.11 * n) * (f + 1) + 0.05 * t + 2.0 * f + 0.001 * n;
}

inline void fill(long long n, long long t, int f, std::vector<double>& v) {
  for (int i = 0; i < kX; ++i)
    for (int j = 0; j < kY; ++j) v[i * kY + j] = value(n, t, f, i, j);
}

inline std::vector<double> axis(int n) {
  std::vector<double> a(n);
  for (int i = 0; i < n; ++i) a[i] = i;
  return a;
}

// Frame times: spacings 0.5, 1.0, 1.5, ... (every window of a trajectory sees another dt).
inline std::vector<double> shared_times() {
  std::vector<double> t(kT, 0.0);
  for (int f = 1; f < kT; ++f) t[f] = t[f - 1] + 0.5 * f;
  return t;
}

// The times of trajectory n as written: PDEArena and PDEBench store them per trajectory, and
// trajectory 3 gets its own (twice the spacing, shifted); the native layout has one time axis.
inline std::vector<double> times_of(const std::string& layout, long long n) {
  auto t = shared_times();
  if (layout != "native" && n == 3)
    for (auto& v : t) v = 2 * v + 10;
  return t;
}

inline double parameter_of(long long n) { return 0.2 + 0.05 * n; }

inline std::string parameter_name(const std::string& layout) {
  return layout == "native" ? "buoyancy_y" : layout == "pdearena" ? "buo_y" : "dam_radius";
}

// Writes a small file in `layout`; returns its path and the field names in the file's order. A
// non-zero `poison` replaces one value of field 1 at trajectory 3, frame 4 (native only).
inline std::pair<std::string, std::vector<std::string>> write_file(const std::string& layout,
                                                                   double poison = 0) {
  std::vector<double> v(kX * kY);
  if (layout == "native") {
    const std::string path = temp_path("loader_native.h5");
    TrajectoryLayout l;
    l.fields = {"a", "b"};
    l.diagnostics = {"buoyancy_y"};
    l.trajectories = kN;
    l.frames = kT;
    l.nx = kX;
    l.ny = kY;
    l.x = axis(kX), l.y = axis(kY), l.t = shared_times();
    auto w = TrajectoryWriter::create(path, l, {}, "", true);
    for (long long n = 0; n < kN; ++n) {
      for (long long t = 0; t < kT; ++t)
        for (int f = 0; f < 2; ++f) {
          fill(n, t, f, v);
          if (poison != 0 && n == 3 && t == 4 && f == 1) v[5] = poison;
          w.write_frame(n, t, f, v.data());
        }
      const std::vector<double> parameter(kT, parameter_of(n));
      w.write_diagnostic(n, 0, parameter.data());
      w.mark_complete(n);
    }
    w.finish();
    return {path, l.fields};
  }
  if (layout == "pdearena") {
    const std::string path = temp_path("loader_train_pdearena.h5");
    PdeArenaLayout l;
    l.trajectories = kN;
    l.frames = kT;
    l.nx = kX;
    l.ny = kY;
    l.x = axis(kX), l.y = axis(kY), l.t = shared_times();
    l.dt = l.dx = l.dy = 1;
    auto w = PdeArenaWriter::create(path, l, {}, "", true);
    for (long long n = 0; n < kN; ++n) {
      for (long long t = 0; t < kT; ++t)
        for (int f = 0; f < 3; ++f) {
          fill(n, t, f, v);
          w.write_frame(n, t, f, v.data());
        }
      w.write_buoyancy(n, parameter_of(n));
      w.mark_complete(n);
    }
    w.finish();
    {
      H5Handle file = open_file(path, true);
      H5Handle t = open_dataset(file.id(), "train/t");
      const auto own = times_of(layout, 3);
      write_block(t.id(), {3, 0}, {1, kT}, own.data());
    }
    return {path, {"u", "vx", "vy"}};
  }
  const std::string path = temp_path("loader_pdebench.h5");
  PdeBenchLayout l;
  l.channels = {"h", "u"};
  l.samples = kN;
  l.frames = kT;
  l.nx = kX;
  l.ny = kY;
  l.x = axis(kX), l.y = axis(kY), l.t = shared_times();
  auto w = PdeBenchWriter::create(
      path, l, {},
      [](long long n) {
        return "sim:\n  name: radial_dam_break\n  dam_radius: " + std::to_string(parameter_of(n)) +
               "\n";
      },
      "", true);
  for (long long n = 0; n < kN; ++n) {
    for (long long t = 0; t < kT; ++t)
      for (int f = 0; f < 2; ++f) {
        fill(n, t, f, v);
        w.write_frame(n, t, f, v.data());
      }
    w.mark_complete(n);
  }
  w.finish();
  {
    H5Handle file = open_file(path, true);
    H5Handle t = open_dataset(file.id(), "0003/grid/t");
    const auto own = times_of(layout, 3);
    write_block(t.id(), {0}, {kT}, own.data());
  }
  return {path, l.channels};
}

// Where each layout keeps the frame times of trajectory 0 (to delete it in error tests).
inline std::string times_object(const std::string& layout) {
  return layout == "native" ? "t" : layout == "pdearena" ? "train/t" : "0000/grid/t";
}

}  // namespace loader_files
