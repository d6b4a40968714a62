#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "quantum/circuit.hpp"
#include "quantum/nn/regression.hpp"
#include "quantum/pauli.hpp"
#include "quantum/qkan/daruan.hpp"
#include "quantum/qkan/daruan_batch.hpp"
#include "quantum/qkan/optim.hpp"
#include "quantum/qkan/qkan_layer.hpp"

using namespace fieldlab::quantum;
using namespace fieldlab::quantum::qkan;

namespace {

struct EdgeParams {
  int reps;
  std::vector<double> theta, w, b;
  DaruanEdge view() const { return {reps, theta.data(), w.data(), b.data()}; }
};

EdgeParams random_edge(int reps, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  EdgeParams e{reps, {}, {}, {}};
  for (int k = 0; k < 2 * (reps + 1); ++k) e.theta.push_back(g(rng));
  for (int l = 0; l < reps; ++l) {
    e.w.push_back(1 + 0.5 * g(rng));
    e.b.push_back(0.3 * g(rng));
  }
  return e;
}

}  // namespace

TEST_CASE("DARUAN equals the state-vector simulator running the same one-qubit circuit") {
  std::mt19937_64 rng(1);
  for (int reps : {1, 3, 6}) {
    const EdgeParams e = random_edge(reps, rng);
    for (double x : {-1.3, -0.2, 0.0, 0.7, 2.1}) {
      Circuit c(1);
      c.h(0);
      for (int l = 0; l < reps; ++l)
        c.rz(0, e.theta[2 * l]).ry(0, e.theta[2 * l + 1]).rz(0, e.w[l] * x + e.b[l]);
      c.rz(0, e.theta[2 * reps]).ry(0, e.theta[2 * reps + 1]);
      StateVector<double> s(1);
      run(c, s);
      const double z = expectation(s, parse_pauli_string("Z0"));
      CHECK(daruan(e.view(), x, DaruanReadout::pauli_z) == doctest::Approx(z).epsilon(1e-13));
      const double amp = std::abs(s.amplitude(0)) - std::abs(s.amplitude(1));
      CHECK(daruan(e.view(), x, DaruanReadout::amplitude_difference) ==
            doctest::Approx(amp).epsilon(1e-13));
    }
  }
}

TEST_CASE("DARUAN gradients in theta, w, b and x match finite differences") {
  std::mt19937_64 rng(2);
  for (DaruanReadout readout : {DaruanReadout::pauli_z, DaruanReadout::amplitude_difference}) {
    EdgeParams e = random_edge(3, rng);
    const double x = 0.37;
    std::vector<double> dt(e.theta.size(), 0), dw(3, 0), db(3, 0);
    double dx = 0;
    daruan_backward(e.view(), x, readout, 1.0, dt.data(), dw.data(), db.data(), &dx);
    const double h = 1e-6;
    auto fd = [&](double& p) {
      const double keep = p;
      p = keep + h;
      const double up = daruan(e.view(), x, readout);
      p = keep - h;
      const double down = daruan(e.view(), x, readout);
      p = keep;
      return (up - down) / (2 * h);
    };
    for (std::size_t k = 0; k < dt.size(); ++k)
      CHECK(dt[k] == doctest::Approx(fd(e.theta[k])).epsilon(1e-7));
    for (int l = 0; l < 3; ++l) {
      CHECK(dw[l] == doctest::Approx(fd(e.w[l])).epsilon(1e-7));
      CHECK(db[l] == doctest::Approx(fd(e.b[l])).epsilon(1e-7));
    }
    const double fx =
        (daruan(e.view(), x + h, readout) - daruan(e.view(), x - h, readout)) / (2 * h);
    CHECK(dx == doctest::Approx(fx).epsilon(1e-7));
  }
}

TEST_CASE("QKAN network gradients (parameters and inputs) match finite differences") {
  QkanNetwork net({2, 3, 2}, 2, DaruanReadout::pauli_z, 5);
  std::mt19937_64 rng(6);
  std::normal_distribution<double> g;
  // Move p, c, g, w, b off their initial values so every term is exercised.
  for (double& p : net.params()) p += 0.3 * g(rng);
  const int batch = 4;
  std::vector<double> x(batch * 2), y(batch * 2);
  for (double& v : x) v = g(rng);
  for (double& v : y) v = g(rng);
  std::vector<double> grad;
  net.mse_and_gradient(x, y, batch, grad);
  REQUIRE(grad.size() == net.params().size());
  double worst = 0;
  for (std::size_t k = 0; k < grad.size(); ++k) {
    const double keep = net.params()[k], h = 1e-6;
    net.params()[k] = keep + h;
    const double up = net.mse(x, y, batch);
    net.params()[k] = keep - h;
    const double down = net.mse(x, y, batch);
    net.params()[k] = keep;
    worst = std::max(worst, std::abs(grad[k] - (up - down) / (2 * h)));
  }
  CHECK(worst < 1e-7);

  // Input gradient of one layer through backward's d_x.
  const QkanLayer& layer = net.layers()[0];
  std::vector<double> dy(batch * 3, 0.0), dx(batch * 2), dp(layer.num_params(), 0.0);
  dy[1] = 1.0;  // d y[sample 0, output 1]
  layer.backward(net.params().data(), x.data(), batch, dy.data(), dp.data(), dx.data());
  for (int i = 0; i < 2; ++i) {
    std::vector<double> xp = x, xm = x, yp(batch * 3), ym(batch * 3);
    xp[i] += 1e-6;
    xm[i] -= 1e-6;
    layer.forward(net.params().data(), xp.data(), batch, yp.data());
    layer.forward(net.params().data(), xm.data(), batch, ym.data());
    CHECK(dx[i] == doctest::Approx((yp[1] - ym[1]) / 2e-6).epsilon(1e-7));
  }
}

