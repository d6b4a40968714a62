// PDEArena layout: our writer's file read back through open_trajectories (shape, coordinates,
// values, buoyancy, crash-safe partial state, resume), a file laid out like PDEArena's own, and
// the file-name/split rules.

#include <doctest/doctest.h>

#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/pdearena_reader.hpp"
#include "datasets/pdearena_writer.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path =
        fs::temp_directory_path() / ("fieldlab_incompressible_" + std::to_string(::getpid()) + "_" +
                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

Smoke2dConfig small_config() {
  Smoke2dConfig c;
  c.resolution = 32;
  c.length = 8.0;
  c.steps = 10;
  c.skip = 2;
  c.every = 2;
  c.trajectories = 3;
  c.buoyancy_min = 0.2;
  c.buoyancy_max = 0.5;
  return c;
}

PdeArenaLayout layout_for(const Smoke2dConfig& c, const std::string& split) {
  PdeArenaLayout layout;
  layout.split = split;
  layout.trajectories = c.trajectories;
  layout.frames = c.frames();
  layout.nx = layout.ny = c.resolution;
  layout.x = layout.y = c.cell_centres();
  layout.t = c.times();
  layout.dt = c.dt;
  layout.dx = layout.dy = c.length / c.resolution;
  return layout;
}

// Simulates trajectory i into the writer; also returns its frames for comparison.
std::vector<std::vector<double>> write_trajectory(const Smoke2dConfig& c, long long i,
                                                  PdeArenaWriter& writer, double& buoyancy) {
  std::vector<std::vector<double>> frames(c.frames() * 3);
  Smoke2dTrajectory result;
  REQUIRE(simulate_smoke2d(
      c, i,
      [&](long long frame, int field, const double* values) {
        writer.write_frame(i, frame, field, values);
        frames[frame * 3 + field].assign(values, values + c.resolution * c.resolution);
      },
      result));
  writer.write_buoyancy(i, result.buoyancy_y);
  writer.mark_complete(i);
  buoyancy = result.buoyancy_y;
  return frames;
}

}  // namespace

TEST_CASE("PDEArena layout: write, read back through open_trajectories, resume") {
  TempDir dir;
  const Smoke2dConfig c = small_config();
  const std::string path = dir.file("NavierStokes2D_valid_7_0.50000.h5");
  const PdeArenaLayout layout = layout_for(c, "valid");
  std::vector<std::vector<std::vector<double>>> expected(3);
  std::vector<double> buoyancy(3);
  {
    auto writer = PdeArenaWriter::create(path, layout, {{"note", "test"}}, "id-1", false);
    expected[0] = write_trajectory(c, 0, writer, buoyancy[0]);
    // Simulated crash: the writer goes away without finish(); the .partial file stays.
  }
  REQUIRE(fs::exists(partial_path(path)));
  {
    auto reader = open_trajectories(partial_path(path));
    CHECK(reader->layout() == "pdearena");
    CHECK_FALSE(reader->complete());
    CHECK(reader->completed() == std::vector<std::uint8_t>{1, 0, 0});
  }
  CHECK_THROWS_AS(PdeArenaWriter::resume(path, layout, "other-options"), fieldlab::Error);
  {
    auto writer = PdeArenaWriter::resume(path, layout, "id-1");
    CHECK(writer.pending() == std::vector<long long>{1, 2});
    for (long long i : writer.pending()) expected[i] = write_trajectory(c, i, writer, buoyancy[i]);
    writer.finish();
  }
  REQUIRE(fs::exists(path));
  CHECK_FALSE(fs::exists(partial_path(path)));

  auto reader = open_trajectories(path);
  REQUIRE(reader->layout() == "pdearena");
  CHECK(reader->complete());
  CHECK(reader->fields() == std::vector<std::string>{"u", "vx", "vy"});
  const TrajectoryShape s = reader->shape();
  CHECK(s.trajectories == 3);
  CHECK(s.frames == c.frames());
  CHECK(s.nx == 32);
  CHECK(s.ny == 32);
  CHECK(reader->storage_type("u") == "float64");
  CHECK(reader->x() == c.cell_centres());
  CHECK(reader->t() == c.times());
  std::vector<double> frame(32 * 32);
  const std::vector<std::string> names = {"u", "vx", "vy"};
  for (long long i = 0; i < 3; ++i)
    for (long long k = 0; k < s.frames; k += 2)
      for (int f = 0; f < 3; ++f) {
        reader->read_frame(names[f], i, k, frame.data());
        CHECK(frame == expected[i][k * 3 + f]);
      }
  const auto* arena = dynamic_cast<const PdeArenaTrajectoryReader*>(reader.get());
  REQUIRE(arena != nullptr);
  CHECK(arena->split() == "valid");
  CHECK(arena->per_trajectory("buo_y") == buoyancy);
  CHECK(arena->per_trajectory("dx") == std::vector<double>(3, 0.25));  // L / n, not L / (n - 1)
  CHECK(arena->per_trajectory("dt") == std::vector<double>(3, 1.5));

  // The raw layout, as PDEArena's loader sees it.
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  auto file = open_file(path, false);
  for (const char* name : {"u", "vx", "vy"})
    CHECK(dataset_info(open_dataset(file.id(), std::string("valid/") + name).id()).shape ==
          std::vector<hsize_t>{3, static_cast<hsize_t>(c.frames()), 32, 32});
  CHECK(dataset_info(open_dataset(file.id(), "valid/t").id()).shape ==
        std::vector<hsize_t>{3, static_cast<hsize_t>(c.frames())});
  CHECK(dataset_info(open_dataset(file.id(), "valid/x").id()).shape == std::vector<hsize_t>{3, 32});
  for (const char* name : {"dt", "dx", "dy", "buo_y"})
    CHECK(dataset_info(open_dataset(file.id(), std::string("valid/") + name).id()).shape ==
          std::vector<hsize_t>{3});
}

