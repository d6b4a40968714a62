#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "quantum/qasm.hpp"
#include "quantum/simulate.hpp"
#include "quantum/state_io.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;

TEST_CASE("shots: terminal measurements sample once, mid-circuit ones run trajectories") {
  const QasmProgram bell = parse_qasm(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2]; creg c[2];
h q[0]; cx q[0], q[1];
measure q -> c;
)");
  SimulationOptions o;
  o.shots = 4000;
  o.seed = 5;
  const auto r = simulate<double>(bell.circuit, o);
  CHECK(r.sampled_from_final_state);
  REQUIRE(r.counts.size() == 2);
  CHECK(std::abs(r.counts.at("00") - 2000) < 5 * std::sqrt(1000.0));
  CHECK(r.counts.at("00") + r.counts.at("11") == 4000);

  // Reset in the middle: every shot ends with qubit 0 reset, measured bit 1 = H outcome.
  const QasmProgram mid = parse_qasm(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2]; creg c[2];
h q[0]; measure q[0] -> c[1]; reset q[0]; if (c == 2) x q[1]; measure q[1] -> c[0];
)");
  o.shots = 400;
  const auto m = simulate<float>(mid.circuit, o);
  CHECK_FALSE(m.sampled_from_final_state);
  long long total = 0;
  for (const auto& [bits, n] : m.counts) {
    CHECK((bits == "00" || bits == "11"));  // the conditioned X copies the bit
    total += n;
  }
  CHECK(total == 400);
  CHECK(std::abs(m.counts.at("11") - 200) < 5 * 10);
  // Same seed, same counts.
  CHECK(simulate<float>(mid.circuit, o).counts == m.counts);
}

TEST_CASE_TEMPLATE("the HDF5 state file round-trips the amplitudes", Real, double, float) {
  std::mt19937_64 rng(3);
  StateVector<Real> s(5);
  s.set_amplitudes(testing::random_state(5, rng));
  const std::string path =
      (std::filesystem::temp_directory_path() / "fieldlab_quantum_state_test.h5").string();
  StateFileAttributes a;
  a.text["source"] = "test";
  write_state_hdf5(path, s, a, /*overwrite=*/true);
  const auto back = read_state_hdf5(path);
  CHECK(testing::max_diff(back, s.amplitudes()) < 1e-15);
  std::remove(path.c_str());
}
