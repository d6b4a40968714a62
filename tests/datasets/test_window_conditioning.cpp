// Multi-frame reads, per-window conditioning values and windows per trajectory, on all three
// layouts: read_frames equals frame-by-frame reads bit for bit; a conditioned loader's dt and PDE
// parameter equal the file's (per trajectory where the layout stores them so); several windows
// per trajectory are distinct, counted, deterministic and resumable; bad requests are clear
// one-line errors.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_conditioning.hpp"
#include "datasets/window_loader.hpp"
#include "loader_files.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;
using namespace loader_files;

namespace {

Normalisation unit_norm(const std::vector<std::string>& fields) {
  return {fields, std::vector<double>(fields.size(), 0.0), std::vector<double>(fields.size(), 1.0)};
}

// A copy of `path` without HDF5 object `object`.
std::string without(const std::string& path, const std::string& object) {
  const std::string copy = temp_path("missing_" + fs::path(path).filename().string());
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
  H5Handle file = open_file(copy, true);
  REQUIRE(H5Ldelete(file.id(), object.c_str(), H5P_DEFAULT) >= 0);
  return copy;
}

}  // namespace

TEST_CASE("read_frames equals frame-by-frame reads on every layout") {
  for (const std::string layout : {"native", "pdearena", "pdebench"}) {
    CAPTURE(layout);
    const auto [path, names] = write_file(layout);
    auto reader = open_trajectories(path);
    const std::size_t n = kX * kY;
    std::vector<double> block(kT * n), frame(n);
    long long compared = 0;
    for (const auto& field : names)
      for (long long tr = 0; tr < kN; tr += 3)
        for (long long first = 0; first < kT; ++first)
          for (long long count = 1; first + count <= kT; ++count) {
            reader->read_frames(field, tr, first, count, block.data());
            for (long long k = 0; k < count; ++k) {
              reader->read_frame(field, tr, first + k, frame.data());
              CHECK(std::equal(frame.begin(), frame.end(), block.begin() + k * n));
              ++compared;
            }
          }
    CHECK(compared == static_cast<long long>(names.size()) * 3 * 56);
    CHECK_THROWS_WITH_AS(reader->read_frames(names[0], 0, kT - 2, 3, block.data()),
                         doctest::Contains("out of range"), fieldlab::Error);
    CHECK_THROWS_WITH_AS(reader->read_frames(names[0], 0, 0, 0, block.data()),
                         doctest::Contains("at least 1"), fieldlab::Error);
  }
}

TEST_CASE("conditioned windows carry the file's dt and PDE parameter on every layout") {
  for (const std::string layout : {"native", "pdearena", "pdebench"}) {
    CAPTURE(layout);
    const auto [path, names] = write_file(layout);
    auto reader = open_trajectories(path);
    WindowLoaderConfig cfg;
    cfg.fields = {names[0]};
    cfg.history = 2;
    cfg.batch = 5;
    cfg.seed = 3;
    cfg.windows_per_trajectory = 0;  // every window: every dt of every trajectory
    cfg.conditioning = {true, parameter_name(layout)};
    WindowLoader loader(*reader, cfg, unit_norm(cfg.fields));
    CHECK(loader.windows_per_epoch() == kN * (kT - 2));
    loader.start_epoch(0);
    int checked = 0;
    std::set<float> distinct_dt;
    while (const Batch* b = loader.next()) {
      REQUIRE(b->dt.size() == 5);
      REQUIRE(b->parameter.size() == 5);
      for (int s = 0; s < b->size; ++s) {
        const Window w = b->windows[s];
        const auto t = times_of(layout, w.trajectory);
        CHECK(b->dt[s] == static_cast<float>(t[w.start + 2] - t[w.start + 1]));
        CHECK(b->parameter[s] == static_cast<float>(parameter_of(w.trajectory)));
        distinct_dt.insert(b->dt[s]);
        ++checked;
      }
    }
    CHECK(checked == 25);  // 28 windows, batches of 5
    // Spacings 1.0, 1.5, 2.0, 2.5 (and twice those for PDEArena/PDEBench trajectory 3).
    CHECK(distinct_dt.size() >= 4);

    // Multi-step targets (unrolled training): one dt per target frame, step-major.
    cfg.future = 2;
    cfg.windows_per_trajectory = 1;
    WindowLoader multi(*reader, cfg, unit_norm(cfg.fields));
    multi.start_epoch(1);
    const Batch* mb = multi.next();
    REQUIRE(mb != nullptr);
    REQUIRE(mb->dt.size() == 2 * 5);
    for (int s = 0; s < mb->size; ++s)
      for (int j = 0; j < 2; ++j) {
        const Window w = mb->windows[s];
        const auto t = times_of(layout, w.trajectory);
        CHECK(mb->dt[j * 5 + s] == static_cast<float>(t[w.start + 2 + j] - t[w.start + 1 + j]));
      }

    // The table directly: past the last frame (a long rollout) the last spacing continues.
    WindowConditioning table(*reader, {true, ""});
    const auto t3 = times_of(layout, 3);
    CHECK(table.dt(3, kT - 1) == t3[kT - 1] - t3[kT - 2]);
    CHECK(table.dt(3, kT + 4) == t3[kT - 1] - t3[kT - 2]);
  }
}

