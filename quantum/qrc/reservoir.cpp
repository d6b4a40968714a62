#include "quantum/qrc/reservoir.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::quantum::qrc {

double spectral_radius(const Eigen::MatrixXd& w) {
  Eigen::EigenSolver<Eigen::MatrixXd> es(w, false);
  return es.eigenvalues().cwiseAbs().maxCoeff();
}

Eigen::MatrixXd random_reservoir_matrix(int units, double radius, double density,
                                        std::mt19937_64& rng) {
  require(units >= 2 && radius > 0 && density > 0 && density <= 1,
          "ESN: units {} radius {} density {}", units, radius, density);
  std::uniform_real_distribution<double> u(-1, 1), keep(0, 1);
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(units, units);
  for (int i = 0; i < units; ++i)
    for (int j = 0; j < units; ++j)
      if (keep(rng) < density) w(i, j) = u(rng);
  const double r = spectral_radius(w);
  require(r > 0, "ESN: the random reservoir matrix is nilpotent; raise the density");
  return w * (radius / r);
}

Eigen::MatrixXd annulus_matrix(int units, double r_lo, double r_hi, std::mt19937_64& rng) {
  require(units >= 2 && units % 2 == 0, "annulus_matrix needs an even size, got {}", units);
  require(0 <= r_lo && r_lo <= r_hi, "annulus [{}, {}] is empty", r_lo, r_hi);
  std::uniform_real_distribution<double> radius(r_lo, r_hi), angle(0, M_PI);
  Eigen::MatrixXd b = Eigen::MatrixXd::Zero(units, units);
  for (int k = 0; k < units; k += 2) {
    const double r = radius(rng), a = angle(rng);
    b(k, k) = r * std::cos(a);
    b(k, k + 1) = -r * std::sin(a);
    b(k + 1, k) = r * std::sin(a);
    b(k + 1, k + 1) = r * std::cos(a);
  }
  std::normal_distribution<double> g;
  Eigen::MatrixXd m(units, units);
  for (int i = 0; i < units; ++i)
    for (int j = 0; j < units; ++j) m(i, j) = g(rng);
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(m).householderQ();
  return q.transpose() * b * q;
}

EchoStateNetwork::EchoStateNetwork(Eigen::MatrixXd w, int input_dims, double input_scale,
                                   double leak, unsigned long long seed, std::string name)
    : w_(std::move(w)), leak_(leak), name_(std::move(name)) {
  require(w_.rows() == w_.cols() && w_.rows() > 0, "ESN: square reservoir matrix needed");
  require(input_dims >= 1, "ESN: at least one input");
  require(leak > 0 && leak <= 1, "ESN: leak rate must be in (0, 1], got {}", leak);
  std::mt19937_64 rng(seed ^ 0x5bd1e995ULL);
  std::uniform_real_distribution<double> u(-input_scale, input_scale);
  w_in_.resize(w_.rows(), input_dims);
  bias_.resize(w_.rows());
  for (Eigen::Index i = 0; i < w_.rows(); ++i) {
    for (int j = 0; j < input_dims; ++j) w_in_(i, j) = u(rng);
    bias_(i) = 0.2 * u(rng);
  }
}

std::unique_ptr<EchoStateNetwork> EchoStateNetwork::random(const EsnConfig& c, int input_dims) {
  std::mt19937_64 rng(c.seed);
  return std::make_unique<EchoStateNetwork>(
      random_reservoir_matrix(c.units, c.spectral_radius, c.density, rng), input_dims,
      c.input_scale, c.leak, c.seed, "esn");
}

std::unique_ptr<EchoStateNetwork> EchoStateNetwork::onion(
    const std::vector<std::pair<double, double>>& annuli, int units_per_group, int input_dims,
    double input_scale, unsigned long long seed) {
  require(!annuli.empty(), "onion ESN needs at least one group");
  std::mt19937_64 rng(seed);
  const int n = units_per_group * static_cast<int>(annuli.size());
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(n, n);
  for (std::size_t g = 0; g < annuli.size(); ++g)
    w.block(g * units_per_group, g * units_per_group, units_per_group, units_per_group) =
        annulus_matrix(units_per_group, annuli[g].first, annuli[g].second, rng);
  return std::make_unique<EchoStateNetwork>(std::move(w), input_dims, input_scale, 1.0, seed,
                                            "onion-esn");
}

Eigen::MatrixXd EchoStateNetwork::features(const Eigen::MatrixXd& inputs) {
  require(inputs.cols() == w_in_.cols(), "ESN built for {} inputs got {}", w_in_.cols(),
          inputs.cols());
  Eigen::MatrixXd out(inputs.rows(), w_.rows());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(w_.rows());
  for (Eigen::Index t = 0; t < inputs.rows(); ++t) {
    const Eigen::VectorXd u = 2.0 * inputs.row(t).transpose().array() - 1.0;
    const Eigen::VectorXd pre = w_ * x + w_in_ * u + bias_;
    x = (1 - leak_) * x + leak_ * pre.array().tanh().matrix();
    out.row(t) = x.transpose();
  }
  return out;
}

}  // namespace fieldlab::quantum::qrc
