#pragma once
// Quantum reservoirs computed exactly in density-matrix mode. One step of a sub-reservoir:
//   1. encode the inputs on the measured qubits (which were reset to |0>): input k goes to qubit
//      k mod m as RY(pi u), then RZ(pi u), then RX(pi u) for the second and third rounds;
//   2. evolve with its fixed random unitary U = exp(-i s H), H a random Ising Hamiltonian
//      (couplings J_ij X_i X_j, fields h_i Z_i + g_i X_i, all uniform in [-1, 1]) and s the
//      sub-reservoir's time scale;
//   3. read the features <Z_i>, <X_i>, <Z_i Z_j> (exact, or estimated from `shots` samples each),
//      after each of the V virtual-node parts of the evolution when V > 1;
//   4. measure and reset the first `measured` qubits (the mid-circuit measurements; a channel,
//      since outcomes are not fed forward).
// The time scale and the number of measured qubits move the eigenvalues of the per-step channel,
// hence the time scale the sub-reservoir remembers; the onion stacks several side by side.

#include <Eigen/Dense>
#include <complex>
#include <random>
#include <vector>

#include "quantum/density_matrix.hpp"
#include "quantum/qrc/reservoir.hpp"

namespace fieldlab::quantum::qrc {

struct SubReservoirConfig {
  int qubits = 4;
  int measured = 1;
  double time_scale = 1.0;
  unsigned long long seed = 1;
  // Temporal multiplexing: the step's evolution is split into this many equal parts with the
  // features read after each (Fujii & Nakajima's virtual nodes), multiplying the features.
  int virtual_nodes = 1;
};

class QuantumSubReservoir {
 public:
  QuantumSubReservoir(const SubReservoirConfig& config, int input_dims);
  int num_features() const;
  void reset();
  // One step; writes num_features() values. shots > 0 estimates each feature from that many
  // +-1 outcomes drawn with rng.
  void step(const double* u, double* features, int shots, std::mt19937_64& rng);
  // The per-step channel as a 4^n x 4^n matrix on column-major vec(rho), for a fixed input.
  Eigen::MatrixXcd channel_matrix(const Eigen::VectorXd& u) const;
  // Its eigenvalues, sorted by decreasing modulus (the first is 1: the channel is trace
  // preserving).
  Eigen::VectorXcd channel_spectrum(const Eigen::VectorXd& u) const;
  const SubReservoirConfig& config() const { return config_; }

 private:
  void encode(DensityMatrix& rho, const double* u) const;

  SubReservoirConfig config_;
  int input_dims_;
  Eigen::MatrixXcd unitary_;  // one virtual-node part: exp(-i s H / V)
  DensityMatrix rho_;
  std::vector<PauliString> observables_;
};

// Several sub-reservoirs side by side (one = the single QRC); features concatenated.
class QuantumReservoir : public Reservoir {
 public:
  QuantumReservoir(const std::vector<SubReservoirConfig>& subs, int input_dims, int shots = 0,
                   unsigned long long shot_seed = 1, std::string name = "onion-qrc");
  std::string name() const override { return name_; }
  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) override;
  const std::vector<QuantumSubReservoir>& sub_reservoirs() const { return subs_; }

 private:
  std::vector<QuantumSubReservoir> subs_;
  int input_dims_, shots_;
  unsigned long long shot_seed_;
  std::string name_;
};

// Onion QRC followed by a classical reservoir layer driven by its features; the readout sees both.
class HybridReservoir : public Reservoir {
 public:
  HybridReservoir(std::unique_ptr<QuantumReservoir> quantum, int esn_units,
                  unsigned long long seed);
  std::string name() const override { return "hybrid"; }
  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) override;

 private:
  std::unique_ptr<QuantumReservoir> quantum_;
  int esn_units_;
  unsigned long long seed_;
};

// The default onion: four 4-qubit sub-reservoirs with 4 virtual nodes, differing in time scale
// and number of measured qubits so their channel spectra sit in different regions. The single
// QRC baseline: one 5-qubit reservoir, one measured qubit, 4 virtual nodes.
std::vector<SubReservoirConfig> default_onion(unsigned long long seed);
std::vector<SubReservoirConfig> default_single(unsigned long long seed);

}  // namespace fieldlab::quantum::qrc
