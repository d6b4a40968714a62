// advance_to's StopToken and ProgressSink (the hooks Python's Ctrl-C and progress= use), and the
// verification cases of solvers/verification_cases.hpp that `fieldlab solve` and Python share.

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/stop_token.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"
#include "solvers/swe_cgrid.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/verification_cases.hpp"

using namespace fieldlab;
using namespace fieldlab::solvers;

namespace {

// Records the units and requests the stop after the first advance.
struct StopAfterFirst : ProgressSink {
  StopSource source;
  long long total = -1, done = 0;
  int starts = 0, finishes = 0;
  bool stop_on_advance = true;
  void start(std::string_view, long long t) override {
    total = t;
    ++starts;
  }
  void advance(long long units, std::string_view) override {
    done += units;
    if (stop_on_advance) source.request_stop();
  }
  void finish() override { ++finishes; }
};

}  // namespace

TEST_CASE(
    "advance_to stops after one step once a stop is requested, progress counts the interval") {
  SUBCASE("ns2d rk4") {
    Ns2dConfig c;
    c.resolution = 16;
    c.dt = 1e-3;
    Ns2dSolver s(c);
    StopAfterFirst sink;
    s.advance_to(1.0, sink.source.token(), &sink);
    CHECK(s.steps() == 1);
    CHECK(s.time() == doctest::Approx(1e-3));
    CHECK(sink.total == 1000);
    CHECK(sink.done == 1);
    CHECK(sink.finishes == 1);
  }
  SUBCASE("ns2d dopri5: the state of the last adaptive step, then continuing") {
    Ns2dConfig c;
    c.resolution = 16;
    c.stepper = Ns2dStepper::dopri5;
    Ns2dSolver s(c);
    std::mt19937_64 rng(1);
    s.set_vorticity(initial_vorticity(s.grid(), c, rng));
    StopAfterFirst sink;
    s.advance_to(1.0, sink.source.token(), &sink);
    CHECK(s.steps() == 1);
    CHECK(s.time() > 0.0);
    CHECK(s.time() < 1.0);
    CHECK(s.vorticity().allFinite());
    s.advance_to(1.0);
    CHECK(s.time() == 1.0);
  }
  SUBCASE("finite-volume shallow water, then finishing without a stop") {
    FvSweConfig c;
    c.nx = c.ny = 16;
    FvSweSolver s(c);
    s.set_state(Field::Constant(16, 16, 1.0), Field::Zero(16, 16), Field::Zero(16, 16));
    StopAfterFirst sink;
    s.advance_to(1.0, sink.source.token(), &sink);
    CHECK(s.steps() == 1);
    CHECK(s.time() < 1.0);
    StopAfterFirst full;
    full.stop_on_advance = false;
    s.advance_to(1.0, {}, &full);
    CHECK(s.time() == 1.0);
    CHECK(full.done == 1000);
  }
  SUBCASE("c-grid shallow water") {
    SweCgridConfig c;
    c.nx = c.ny = 8;
    SweCgridSolver s(c);
    s.set_state(Field::Constant(8, 8, 1.0), Field::Zero(8, 8), Field::Zero(8, 8));
    StopAfterFirst sink;
    s.advance_to(1.0, sink.source.token(), &sink);
    CHECK(s.steps() == 1);
    CHECK(s.time() < 1.0);
  }
}

TEST_CASE("verification cases: the CLI's checks and known answers") {
  TaylorGreenCase tg;
  tg.resolution = 16;
  tg.t_end = 0.2;
  const auto r = solve_taylor_green(tg);
  CHECK(r.time == 0.2);
  CHECK(r.x.size() == 16);
  CHECK(r.velocity_rms_error < 1e-2);
  tg.t_end = -1;
  CHECK_THROWS_AS(tg.validate(), Error);

  DamBreakCase db;
  db.resolution = 100;
  const auto d = solve_dam_break(db);
  CHECK(d.h_middle_exact == doctest::Approx(1.453841).epsilon(1e-6));
  CHECK(d.exact_solution == "Stoker (wet bed)");
  CHECK(d.l1_error_h == doctest::Approx(1.1277e-02).epsilon(1e-3));  // `fieldlab solve dam-break`
  db.ny = 1;
  CHECK_THROWS_WITH_AS(db.validate(), "--ny must be at least 2 (got 1)", Error);

  GeostrophicJetCase jet;
  jet.resolution = 16;
  jet.t_end = 0.1;
  const auto j = solve_geostrophic_jet(jet);
  CHECK(std::abs(j.relative_mass_change) < 1e-12);
  CHECK(j.max_u_error < 1e-3);
}
