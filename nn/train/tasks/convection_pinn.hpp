#pragma once
// Physics-informed networks for the 1D periodic convection-diffusion family
// (solvers/convection1d.hpp): the Lagrangian PINN (LPINN, Mojgani et al. 2023) and the standard
// (Eulerian) PINN of the failure-mode study (Krishnapriyan et al. 2021) beside it.
//
// LPINN (model "lpinn", nn/models/lpinn.hpp): X(x0, t) and u(x0, t) on the Lagrangian label x0;
//   r_X = X_t - f(u),  r_u = u_t - g u_xx,
//   u_xx either in the label (u_{x0 x0}: the reference code's, exact only where X_{x0} = 1, i.e.
//   constant-speed convection(-diffusion)) or physical: u_xx = (1/X') d/dx0 (u' / X') =
//   u'' / X'^2 - u' X'' / X'^3 with ' = d/dx0 (exact for every problem of the family).
//   loss "norm" (the reference's): 10 |r_X| + |r_u| + 1000 (|X(x0,0) - x0| + |u(x0,0) - u0|)
//   with un-squared L2 norms over the points; "squared": the same weights on mean squares.
//   Periodicity is exact through the (cos x0, sin x0) inputs: no boundary term.
// PINN (model "mlp", widths 2,50,50,50,50,1 tanh by default): u(x, t) on raw (x, t);
//   mean squares of the residual u_t + f(u) u_x - g u_xx, of u(x, 0) - u0 and of the periodic
//   boundary u(0, t) - u(2 pi, t) (weights 1, as published); "norm" uses un-squared norms.
//
// Collocation is the reference's full batch: nx points linspace(0, 2 pi) x nt points
// linspace(0, t_end), end points included. The derivatives come from stacked forward-mode jets
// (nn/jet_stack.hpp): values, first and second input derivatives in one forward sweep of one GEMM
// per layer, then one reverse sweep for the weight gradient.
//
// Evaluation (relative L2, the ordinary vector norm, on an Eulerian grid of 256 x 100 points
// linspace(0, 2 pi) x linspace(0, t_end) against solvers/convection1d_reference.hpp): the PINN's u
// directly; the LPINN's u(x0, t) is placed at X(x0, t) wrapped modulo 2 pi and interpolated back
// to the grid linearly (periodically), as the reference code does (it also drops two points at
// each end and uses a matrix norm; we do neither).

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "nn/graph.hpp"
#include "nn/models/model.hpp"
#include "nn/models/registry.hpp"
#include "nn/tensor.hpp"
#include "solvers/convection1d.hpp"

namespace fieldlab::nn {

class LpinnModel;
class MlpModel;

enum class PinnMethod { lagrangian, eulerian };  // "lpinn", "pinn"
enum class PinnLossForm { norm, squared };
enum class SecondDerivativeForm { label, physical };

PinnMethod parse_pinn_method(const std::string& name);
const char* to_string(PinnMethod method);
PinnLossForm parse_pinn_loss_form(const std::string& name);  // "norm", "squared"
const char* to_string(PinnLossForm form);
SecondDerivativeForm parse_second_derivative_form(const std::string& name);  // "label", "physical"
const char* to_string(SecondDerivativeForm form);

struct ConvectionPinnConfig {
  solvers::Convection1dProblem problem;
  PinnMethod method = PinnMethod::lagrangian;
  int nx = 256, nt = 100;  // collocation grid
  PinnLossForm loss = PinnLossForm::norm;
  SecondDerivativeForm second_derivative = SecondDerivativeForm::physical;
  // Loss weights (LPINN: r_X, r_u, initial; PINN: residual, initial, boundary).
  double weight_residual_x = 10, weight_residual_u = 1, weight_initial = 1000,
         weight_boundary = 1;
  long long adam_steps = 2000;
  double adam_lr = 1e-2;
  long long lbfgs_iterations = 1000;  // in steps of lbfgs_step_iterations
  int lbfgs_step_iterations = 20;     // one training step = one L-BFGS step of this many
  int lbfgs_history = 50;
  // Warm-start speeds trained (Adam then L-BFGS) before the problem's own speed, increasing
  // (the curriculum regularisation of Krishnapriyan et al.). Empty: none.
  std::vector<double> curriculum;
  unsigned long long seed = 0;  // network initialisation
  long long checkpoint_every = 500;  // steps between checkpoints (and at every phase end)

