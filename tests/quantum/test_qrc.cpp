#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "core/error.hpp"
#include "quantum/qrc/experiment.hpp"
#include "quantum/qrc/quantum_reservoir.hpp"

using namespace fieldlab::quantum::qrc;

TEST_CASE("NARMA10 follows its recurrence") {
  const Series s = narma10(500, 42);
  std::vector<double> y(501, 0.0);
  for (int t = 0; t < 500; ++t) {
    const double u = s.inputs(t, 0);
    CHECK(u >= 0.0);
    CHECK(u <= 0.5);
    double sum = 0;
    for (int i = 0; i < 10; ++i) sum += t - i >= 0 ? y[t - i] : 0.0;
    const double u9 = t >= 9 ? s.inputs(t - 9, 0) : 0.0;
    y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u9 * u + 0.1;
    CHECK(s.target(t) == doctest::Approx(y[t + 1]).epsilon(1e-12));
  }
  // Same seed, same series; another seed, another one.
  CHECK(narma10(500, 42).target.isApprox(s.target));
  CHECK_FALSE(narma10(500, 43).target.isApprox(s.target));
}

TEST_CASE("Mackey-Glass: step refinement converges and the attractor has its known range") {
  const auto coarse = mackey_glass_series(300, 17.0, 0.1);
  const auto fine = mackey_glass_series(300, 17.0, 0.05);
  const auto finer = mackey_glass_series(300, 17.0, 0.025);
  double e1 = 0, e2 = 0, lo = 10, hi = -10;
  for (int k = 0; k < 300; ++k) {
    e1 = std::max(e1, std::abs(coarse[k] - fine[k]));
    e2 = std::max(e2, std::abs(fine[k] - finer[k]));
    lo = std::min(lo, fine[k]);
    hi = std::max(hi, fine[k]);
  }
  CHECK(e1 < 1e-3);    // after 800 time units of a chaotic flow
  CHECK(e2 < e1 / 4);  // at least second order (RK4 with Hermite delay: ~fourth)
  // tau = 17 is chaotic, x oscillates roughly within [0.4, 1.35].
  CHECK(lo > 0.3);
  CHECK(lo < 0.6);
  CHECK(hi > 1.1);
  CHECK(hi < 1.45);
  CHECK_THROWS_AS(mackey_glass_series(10, 17.0, 0.3), fieldlab::Error);  // tau/dt not integer
}

TEST_CASE("synthetic corrosion: wet-and-warm hours corrode, the series is reproducible") {
  const Series s = corrosion(2000, 3);
  REQUIRE(s.inputs.cols() == 3);
  CHECK(s.inputs.col(2).maxCoeff() < 1.0);  // coupon age
  CHECK(s.inputs.col(0).minCoeff() >= 0.2);
  CHECK(s.inputs.col(0).maxCoeff() <= 1.0);
  CHECK(s.target.minCoeff() >= 0.0);             // depth never decreases
  CHECK((s.target.array() == 0.0).count() > 0);  // dry spells stop corrosion
  CHECK(corrosion(2000, 3).target.isApprox(s.target));
}

TEST_CASE("ESN matrices: spectral radius scaling and onion annuli") {
  std::mt19937_64 rng(5);
  for (double r : {0.5, 0.9, 1.2}) {
    const Eigen::MatrixXd w = random_reservoir_matrix(80, r, 0.2, rng);
    CHECK(spectral_radius(w) == doctest::Approx(r).epsilon(1e-9));
  }
  const Eigen::MatrixXd a = annulus_matrix(30, 0.4, 0.6, rng);
  Eigen::EigenSolver<Eigen::MatrixXd> es(a, false);
  CHECK(es.eigenvalues().cwiseAbs().minCoeff() >= 0.4 - 1e-9);
  CHECK(es.eigenvalues().cwiseAbs().maxCoeff() <= 0.6 + 1e-9);
  auto onion = EchoStateNetwork::onion({{0.1, 0.3}, {0.7, 0.9}}, 10, 1, 0.5, 1);
  Eigen::EigenSolver<Eigen::MatrixXd> eo(onion->weights(), false);
  int inner = 0, outer = 0;
  for (Eigen::Index k = 0; k < eo.eigenvalues().size(); ++k) {
    const double m = std::abs(eo.eigenvalues()(k));
    inner += m >= 0.1 - 1e-9 && m <= 0.3 + 1e-9;
    outer += m >= 0.7 - 1e-9 && m <= 0.9 + 1e-9;
  }
  CHECK(inner == 10);
  CHECK(outer == 10);
}

