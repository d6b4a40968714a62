#pragma once
// The common interface of every reservoir model, and the classical ones: the echo state network
// and the onion ESN (groups of units whose eigenvalues lie in separate annuli, Tortorella & Micheli
// 2024), plus the memoryless linear baseline.

#include <Eigen/Dense>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace fieldlab::quantum::qrc {

// Inputs reach every model scaled to [0, 1] per dimension.
class Reservoir {
 public:
  virtual ~Reservoir() = default;
  virtual std::string name() const = 0;
  // Features (T x F) for a whole input series (T x d), starting from the initial state.
  virtual Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) = 0;
};

// No reservoir: the readout sees the current input only (the trivial baseline).
class LinearBaseline : public Reservoir {
 public:
  std::string name() const override { return "linear"; }
  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) override { return inputs; }
};

// A random sparse matrix scaled to the given spectral radius.
Eigen::MatrixXd random_reservoir_matrix(int units, double spectral_radius, double density,
                                        std::mt19937_64& rng);
// A random matrix whose eigenvalues all have modulus in [r_lo, r_hi]: 2x2 rotation-scaling blocks
// (radius uniform in the annulus, random angle) conjugated by a random orthogonal matrix, which
// keeps the eigenvalues. `units` must be even.
Eigen::MatrixXd annulus_matrix(int units, double r_lo, double r_hi, std::mt19937_64& rng);
double spectral_radius(const Eigen::MatrixXd& w);

struct EsnConfig {
  int units = 100;
  double spectral_radius = 0.9;
  double density = 0.1;
  double input_scale = 0.5;
  double leak = 1.0;
  unsigned long long seed = 1;
};

// x_{t+1} = (1 - leak) x_t + leak tanh(W x_t + W_in (2u - 1) + b); features are the states.
class EchoStateNetwork : public Reservoir {
 public:
  EchoStateNetwork(Eigen::MatrixXd w, int input_dims, double input_scale, double leak,
                   unsigned long long seed, std::string name = "esn");
  static std::unique_ptr<EchoStateNetwork> random(const EsnConfig& config, int input_dims);
  // Groups of units_per_group units, group g with eigenvalue moduli in annuli[g].
  static std::unique_ptr<EchoStateNetwork> onion(
      const std::vector<std::pair<double, double>>& annuli, int units_per_group, int input_dims,
      double input_scale, unsigned long long seed);
  std::string name() const override { return name_; }
  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) override;
  const Eigen::MatrixXd& weights() const { return w_; }

 private:
  Eigen::MatrixXd w_, w_in_;
  Eigen::VectorXd bias_;
  double leak_;
  std::string name_;
};

}  // namespace fieldlab::quantum::qrc