  // The defaults of a method and PDE: viscosity 0.01 for the diffusive kinds (0 otherwise); the
  // initial profile sin for convection, C + sin x with C = speed for burgers (the reference
  // code's), the Gaussian bump for reaction; the PINN's mean squares with weights 1.
  static ConvectionPinnConfig defaults(PinnMethod method, solvers::Convection1dPde pde,
                                       double speed = 30);
  // One key as the YAML and the command line name it (a usage error naming the key and, for an
  // unknown key, the known ones).
  void set(const std::string& key, const std::string& value);
  void validate() const;  // a usage error naming the key
  std::string to_yaml() const;
  static ConvectionPinnConfig from_yaml(const std::string& yaml);  // unknown keys: usage error
  // The registry name and default keys of the network for this method.
  std::string model_name() const;
  ModelKeys default_model_keys() const;  // pinn: widths 2,50,50,50,50,1 tanh; lpinn: its own
};

// The points a loss is evaluated on, made once.
struct CollocationGrid {
  // [nx * nt, 2]: (x or x0, t), t-major: point j * nx + i = (x_i, t_j); the first nx points are
  // the initial line t = 0 and columns i = 0, nx - 1 the two ends x = 0, 2 pi (the PINN's
  // periodic boundary), so no term needs its own forward pass.
  Tensor points;
  Tensor initial_target;  // [nx, 1]: u0(x_i)
};
CollocationGrid make_collocation(const ConvectionPinnConfig& config);

// The terms of one loss evaluation (for logs and eval).
struct PinnLossTerms {
  double total = 0;
  double residual_x = 0;  // LPINN: |r_X| (norm) or mean r_X^2; PINN: 0
  double residual_u = 0;  // LPINN: |r_u|; PINN: the PDE residual
  double initial = 0;     // initial condition terms (LPINN: X and u together)
  double boundary = 0;    // PINN periodic boundary
};

class ConvectionPinn {
 public:
  // `model` must be what config.model_name() builds (a usage error otherwise).
  ConvectionPinn(const Model& model, const ConvectionPinnConfig& config);
  const ConvectionPinnConfig& config() const { return config_; }
  // The loss at the problem speed `speed` (curriculum stages train at their own speed).
  Var loss(Graph& graph, double speed, PinnLossTerms* terms = nullptr) const;
  // The network on an Eulerian grid: u[j * x.size() + i] at (x[i], t[j]) (LPINN: interpolated
  // from the Lagrangian points x0 = x as described above).
  std::vector<double> predict(const std::vector<double>& x, const std::vector<double>& t) const;
  // LPINN only: X(x0[i], t[j]) unwrapped (the learned characteristics), same indexing.
  std::vector<double> characteristics(const std::vector<double>& x0,
                                      const std::vector<double>& t) const;
  // The loss terms at `speed` without gradients.
  PinnLossTerms loss_terms(double speed) const;

 private:
  const Model& model_;
  ConvectionPinnConfig config_;
  CollocationGrid grid_;
  const LpinnModel* lpinn_ = nullptr;
  const MlpModel* mlp_ = nullptr;
  Tensor features_;  // the stacked input jet of the collocation points, made once
};

struct PinnEvaluation {
  double relative_l2 = 0;   // of u on the evaluation grid against the reference
  double max_error = 0;
  PinnLossTerms loss;       // at the problem speed on the collocation grid
  std::string reference;    // the reference method (solvers::to_string(reference_kind))
  int nx = 256, nt = 100;
};

// Relative L2 against the reference on an nx x nt grid (defaults: the paper's 256 x 100).
// `speed` (default: the problem's) evaluates a curriculum stage against its own reference.
PinnEvaluation evaluate_convection_pinn(const ConvectionPinn& task, int nx = 256, int nt = 100,
                                        double speed = std::numeric_limits<double>::quiet_NaN());

}  // namespace fieldlab::nn