TEST_CASE("ridge readout recovers a known linear map and picks lambda on validation data") {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> g;
  const int n = 600, f = 5;
  Eigen::MatrixXd x(n, f);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < f; ++j) x(i, j) = g(rng);
  Eigen::VectorXd w(f);
  w << 1.5, -2.0, 0.25, 0.0, 3.0;
  const Eigen::VectorXd y = (x * w).array() + 0.7;
  RidgeReadout r;
  r.fit(x, y, 1e-10);
  CHECK((r.weights().head(f) - w).cwiseAbs().maxCoeff() < 1e-8);
  CHECK(r.weights()(f) == doctest::Approx(0.7).epsilon(1e-8));
  Split split;
  split.washout = 0;
  const ReadoutResult res = fit_and_evaluate(x, y, split);
  CHECK(res.test_nrmse < 1e-6);
  CHECK(res.lambda <= 1e-4);  // noise-free data: the smallest penalties win
}

TEST_CASE("the sub-reservoir step is a CPTP map and the onion's spectra are distinct") {
  const auto subs = default_onion(1);
  std::vector<double> second;
  for (const auto& cfg : subs) {
    const QuantumSubReservoir sub(cfg, 1);
    const Eigen::VectorXd u = Eigen::VectorXd::Constant(1, 0.3);
    const Eigen::MatrixXcd s = sub.channel_matrix(u);
    const Eigen::Index d = Eigen::Index{1} << cfg.qubits;
    // Trace preservation: Tr(Phi(E_ij)) = delta_ij.
    double tp = 0;
    for (Eigen::Index col = 0; col < d * d; ++col) {
      std::complex<double> tr = 0;
      for (Eigen::Index k = 0; k < d; ++k) tr += s(k + k * d, col);
      tp = std::max(tp, std::abs(tr - (col % d == col / d ? 1.0 : 0.0)));
    }
    CHECK(tp < 1e-12);
    // Complete positivity: the Choi matrix sum_ij E_ij (x) Phi(E_ij) is positive semidefinite.
    Eigen::MatrixXcd choi = Eigen::MatrixXcd::Zero(d * d, d * d);
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < d; ++j) {
        const Eigen::Map<const Eigen::MatrixXcd> out(s.col(i + j * d).data(), d, d);
        choi.block(i * d, j * d, d, d) = out;
      }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(choi);
    CHECK(es.eigenvalues().minCoeff() > -1e-10);
    const Eigen::VectorXcd ev = sub.channel_spectrum(u);
    CHECK(std::abs(ev(0) - 1.0) < 1e-9);  // trace preservation leaves eigenvalue 1
    CHECK(std::abs(ev(1)) < 1.0 - 1e-6);  // and the rest decays: the reservoir forgets
    second.push_back(std::abs(ev(1)));
  }
  // Distinct memory time scales: |lambda_2| spread out, no two sub-reservoirs alike.
  const double lo = *std::min_element(second.begin(), second.end());
  const double hi = *std::max_element(second.begin(), second.end());
  CHECK(hi - lo > 0.05);
  for (std::size_t a = 0; a < second.size(); ++a)
    for (std::size_t b = a + 1; b < second.size(); ++b)
      CHECK(std::abs(std::log(1 - second[a]) - std::log(1 - second[b])) > 0.1);
}

TEST_CASE("quantum features are deterministic, and shot estimates scatter as binomials") {
  const Series s = narma10(300, 1);
  const Eigen::MatrixXd u = scale_inputs(s.inputs, 300);
  QuantumReservoir a(default_onion(7), 1), b(default_onion(7), 1);
  const Eigen::MatrixXd fa = a.features(u), fb = b.features(u);
  CHECK((fa - fb).cwiseAbs().maxCoeff() == 0.0);
  CHECK(fa.cwiseAbs().maxCoeff() <= 1.0 + 1e-12);
  QuantumReservoir shots(default_onion(7), 1, 2500, 3);
  const Eigen::MatrixXd fs = shots.features(u);
  const double rms = std::sqrt((fs - fa).squaredNorm() / static_cast<double>(fa.size()));
  // Binomial scatter: sd = sqrt((1 - <P>^2) / shots) <= 0.02.
  CHECK(rms < 0.02);
  CHECK(rms > 0.002);
}

TEST_CASE("onion QRC beats the memoryless baseline on NARMA10" * doctest::test_suite("slow")) {
  ExperimentConfig c;
  c.task = "narma10";
  c.length = 1500;
  c.split.washout = 100;
  c.seed = 1;
  c.model = "linear";
  const double linear = run_experiment(c).readout.test_nrmse;
  c.model = "onion-qrc";
  const ExperimentResult q = run_experiment(c);
  MESSAGE("NARMA10 NRMSE: linear " << linear << ", onion-qrc " << q.readout.test_nrmse);
  CHECK(linear > 0.8);
  CHECK(q.readout.test_nrmse < linear - 0.25);
  REQUIRE(q.spectra.size() == 4);
}
