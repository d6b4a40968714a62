#pragma once
// One reservoir-computing run: generate the task series, scale the inputs, compute the model's
// features, fit the ridge readout (lambda chosen on validation data) and report NRMSE.

#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "quantum/qrc/readout.hpp"
#include "quantum/qrc/reservoir.hpp"
#include "quantum/qrc/tasks.hpp"

namespace fieldlab::quantum::qrc {

struct ExperimentConfig {
  std::string task = "narma10";
  std::string model = "onion-qrc";
  int length = 3000;
  unsigned long long seed = 1;
  int shots = 0;  // 0: exact expectation values
  Split split;
};

struct SpectrumSummary {
  double time_scale = 0;
  int qubits = 0, measured = 0;
  std::vector<std::complex<double>> leading;  // largest-modulus eigenvalues (up to 8)
  double second_modulus = 0;                  // |lambda_2|: sets the memory time
  double memory_steps = 0;                    // -1 / ln |lambda_2|
};

struct ExperimentResult {
  std::string task, model;
  int features = 0;
  ReadoutResult readout;
  double seconds = 0;                    // feature computation
  std::vector<SpectrumSummary> spectra;  // quantum models only
};

std::vector<std::string> model_names();  // linear, qrc, onion-qrc, esn, onion-esn, hybrid
std::unique_ptr<Reservoir> make_model(const std::string& name, int input_dims,
                                      unsigned long long seed, int shots);
ExperimentResult run_experiment(const ExperimentConfig& config);

// Inputs scaled to [0, 1] with the min/max of the first `fit_rows` rows, clipped.
Eigen::MatrixXd scale_inputs(const Eigen::MatrixXd& inputs, Eigen::Index fit_rows);

}  // namespace fieldlab::quantum::qrc
