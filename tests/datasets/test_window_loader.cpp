// The window loader over all three layouts: windows equal the frames read directly, statistics
// equal a direct two-pass computation, epoch plans are deterministic per (seed, epoch), the
// background thread delivers the same batches as synchronous reads, and bad data is refused.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "loader_files.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;

using namespace loader_files;

TEST_CASE("window loader: windows, statistics, order and background thread on every layout") {
  for (const std::string layout : {"native", "pdearena", "pdebench"}) {
    CAPTURE(layout);
    const auto [path, names] = write_file(layout);
    auto reader = open_trajectories(path);
    REQUIRE(reader->layout() == layout);
    // The model's order differs from the file's: the last field first.
    const std::vector<std::string> fields = {names.back(), names.front()};
    const int C = 2;

    // Normalisation against a direct two-pass computation over every value.
    const Normalisation norm = compute_normalisation(*reader, fields);
    for (int c = 0; c < C; ++c) {
      const int f = c == 0 ? static_cast<int>(names.size()) - 1 : 0;
      double s = 0, s2 = 0;
      const double count = double(kN) * kT * kX * kY;
      for (int n = 0; n < kN; ++n)
        for (int t = 0; t < kT; ++t)
          for (int i = 0; i < kX; ++i)
            for (int j = 0; j < kY; ++j) s += value(n, t, f, i, j);
      const double mean = s / count;
      for (int n = 0; n < kN; ++n)
        for (int t = 0; t < kT; ++t)
          for (int i = 0; i < kX; ++i)
            for (int j = 0; j < kY; ++j) s2 += std::pow(value(n, t, f, i, j) - mean, 2);
      // Float32 storage (native, PDEBench) rounds the values: compare at that precision.
      CHECK(norm.mean[c] == doctest::Approx(mean).epsilon(1e-6));
      CHECK(norm.std[c] == doctest::Approx(std::sqrt(s2 / count)).epsilon(1e-6));
    }

    WindowLoaderConfig cfg;
    cfg.fields = fields;
    cfg.history = 3;
    cfg.future = 1;
    cfg.batch = 3;
    cfg.seed = 42;
    cfg.background = false;
    WindowLoader sync(*reader, cfg, norm);
    CHECK(sync.batches_per_epoch() == kN / 3);

    // Plans: deterministic per (seed, epoch), different across epochs, every trajectory once.
    const auto p0 = sync.epoch_plan(0), p0b = sync.epoch_plan(0), p1 = sync.epoch_plan(1);
    bool same = true, differ = false;
    std::set<long long> seen;
    for (std::size_t i = 0; i < p0.size(); ++i) {
      same &= p0[i].trajectory == p0b[i].trajectory && p0[i].start == p0b[i].start;
      differ |= p0[i].trajectory != p1[i].trajectory || p0[i].start != p1[i].start;
      seen.insert(p0[i].trajectory);
      CHECK(p0[i].start >= 0);
      CHECK(p0[i].start <= kT - 4);
    }
    CHECK(same);
    CHECK(differ);
    CHECK(seen.size() == static_cast<std::size_t>(kN));

    // Windows equal the frames read directly (normalised, history-major, model field order).
    sync.start_epoch(1);
    std::vector<std::vector<float>> sync_inputs, sync_targets;
    std::vector<double> frame(kX * kY);
    double worst = 0;
    while (const Batch* b = sync.next()) {
      sync_inputs.push_back(b->inputs);
      sync_targets.push_back(b->targets);
      for (int s = 0; s < b->size; ++s) {
        const Window w = b->windows[s];
        for (int k = 0; k < 4; ++k)
          for (int c = 0; c < C; ++c) {
            reader->read_frame(fields[c], w.trajectory, w.start + k, frame.data());
            const float* got = k < 3 ? &b->inputs[((s * 3 + k) * C + c) * kX * kY]
                                     : &b->targets[(s * C + c) * kX * kY];
            for (int i = 0; i < kX * kY; ++i)
              worst = std::max(worst, std::abs(got[i] - (frame[i] - norm.mean[c]) / norm.std[c]));
          }
      }
    }
    CHECK(sync_inputs.size() == 2);
    CHECK(worst < 1e-5);

    // The background thread (queue depth 1 and 3) delivers bit-identical batches; a resumed
    // epoch (first_batch 1) continues with the same batches.
    for (int depth : {1, 3}) {
      cfg.background = true;
      cfg.queue_depth = depth;
      WindowLoader bg(*reader, cfg, norm);
      bg.start_epoch(1);
      std::size_t k = 0;
      while (const Batch* b = bg.next()) {
        REQUIRE(k < sync_inputs.size());
        CHECK(b->inputs == sync_inputs[k]);
        CHECK(b->targets == sync_targets[k]);
        ++k;
      }
      CHECK(k == sync_inputs.size());
      bg.start_epoch(1, 1);
      const Batch* b = bg.next();
      REQUIRE(b != nullptr);
      CHECK(b->index == 1);
      CHECK(b->inputs == sync_inputs[1]);
      CHECK(bg.next() == nullptr);
    }
  }
}

TEST_CASE("window loader: a missing field and non-finite data are clear errors") {
  const auto [path, names] = write_file("native", std::numeric_limits<double>::quiet_NaN());
  auto reader = open_trajectories(path);
  try {
    compute_normalisation(*reader, {"a", "pressure"});
    FAIL("expected an error");
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
    CHECK(std::string(e.what()).find("'pressure'") != std::string::npos);
  }
  try {
    compute_normalisation(*reader, {"a", "b"});
    FAIL("expected an error");
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::numerical);
    const std::string m = e.what();
    CHECK(m.find("field 'b', trajectory 3, frame 4") != std::string::npos);
  }
  // The loader reports it too (statistics given, e.g. from a checkpoint), from its thread.
  WindowLoaderConfig cfg;
  cfg.fields = {"b"};
  cfg.history = 4;
  cfg.batch = kN;
  Normalisation norm{{"b"}, {0.0}, {1.0}};
  WindowLoader loader(*reader, cfg, norm);
  loader.start_epoch(0);
  CHECK_THROWS_WITH_AS(loader.next(), doctest::Contains("trajectory 3, frame 4"), fieldlab::Error);
  // Fields in another order than the statistics: refused.
  cfg.fields = {"a"};
  CHECK_THROWS_AS(WindowLoader(*reader, cfg, norm), fieldlab::Error);
}