TEST_CASE("layer extension r -> r' leaves the function unchanged") {
  QkanNetwork net({2, 4, 1}, 2, DaruanReadout::pauli_z, 9);
  std::mt19937_64 rng(10);
  std::uniform_real_distribution<double> u(-1, 1);
  for (double& p : net.params()) p += 0.2 * u(rng);
  std::vector<double> x(2 * 50);
  for (double& v : x) v = u(rng);
  const std::vector<double> before = net.forward(x, 50);
  const std::size_t params_before = net.params().size();
  net.extend(5);
  CHECK(net.layers()[0].reps() == 5);
  CHECK(net.params().size() > params_before);
  const std::vector<double> after = net.forward(x, 50);
  double worst = 0;
  for (std::size_t k = 0; k < before.size(); ++k)
    worst = std::max(worst, std::abs(before[k] - after[k]));
  CHECK(worst < 1e-13);
}

TEST_CASE("Adam minimises the Rosenbrock function") {
  const Objective rosen = [](const std::vector<double>& p, std::vector<double>& g) {
    const double a = 1 - p[0], b = p[1] - p[0] * p[0];
    g = {-2 * a - 400 * p[0] * b, 200 * b};
    return a * a + 100 * b * b;
  };
  std::vector<double> q{-1.2, 1.0};
  AdamOptions a;
  a.steps = 5000;
  a.learning_rate = 0.02;
  CHECK(adam(rosen, q, a) < 1e-2);
}

TEST_CASE("QKAN [2,5,1] learns exp(sin(pi x) + y^2)") {
  RegressionConfig c;
  c.reps_schedule = {2, 4};
  c.steps = 30;  // L-BFGS calls of 20 iterations each (strong Wolfe)
  c.train_samples = 300;
  c.test_samples = 300;
  const RegressionResult r = train_regression(c);
  MESSAGE("QKAN [2,5,1] r=2->4, 2 x 30 x 20 L-BFGS iterations: test MSE " << r.test_mse);
  // The target's variance is about 1.6; a constant predictor has MSE ~1.6.
  CHECK(r.test_mse < 1e-2);
  CHECK(r.stages.size() == 2);
  CHECK(r.stages[1].train_mse <= r.stages[0].train_mse * 1.000001);
}

TEST_CASE("vectorised sincos agrees with libm to 5e-16, including quadrant edges and huge angles") {
  std::vector<double> t;
  for (int k = -400; k <= 400; ++k) t.push_back(k * 0.0392699081698724155);  // multiples of pi/80
  for (double v : {0.0, -0.0, 1e-300, 3e4, -7.7e4, 2e5, -1e9}) t.push_back(v);
  std::vector<double> c(t.size()), s(t.size());
  for (std::size_t k = 0; k < t.size(); k += 64) {  // blocks, like the kernels
    const int n = static_cast<int>(std::min<std::size_t>(64, t.size() - k));
    sincos_block(t.data() + k, c.data() + k, s.data() + k, n);
  }
  double worst = 0;
  for (std::size_t k = 0; k < t.size(); ++k)
    worst = std::max({worst, std::abs(c[k] - std::cos(t[k])), std::abs(s[k] - std::sin(t[k]))});
  CHECK(worst < 5e-16);
}

TEST_CASE("batched DARUAN forward/backward equal the scalar closed form sample by sample") {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> g;
  for (DaruanReadout readout : {DaruanReadout::pauli_z, DaruanReadout::amplitude_difference})
    for (int reps : {1, 3, 7}) {
      const EdgeParams e = random_edge(reps, rng);
      const int n = 150;  // two full blocks and a partial one
      std::vector<double> x(n), scale(n), phi(n), phi_b(n), dx(n, 0.0);
      for (int s = 0; s < n; ++s) {
        x[s] = 2 * g(rng);
        scale[s] = g(rng);
      }
      std::vector<double> fc(2 * (reps + 1)), fs(2 * (reps + 1));
      daruan_trig(e.view(), fc.data(), fs.data());
      daruan_forward_batch(e.view(), fc.data(), fs.data(), x.data(), n, readout, phi.data());
      std::vector<double> dt(2 * (reps + 1), 0.0), dw(reps, 0.0), db(reps, 0.0);
      daruan_backward_batch(e.view(), fc.data(), fs.data(), x.data(), scale.data(), n, readout,
                            dt.data(), dw.data(), db.data(), dx.data(), phi_b.data());
      std::vector<double> rt(dt.size(), 0.0), rw(reps, 0.0), rb(reps, 0.0);
      double worst_phi = 0, worst_dx = 0;
      for (int s = 0; s < n; ++s) {
        double rdx = 0;
        const double ref = daruan_backward(e.view(), x[s], readout, scale[s], rt.data(), rw.data(),
                                           rb.data(), &rdx);
        worst_phi = std::max({worst_phi, std::abs(phi[s] - ref), std::abs(phi_b[s] - ref)});
        worst_dx = std::max(worst_dx, std::abs(dx[s] - rdx));
      }
      CHECK(worst_phi < 1e-13);
      CHECK(worst_dx < 1e-12);
      for (std::size_t k = 0; k < dt.size(); ++k)
        CHECK(dt[k] == doctest::Approx(rt[k]).epsilon(1e-11));
      for (int l = 0; l < reps; ++l) {
        CHECK(dw[l] == doctest::Approx(rw[l]).epsilon(1e-11));
        CHECK(db[l] == doctest::Approx(rb[l]).epsilon(1e-11));
      }
    }
}
