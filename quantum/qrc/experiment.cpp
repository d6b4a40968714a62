#include "quantum/qrc/experiment.hpp"

#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "quantum/qrc/quantum_reservoir.hpp"

namespace fieldlab::quantum::qrc {

std::vector<std::string> model_names() {
  return {"linear", "qrc", "onion-qrc", "esn", "onion-esn", "hybrid"};
}

std::unique_ptr<Reservoir> make_model(const std::string& name, int input_dims,
                                      unsigned long long seed, int shots) {
  if (name == "linear") return std::make_unique<LinearBaseline>();
  if (name == "qrc")
    return std::make_unique<QuantumReservoir>(default_single(seed), input_dims, shots, seed, "qrc");
  if (name == "onion-qrc")
    return std::make_unique<QuantumReservoir>(default_onion(seed), input_dims, shots, seed,
                                              "onion-qrc");
  if (name == "esn") {
    EsnConfig c;
    c.seed = seed;
    return EchoStateNetwork::random(c, input_dims);
  }
  if (name == "onion-esn")
    return EchoStateNetwork::onion({{0.0, 0.3}, {0.3, 0.6}, {0.6, 0.85}, {0.85, 0.99}}, 26,
                                   input_dims, 0.5, seed);
  if (name == "hybrid")
    return std::make_unique<HybridReservoir>(
        std::make_unique<QuantumReservoir>(default_onion(seed), input_dims, shots, seed), 50, seed);
  fail(ErrorKind::usage, "unknown model '{}' (linear, qrc, onion-qrc, esn, onion-esn, hybrid)",
       name);
}

Eigen::MatrixXd scale_inputs(const Eigen::MatrixXd& inputs, Eigen::Index fit_rows) {
  Eigen::MatrixXd out(inputs.rows(), inputs.cols());
  for (Eigen::Index j = 0; j < inputs.cols(); ++j) {
    const double lo = inputs.col(j).head(fit_rows).minCoeff();
    const double hi = inputs.col(j).head(fit_rows).maxCoeff();
    const double span = hi > lo ? hi - lo : 1.0;
    out.col(j) = ((inputs.col(j).array() - lo) / span).cwiseMax(0.0).cwiseMin(1.0);
  }
  return out;
}

ExperimentResult run_experiment(const ExperimentConfig& c) {
  require(c.length >= c.split.washout + 100, "--length {} is too short for a washout of {}",
          c.length, c.split.washout);
  const Series s = make_task(c.task, c.length, c.seed);
  const Eigen::Index fit_rows =
      c.split.washout + static_cast<Eigen::Index>((c.length - c.split.washout) * c.split.train);
  const Eigen::MatrixXd u = scale_inputs(s.inputs, fit_rows);
  auto model = make_model(c.model, static_cast<int>(u.cols()), c.seed, c.shots);
  ExperimentResult r;
  r.task = c.task;
  r.model = model->name();
  const auto t0 = std::chrono::steady_clock::now();
  const Eigen::MatrixXd f = model->features(u);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Every readout also sees the current input (and a bias), so "linear" is the memoryless floor.
  Eigen::MatrixXd x(f.rows(), f.cols() + (c.model == "linear" ? 0 : u.cols()));
  if (c.model == "linear")
    x = f;
  else
    x << f, u;
  r.features = static_cast<int>(x.cols());
  r.readout = fit_and_evaluate(x, s.target, c.split);
  const QuantumReservoir* q = dynamic_cast<const QuantumReservoir*>(model.get());
  if (q) {
    const Eigen::VectorXd mid = Eigen::VectorXd::Constant(u.cols(), 0.5);
    for (const auto& sub : q->sub_reservoirs()) {
      // A dense eigensolver on 4^n x 4^n: seconds at 4 qubits, minutes past 5, so larger
      // sub-reservoirs are reported without a spectrum.
      if (sub.config().qubits > 4) continue;
      const Eigen::VectorXcd ev = sub.channel_spectrum(mid);
      SpectrumSummary sum;
      sum.time_scale = sub.config().time_scale;
      sum.qubits = sub.config().qubits;
      sum.measured = sub.config().measured;
      for (Eigen::Index k = 0; k < std::min<Eigen::Index>(8, ev.size()); ++k)
        sum.leading.push_back(ev(k));
      sum.second_modulus = ev.size() > 1 ? std::abs(ev(1)) : 0.0;
      sum.memory_steps = sum.second_modulus > 0 && sum.second_modulus < 1
                             ? -1.0 / std::log(sum.second_modulus)
                             : 0.0;
      r.spectra.push_back(sum);
    }
  }
  return r;
}

}  // namespace fieldlab::quantum::qrc
