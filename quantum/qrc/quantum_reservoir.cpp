#include "quantum/qrc/quantum_reservoir.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::quantum::qrc {
namespace {

// Random Ising Hamiltonian with longitudinal and transverse fields, as a dense matrix.
Eigen::MatrixXcd ising_hamiltonian(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  const Eigen::Index d = Eigen::Index{1} << n;
  Eigen::MatrixXcd h = Eigen::MatrixXcd::Zero(d, d);
  for (int i = 0; i < n; ++i) {
    const double field = u(rng), transverse = u(rng);
    for (Eigen::Index k = 0; k < d; ++k) h(k, k) += field * (((k >> i) & 1) ? -1.0 : 1.0);
    // An X field breaks the Z2 parity that X_i X_j couplings and Z fields conserve, which would
    // otherwise leave unit-modulus eigenvalues (undecaying memory) in the channel.
    for (Eigen::Index k = 0; k < d; ++k) h(k ^ (Eigen::Index{1} << i), k) += transverse;
    for (int j = i + 1; j < n; ++j) {
      const double coupling = u(rng);
      const Eigen::Index flip = (Eigen::Index{1} << i) | (Eigen::Index{1} << j);
      for (Eigen::Index k = 0; k < d; ++k) h(k ^ flip, k) += coupling;
    }
  }
  return h;
}

}  // namespace

QuantumSubReservoir::QuantumSubReservoir(const SubReservoirConfig& c, int input_dims)
    : config_(c), input_dims_(input_dims), rho_(std::max(1, std::min(c.qubits, 10))) {
  require(c.qubits >= 1 && c.qubits <= 10, "a sub-reservoir has 1..10 qubits, got {}", c.qubits);
  require(c.measured >= 1 && c.measured <= c.qubits,
          "a sub-reservoir measures 1..{} qubits, got {}", c.qubits, c.measured);
  require(3 * c.measured >= input_dims,
          "{} inputs need at least {} measured qubits (three inputs per qubit)", input_dims,
          (input_dims + 2) / 3);
  require(c.time_scale > 0, "time scale must be positive, got {}", c.time_scale);
  require(c.virtual_nodes >= 1 && c.virtual_nodes <= 64, "virtual nodes must be 1..64, got {}",
          c.virtual_nodes);
  std::mt19937_64 rng(c.seed);
  const Eigen::MatrixXcd h = ising_hamiltonian(c.qubits, rng);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(h);
  const Eigen::VectorXcd phases = (es.eigenvalues().cast<std::complex<double>>() *
                                   std::complex<double>(0, -c.time_scale / c.virtual_nodes))
                                      .array()
                                      .exp();
  unitary_ = es.eigenvectors() * phases.asDiagonal() * es.eigenvectors().adjoint();
  for (int i = 0; i < c.qubits; ++i) {
    observables_.push_back({0, std::uint64_t{1} << i, 1.0});
    observables_.push_back({std::uint64_t{1} << i, 0, 1.0});
  }
  for (int i = 0; i < c.qubits; ++i)
    for (int j = i + 1; j < c.qubits; ++j)
      observables_.push_back({0, (std::uint64_t{1} << i) | (std::uint64_t{1} << j), 1.0});
}

int QuantumSubReservoir::num_features() const {
  return static_cast<int>(observables_.size()) * config_.virtual_nodes;
}

void QuantumSubReservoir::reset() { rho_ = DensityMatrix(config_.qubits); }

void QuantumSubReservoir::encode(DensityMatrix& rho, const double* u) const {
  for (int k = 0; k < input_dims_; ++k) {
    const int q = k % config_.measured;
    const GateKind kinds[] = {GateKind::ry, GateKind::rz, GateKind::rx};
    const GateKind kind = kinds[k / config_.measured];
    rho.apply(make_gate(kind, {q}, {M_PI * u[k]}));
  }
}

void QuantumSubReservoir::step(const double* u, double* features, int shots, std::mt19937_64& rng) {
  encode(rho_, u);
  const std::size_t nobs = observables_.size();
  for (int v = 0; v < config_.virtual_nodes; ++v) {
    rho_.apply_unitary(unitary_);
    for (std::size_t f = 0; f < nobs; ++f) {
      double e = rho_.expectation(observables_[f]);
      if (shots > 0) {
        // Each +-1 outcome is +1 with probability (1 + <P>)/2.
        std::binomial_distribution<int> b(shots, std::clamp((1 + e) / 2, 0.0, 1.0));
        e = 2.0 * b(rng) / shots - 1.0;
      }
      features[v * nobs + f] = e;
    }
  }
  for (int q = 0; q < config_.measured; ++q) rho_.measure_reset(q);
}