TEST_CASE("PDEArena layout: files written by PDEArena's generator are read") {
  // PDEArena's own quirks: float64 unchunked, x = linspace(0, L, n), dx = L / (n - 1), no
  // completion record, no attributes.
  TempDir dir;
  const std::string path = dir.file("NavierStokes2D_train_1_0.50000_100.h5");
  const hsize_t n = 2, t = 4, nx = 8;
  std::vector<double> values(n * t * nx * nx);
  std::iota(values.begin(), values.end(), 0.0);
  {
    std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
    auto file = create_file(path);
    auto group = create_group(file.id(), "train");
    for (const char* name : {"u", "vx", "vy"})
      write_dataset(group.id(), name, values, {n, t, nx, nx}, H5T_IEEE_F64LE);
    std::vector<double> x;
    for (hsize_t k = 0; k < n; ++k)
      for (hsize_t i = 0; i < nx; ++i) x.push_back(32.0 * i / (nx - 1));
    write_dataset(group.id(), "x", x, {n, nx}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "y", x, {n, nx}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "t", {18, 46, 74, 102, 18, 46, 74, 102}, {n, t}, H5T_IEEE_F64LE);
    write_dataset(group.id(), "buo_y", {0.5, 0.5}, {n}, H5T_IEEE_F64LE);
  }
  auto reader = open_trajectories(path);
  CHECK(reader->layout() == "pdearena");
  CHECK(reader->complete());
  CHECK(reader->completed() == std::vector<std::uint8_t>{1, 1});
  CHECK(reader->shape().frames == 4);
  CHECK(reader->x().back() == doctest::Approx(32.0));
  CHECK(reader->t() == std::vector<double>{18, 46, 74, 102});
  std::vector<double> frame(nx * nx);
  reader->read_frame("vy", 1, 2, frame.data());
  CHECK(frame[0] == values[(1 * t + 2) * nx * nx]);
  CHECK_THROWS_AS(reader->read_frame("smoke", 0, 0, frame.data()), fieldlab::Error);
  CHECK_THROWS_AS(reader->read_frame("u", 2, 0, frame.data()), fieldlab::Error);
}

TEST_CASE("PDEArena layout: split and file-name rules, no silent overwrite") {
  TempDir dir;
  const Smoke2dConfig c = small_config();
  CHECK_THROWS_AS(
      PdeArenaWriter::create(dir.file("smoke.h5"), layout_for(c, "train"), {}, "", false),
      fieldlab::Error);
  CHECK_THROWS_AS(
      PdeArenaWriter::create(dir.file("x_holdout.h5"), layout_for(c, "holdout"), {}, "", false),
      fieldlab::Error);
  const std::string path = dir.file("ns_test.h5");
  { auto w = PdeArenaWriter::create(path, layout_for(c, "test"), {}, "", false); }
  CHECK_THROWS_AS(PdeArenaWriter::create(path, layout_for(c, "test"), {}, "", false),
                  fieldlab::Error);  // an unfinished .partial exists
  CHECK_NOTHROW(PdeArenaWriter::create(path, layout_for(c, "test"), {}, "", true).abandon());
  CHECK_FALSE(fs::exists(partial_path(path)));
  CHECK_THROWS_AS(open_trajectories(dir.file("missing.h5")), fieldlab::Error);
}
