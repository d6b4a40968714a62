// Dam-break and swe2d data: PDEBench layout round trip, resume after a crash, determinism across
// thread counts, reading third-party PDEBench files.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "datasets/generate/ensemble.hpp"
#include "datasets/generate/swe2d_ensemble.hpp"
#include "datasets/pdebench_reader.hpp"
#include "datasets/trajectory_reader.hpp"

using namespace fieldlab;
using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

std::string temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "fieldlab_swe_tests";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  fs::remove(p.string() + ".partial");
  return p.string();
}

DamBreak2dConfig small_dambreak() {
  DamBreak2dConfig c;
  c.solver.nx = c.solver.ny = 32;
  c.frames = 6;
  c.t_end = 0.5;
  c.samples = 3;
  c.seed = 11;
  return c;
}

std::vector<double> all_frames(const TrajectoryReader& r, const std::string& field) {
  const auto s = r.shape();
  std::vector<double> values(static_cast<size_t>(s.trajectories * s.frames) * s.nx * s.ny);
  for (long long n = 0; n < s.trajectories; ++n)
    for (long long k = 0; k < s.frames; ++k)
      r.read_frame(field, n, k,
                   values.data() + static_cast<size_t>(n * s.frames + k) * s.nx * s.ny);
  return values;
}

}  // namespace

TEST_CASE("dambreak2d: PDEBench layout and native layout hold the same data") {
  const DamBreak2dConfig c = small_dambreak();
  const std::string native_path = temp_path("db_native.h5"), bench_path = temp_path("db.h5");
  {
    auto writer = TrajectoryWriter::create(native_path, dambreak2d_layout(c, StorageType::float32),
                                           dambreak2d_attributes(c), "id", false);
    run_ensemble(
        writer.pending(), 2, [&](long long i) { return solve_dambreak2d_trajectory(c, i, writer); },
        nullptr);
    writer.finish();
  }
  {
    auto writer = PdeBenchWriter::create(
        bench_path, dambreak2d_pdebench_layout(c, StorageType::float32), dambreak2d_attributes(c),
        [&](long long i) { return dambreak2d_sample_config(c, i); }, "id", false);
    run_ensemble(
        writer.pending(), 1, [&](long long i) { return solve_dambreak2d_pdebench(c, i, writer); },
        nullptr);
    writer.finish();
  }
  auto native = open_trajectories(native_path);
  auto bench = open_trajectories(bench_path);
  CHECK(native->layout() == "native");
  CHECK(bench->layout() == "pdebench");
  CHECK(bench->fields() == std::vector<std::string>{"h"});
  CHECK(bench->complete());
  CHECK(bench->shape().trajectories == 3);
  CHECK(bench->shape().frames == 6);
  CHECK(bench->storage_type("h") == "float32");
  CHECK(bench->t().back() == doctest::Approx(0.5));
  CHECK(bench->x().front() == doctest::Approx(-2.5 + 2.5 / 32).epsilon(1e-6));
  // Same solves, 2 threads vs 1 thread, two layouts: identical values.
  CHECK(all_frames(*native, "h") == all_frames(*bench, "h"));
  const auto* reader = dynamic_cast<const PdeBenchTrajectoryReader*>(bench.get());
  REQUIRE(reader);
  CHECK(reader->sample_names() == std::vector<std::string>{"0000", "0001", "0002"});
  bool has_config = false;
  for (const auto& [name, value] : bench->attributes())
    if (name == "0000/config") has_config = value.find("dam_radius") != std::string::npos;
  CHECK(has_config);
  // Radii differ per sample and lie in PDEBench's range.
  CHECK(c.radius(0) != c.radius(1));
  for (long long i = 0; i < 3; ++i) CHECK((c.radius(i) >= 0.3 && c.radius(i) <= 0.7));
}