Eigen::MatrixXcd QuantumSubReservoir::channel_matrix(const Eigen::VectorXd& u) const {
  require(u.size() == input_dims_, "channel_matrix: {} inputs for a reservoir of {}", u.size(),
          input_dims_);
  const Eigen::Index d = Eigen::Index{1} << config_.qubits;
  Eigen::MatrixXcd s(d * d, d * d);
  for (Eigen::Index col = 0; col < d * d; ++col) {
    Eigen::MatrixXcd e = Eigen::MatrixXcd::Zero(d, d);
    e(col % d, col / d) = 1.0;
    DensityMatrix rho = DensityMatrix::from_matrix(e);
    encode(rho, u.data());
    for (int v = 0; v < config_.virtual_nodes; ++v) rho.apply_unitary(unitary_);
    for (int q = 0; q < config_.measured; ++q) rho.measure_reset(q);
    const Eigen::MatrixXcd out = rho.matrix();
    s.col(col) = Eigen::Map<const Eigen::VectorXcd>(out.data(), d * d);
  }
  return s;
}

Eigen::VectorXcd QuantumSubReservoir::channel_spectrum(const Eigen::VectorXd& u) const {
  Eigen::ComplexEigenSolver<Eigen::MatrixXcd> es(channel_matrix(u), false);
  Eigen::VectorXcd ev = es.eigenvalues();
  std::sort(ev.data(), ev.data() + ev.size(),
            [](const auto& a, const auto& b) { return std::abs(a) > std::abs(b); });
  return ev;
}

QuantumReservoir::QuantumReservoir(const std::vector<SubReservoirConfig>& subs, int input_dims,
                                   int shots, unsigned long long shot_seed, std::string name)
    : input_dims_(input_dims), shots_(shots), shot_seed_(shot_seed), name_(std::move(name)) {
  require(!subs.empty(), "a quantum reservoir needs at least one sub-reservoir");
  require(shots >= 0, "shots must be non-negative");
  for (const auto& s : subs) subs_.emplace_back(s, input_dims);
}

Eigen::MatrixXd QuantumReservoir::features(const Eigen::MatrixXd& inputs) {
  require(inputs.cols() == input_dims_, "quantum reservoir built for {} inputs got {}", input_dims_,
          inputs.cols());
  int total = 0;
  std::vector<int> offset;
  for (const auto& s : subs_) {
    offset.push_back(total);
    total += s.num_features();
  }
  // Row-major so each step writes one contiguous row.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> out(inputs.rows(), total);
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> in = inputs;
  const int n = static_cast<int>(subs_.size());
  // Sub-reservoirs are independent: one per thread, each with its own shot generator.
#pragma omp parallel for schedule(dynamic, 1) if (n > 1)
  for (int k = 0; k < n; ++k) {
    std::mt19937_64 rng(derive_seed(shot_seed_, static_cast<unsigned long long>(k)));
    subs_[k].reset();
    for (Eigen::Index t = 0; t < inputs.rows(); ++t)
      subs_[k].step(in.row(t).data(), out.row(t).data() + offset[k], shots_, rng);
  }
  return out;
}

HybridReservoir::HybridReservoir(std::unique_ptr<QuantumReservoir> quantum, int esn_units,
                                 unsigned long long seed)
    : quantum_(std::move(quantum)), esn_units_(esn_units), seed_(seed) {}

Eigen::MatrixXd HybridReservoir::features(const Eigen::MatrixXd& inputs) {
  const Eigen::MatrixXd q = quantum_->features(inputs);
  // The classical layer takes the quantum features mapped to [0, 1] (they lie in [-1, 1]).
  const Eigen::MatrixXd scaled = (q.array() + 1.0) / 2.0;
  EsnConfig c;
  c.units = esn_units_;
  c.seed = seed_ + 17;
  c.input_scale = 0.5 / std::sqrt(static_cast<double>(q.cols()) / 4.0);
  auto esn = EchoStateNetwork::random(c, static_cast<int>(q.cols()));
  const Eigen::MatrixXd e = esn->features(scaled);
  Eigen::MatrixXd out(q.rows(), q.cols() + e.cols());
  out << q, e;
  return out;
}

std::vector<SubReservoirConfig> default_onion(unsigned long long seed) {
  // Time scale and measured-qubit count both move the channel's second eigenvalue: from
  // |lambda_2| ~ 1 (long memory) for gentle evolution with one measured qubit, down to ~0.85 for
  // a fast one with two measured qubits (docs/quantum.md lists the spectra).
  const int measured[] = {1, 1, 2, 2};
  const double scales[] = {0.5, 1.0, 1.0, 2.0};
  std::vector<SubReservoirConfig> subs;
  for (int k = 0; k < 4; ++k)
    subs.push_back({4, measured[k], scales[k], derive_seed(seed, 100 + k), 4});
  return subs;
}

std::vector<SubReservoirConfig> default_single(unsigned long long seed) {
  return {{5, 1, 1.0, derive_seed(seed, 200), 4}};
}

}  // namespace fieldlab::quantum::qrc