TEST_CASE("missing or broken conditioning values are clear errors") {
  for (const std::string layout : {"native", "pdearena", "pdebench"}) {
    CAPTURE(layout);
    const auto [path, names] = write_file(layout);
    WindowLoaderConfig cfg;
    cfg.fields = {names[0]};
    cfg.history = 2;
    cfg.conditioning = {true, ""};
    {
      const std::string object = times_object(layout);
      auto reader = open_trajectories(without(path, object));
      try {
        WindowLoader(*reader, cfg, unit_norm(cfg.fields));
        FAIL("expected an error");
      } catch (const fieldlab::Error& e) {
        CHECK(e.kind() == fieldlab::ErrorKind::usage);
        const std::string m = e.what();
        CHECK(m.find("'" + object + "'") != std::string::npos);
        CHECK(m.find("dt conditioning") != std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
      }
    }
    auto reader = open_trajectories(path);
    cfg.conditioning = {true, "viscosity_ratio"};
    try {
      WindowLoader(*reader, cfg, unit_norm(cfg.fields));
      FAIL("expected an error");
    } catch (const fieldlab::Error& e) {
      CHECK(e.kind() == fieldlab::ErrorKind::usage);
      CHECK(std::string(e.what()).find("no PDE parameter 'viscosity_ratio'") != std::string::npos);
    }
  }
  // Frame times that do not increase make dt undefined: a numerical error naming the trajectory.
  const auto [path, names] = write_file("pdearena");
  {
    H5Handle file = open_file(path, true);
    H5Handle t = open_dataset(file.id(), "train/t");
    const std::vector<double> flat(kT, 1.0);
    write_block(t.id(), {5, 0}, {1, kT}, flat.data());
  }
  auto reader = open_trajectories(path);
  CHECK_THROWS_WITH_AS(WindowConditioning(*reader, {true, ""}),
                       doctest::Contains("trajectory 5 do not increase"), fieldlab::Error);
}

TEST_CASE("windows per trajectory: counts, distinct starts, determinism, resume, 'all'") {
  const auto [path, names] = write_file("native");
  auto reader = open_trajectories(path);
  WindowLoaderConfig cfg;
  cfg.fields = {"a"};
  cfg.history = 2;
  cfg.future = 1;  // 4 start times per trajectory
  cfg.batch = 4;
  cfg.seed = 9;
  cfg.background = false;
  cfg.windows_per_trajectory = 3;
  WindowLoader loader(*reader, cfg, unit_norm(cfg.fields));
  CHECK(loader.start_times() == 4);
  CHECK(loader.windows_per_epoch() == 3 * kN);
  CHECK(loader.batches_per_epoch() == 3 * kN / 4);

  const auto plan = loader.epoch_plan(2);
  REQUIRE(plan.size() == 3 * kN);
  std::map<long long, std::set<long long>> starts;
  for (const auto& w : plan) starts[w.trajectory].insert(w.start);
  CHECK(starts.size() == static_cast<std::size_t>(kN));
  for (const auto& [tr, s] : starts) CHECK(s.size() == 3);  // three distinct starts each
  // Deterministic per (seed, epoch); another epoch or seed gives another plan.
  const auto again = loader.epoch_plan(2), other = loader.epoch_plan(3);
  bool same = true, differ = false;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    same &= plan[i].trajectory == again[i].trajectory && plan[i].start == again[i].start;
    differ |= plan[i].trajectory != other[i].trajectory || plan[i].start != other[i].start;
  }
  CHECK(same);
  CHECK(differ);
  // Not merely one trajectory's windows in a row: the repeated trajectories are interleaved.
  int adjacent_same = 0;
  for (std::size_t i = 1; i < plan.size(); ++i)
    adjacent_same += plan[i].trajectory == plan[i - 1].trajectory;
  CHECK(adjacent_same < 10);

  // Resuming at batch 3 (background thread) gives the same batches as the run that got there.
  loader.start_epoch(2);
  std::vector<std::vector<float>> inputs;
  while (const Batch* b = loader.next()) inputs.push_back(b->inputs);
  REQUIRE(inputs.size() == 5);
  cfg.background = true;
  WindowLoader resumed(*reader, cfg, unit_norm(cfg.fields));
  resumed.start_epoch(2, 3);
  for (std::size_t k = 3; k < inputs.size(); ++k) {
    const Batch* b = resumed.next();
    REQUIRE(b != nullptr);
    CHECK(b->index == static_cast<long long>(k));
    CHECK(b->inputs == inputs[k]);
  }
  CHECK(resumed.next() == nullptr);

  // 'all': every (trajectory, start) exactly once.
  cfg.windows_per_trajectory = 0;
  WindowLoader all(*reader, cfg, unit_norm(cfg.fields));
  const auto every = all.epoch_plan(0);
  std::set<std::pair<long long, long long>> seen;
  for (const auto& w : every) seen.insert({w.trajectory, w.start});
  CHECK(every.size() == 4 * kN);
  CHECK(seen.size() == 4 * kN);

  // Bad counts.
  cfg.windows_per_trajectory = 5;
  CHECK_THROWS_WITH_AS(WindowLoader(*reader, cfg, unit_norm(cfg.fields)),
                       doctest::Contains("only 4 start times"), fieldlab::Error);
  cfg.windows_per_trajectory = -1;
  CHECK_THROWS_WITH_AS(WindowLoader(*reader, cfg, unit_norm(cfg.fields)),
                       doctest::Contains("at least 1"), fieldlab::Error);
  CHECK(parse_windows_per_trajectory("all") == 0);
  CHECK(parse_windows_per_trajectory("12") == 12);
  for (const char* bad : {"0", "-2", "x", "2x", ""})
    CHECK_THROWS_WITH_AS(parse_windows_per_trajectory(bad),
                         doctest::Contains("--windows-per-trajectory"), fieldlab::Error);
}