TEST_CASE("PDEBench writer: a crash leaves finished samples readable; resume completes the file") {
  const DamBreak2dConfig c = small_dambreak();
  const std::string path = temp_path("db_resume.h5");
  const auto layout = dambreak2d_pdebench_layout(c, StorageType::float32);
  auto config_of = [&](long long i) { return dambreak2d_sample_config(c, i); };
  {
    auto writer = PdeBenchWriter::create(path, layout, {}, config_of, "identity-1", false);
    solve_dambreak2d_pdebench(c, 1, writer);
    // Destroyed without finish(): as if the process died after sample 1.
  }
  CHECK_FALSE(fs::exists(path));
  REQUIRE(fs::exists(path + ".partial"));
  {
    auto partial = open_trajectories(path + ".partial");
    CHECK(partial->layout() == "pdebench");
    CHECK_FALSE(partial->complete());
    CHECK(partial->completed() == std::vector<std::uint8_t>{0, 1, 0});
  }
  CHECK_THROWS_AS(PdeBenchWriter::create(path, layout, {}, config_of, "identity-1", false), Error);
  CHECK_THROWS_AS(PdeBenchWriter::resume(path, layout, "identity-2"), Error);
  auto writer = PdeBenchWriter::resume(path, layout, "identity-1");
  CHECK(writer.pending() == std::vector<long long>{0, 2});
  for (long long i : writer.pending()) solve_dambreak2d_pdebench(c, i, writer);
  writer.finish();
  auto done = open_trajectories(path);
  CHECK(done->complete());
  std::vector<double> frame(32 * 32);
  done->read_frame("h", 2, 0, frame.data());
  CHECK(*std::max_element(frame.begin(), frame.end()) == 2.0);
}

TEST_CASE("PDEBench reader: files written by PDEBench itself (no fieldlab attributes)") {
  const std::string path = temp_path("third_party.h5");
  const int t = 3, nx = 4, ny = 5;
  {
    std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
    auto file = create_file(path);
    for (const char* sample : {"0001", "0000"}) {
      auto group = create_group(file.id(), sample);
      std::vector<double> data(t * nx * ny * 2);
      for (size_t k = 0; k < data.size(); ++k) data[k] = static_cast<double>(k % 97);
      write_dataset(group.id(), "data", data, {t, nx, ny, 2}, H5T_IEEE_F32LE);
      auto grid = create_group(group.id(), "grid");
      write_dataset(grid.id(), "x", std::vector<double>(nx, 0.5), {nx}, H5T_IEEE_F32LE);
      write_dataset(grid.id(), "y", std::vector<double>(ny, 0.5), {ny}, H5T_IEEE_F32LE);
      write_dataset(grid.id(), "t", {0.0, 0.1, 0.2}, {t}, H5T_IEEE_F32LE);
    }
  }
  auto reader = open_trajectories(path);
  CHECK(reader->layout() == "pdebench");
  CHECK(reader->fields() == std::vector<std::string>{"data_0", "data_1"});
  CHECK(reader->complete());
  CHECK(reader->shape().trajectories == 2);
  CHECK(reader->shape().nx == nx);
  std::vector<double> frame(nx * ny);
  reader->read_frame("data_1", 0, 1, frame.data());
  // Element (t = 1, x = 0, y = 0, c = 1) of the row-major (T, nx, ny, C) array.
  CHECK(frame[0] == static_cast<double>((1 * nx * ny * 2 + 1) % 97));
  CHECK_THROWS_AS(reader->read_frame("h", 0, 0, frame.data()), Error);
}

TEST_CASE("swe2d: trajectories do not depend on the thread count") {
  Swe2dConfig c;
  c.solver.nx = c.solver.ny = 32;
  c.trajectories = 2;
  c.frames = 3;
  c.dt_out = 0.05;
  for (auto initial : {solvers::SweCgridInitial::balanced_random, solvers::SweCgridInitial::jet,
                       solvers::SweCgridInitial::adjustment}) {
    c.initial = initial;
    std::vector<std::vector<double>> runs;
    for (int threads : {1, 2}) {
      std::vector<double> values;
      set_threads(threads);
      for (long long i = 0; i < c.trajectories; ++i)
        solve_swe2d_sample(c, i, [&](long long, int, const double* v) {
          values.insert(values.end(), v, v + 32 * 32);
        });
      runs.push_back(values);
    }
    set_threads(0);
    CHECK(runs[0] == runs[1]);
  }
  Swe2dConfig bad = c;
  bad.fields = {"pressure"};
  CHECK_THROWS_AS(bad.validate(), Error);
  bad = c;
  bad.solver.f0 = 0;
  bad.initial = solvers::SweCgridInitial::balanced_random;
  CHECK_THROWS_AS(bad.validate(), Error);
  DamBreak2dConfig db;
  db.h_out = 0;
  CHECK_THROWS_AS(db.validate(), Error);
  db = DamBreak2dConfig{};
  db.radius_min = 0.8;
  CHECK_THROWS_AS(db.validate(), Error);
}
