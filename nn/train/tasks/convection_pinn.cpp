#include "nn/train/tasks/convection_pinn.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "nn/jet_stack.hpp"
#include "nn/models/lpinn.hpp"
#include "nn/models/mlp_model.hpp"
#include "nn/ops.hpp"
#include "nn/yaml_strict.hpp"
#include "solvers/convection1d_reference.hpp"

namespace fieldlab::nn {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr long long kMaxCollocationPoints = 262'144;  // 512 x 512

template <typename E>
E parse_choice(const std::string& what, const std::string& name,
               std::initializer_list<std::pair<const char*, E>> choices) {
  std::string known;
  for (const auto& [text, value] : choices) {
    if (name == text) return value;
    known += (known.empty() ? "" : ", ") + std::string(text);
  }
  fail(ErrorKind::usage, "unknown {} '{}' ({})", what, name, known);
}

// Un-squared L2 norm; the tiny floor keeps the gradient finite at an exact zero.
Var l2_norm(Var v) { return sqrt(add_scalar(sum(square(v)), 1e-30f)); }
Var mean_square(Var v) { return mean(square(v)); }

double scalar(Var v) { return v.value()[0]; }

}  // namespace

PinnMethod parse_pinn_method(const std::string& name) {
  return parse_choice<PinnMethod>(
      "method", name, {{"lpinn", PinnMethod::lagrangian}, {"pinn", PinnMethod::eulerian}});
}
const char* to_string(PinnMethod m) { return m == PinnMethod::lagrangian ? "lpinn" : "pinn"; }
PinnLossForm parse_pinn_loss_form(const std::string& name) {
  return parse_choice<PinnLossForm>(
      "loss form", name, {{"norm", PinnLossForm::norm}, {"squared", PinnLossForm::squared}});
}
const char* to_string(PinnLossForm f) { return f == PinnLossForm::norm ? "norm" : "squared"; }
SecondDerivativeForm parse_second_derivative_form(const std::string& name) {
  return parse_choice<SecondDerivativeForm>(
      "second-derivative form", name,
      {{"label", SecondDerivativeForm::label}, {"physical", SecondDerivativeForm::physical}});
}
const char* to_string(SecondDerivativeForm f) {
  return f == SecondDerivativeForm::label ? "label" : "physical";
}

ConvectionPinnConfig ConvectionPinnConfig::defaults(PinnMethod method, solvers::Convection1dPde pde,
                                                    double speed) {
  using solvers::Convection1dPde;
  using solvers::InitialProfile1d;
  ConvectionPinnConfig c;
  c.method = method;
  c.problem.pde = pde;
  c.problem.speed = speed;
  const bool diffusive = pde == Convection1dPde::convection_diffusion ||
                         pde == Convection1dPde::burgers ||
                         pde == Convection1dPde::reaction_diffusion;
  c.problem.viscosity = diffusive ? 0.01 : 0.0;
  switch (pde) {
    case Convection1dPde::burgers:  // the reference code's u0 = C + sin x with C the speed
      c.problem.initial = InitialProfile1d::shifted_sine;
      c.problem.offset = speed;
      break;
    case Convection1dPde::reaction:
    case Convection1dPde::reaction_diffusion:
      c.problem.initial = InitialProfile1d::gaussian;
      break;
    default:
      c.problem.initial = InitialProfile1d::sine;
  }
  if (method == PinnMethod::eulerian) {  // the failure-mode study: mean squares, weights 1
    c.loss = PinnLossForm::squared;
    c.weight_residual_u = c.weight_initial = c.weight_boundary = 1;
  }
  return c;
}

void ConvectionPinnConfig::validate() const {
  problem.validate();
  // Full batch: every layer keeps [4 streams, points, width] floats for the backward, about
  // 3.5 GB at the cap for width 50 (the paper's grid is 25 600 points).
  require(nx >= 4 && nt >= 2 && static_cast<long long>(nx) * nt <= kMaxCollocationPoints,
          "collocation: needs nx >= 4, nt >= 2 and at most {} points (full batch), got {} x {}",
          kMaxCollocationPoints, nx, nt);
  require(adam_steps >= 0 && lbfgs_iterations >= 0, "adam_steps and lbfgs_iterations must be >= 0");
  require(std::isfinite(adam_lr) && adam_lr > 0, "adam_lr must be positive, got {}", adam_lr);
  require(lbfgs_step_iterations >= 1 && lbfgs_history >= 1,
          "lbfgs_step_iterations and lbfgs_history must be >= 1");
  require(checkpoint_every >= 1, "checkpoint_every must be >= 1, got {}", checkpoint_every);
  for (double w : {weight_residual_x, weight_residual_u, weight_initial, weight_boundary})
    require(std::isfinite(w) && w >= 0, "loss weights must be finite and >= 0, got {}", w);
  double previous = -1;
  for (double c : curriculum) {
    require(std::isfinite(c) && c >= 0 && c > previous,
            "curriculum: speeds must be finite, >= 0 and increasing, got {}", c);
    previous = c;
  }
  if (!curriculum.empty())
    require(problem.pde != solvers::Convection1dPde::burgers,
            "curriculum: burgers has no speed to raise (its speed is u itself)");
  if (!curriculum.empty())
    require(curriculum.back() < problem.speed,
            "curriculum: its speeds must be below the problem's speed {}, got {}", problem.speed,
            curriculum.back());
}

std::string ConvectionPinnConfig::model_name() const {
  return method == PinnMethod::lagrangian ? "lpinn" : "mlp";
}

double ConvectionPinnConfig::speed_scale() const {
  double s = 0;
  for (int i = 0; i < 1024; ++i)
    s = std::max(s, std::abs(problem.speed_of(problem.u0(kTwoPi * i / 1024))));
  return std::max(s, 1.0);
}

ModelKeys ConvectionPinnConfig::default_model_keys() const {
  if (method == PinnMethod::lagrangian) return {{"speed_scale", fmt::format("{}", speed_scale())}};
  return {{"widths", "2,50,50,50,50,1"}, {"activation", "tanh"}};
}

std::string ConvectionPinnConfig::to_yaml() const {
  std::ostringstream o;
  o.precision(17);
  o << "task: convection-pinn\n"
    << "method: " << to_string(method) << "\n"
    << "pde: " << solvers::to_string(problem.pde) << "\n"
    << "speed: " << problem.speed << "\n"
    << "viscosity: " << problem.viscosity << "\n"
    << "initial: " << solvers::to_string(problem.initial) << "\n"
    << "offset: " << problem.offset << "\n"
    << "t_end: " << problem.t_end << "\n"
    << "nx: " << nx << "\nnt: " << nt << "\n"
    << "loss: " << to_string(loss) << "\n"
    << "second_derivative: " << to_string(second_derivative) << "\n"
    << "weight_residual_x: " << weight_residual_x << "\n"
    << "weight_residual_u: " << weight_residual_u << "\n"
    << "weight_initial: " << weight_initial << "\n"
    << "weight_boundary: " << weight_boundary << "\n"
    << "adam_steps: " << adam_steps << "\nadam_lr: " << adam_lr << "\n"
    << "lbfgs_iterations: " << lbfgs_iterations << "\n"
    << "lbfgs_step_iterations: " << lbfgs_step_iterations << "\n"
    << "lbfgs_history: " << lbfgs_history << "\n"
    << "curriculum: \"";
  for (std::size_t i = 0; i < curriculum.size(); ++i) o << (i ? "," : "") << curriculum[i];
  o << "\"\nseed: " << seed << "\ncheckpoint_every: " << checkpoint_every << "\n";
  return o.str();
}

ConvectionPinnConfig ConvectionPinnConfig::from_yaml(const std::string& yaml) {
  const YAML::Node root = load_yaml_strict(yaml, "PINN task configuration");
  require(root.IsMap(), "PINN task configuration: not a mapping of keys");
  ConvectionPinnConfig c;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    require(kv.second.IsScalar(), "PINN option {}: not a plain value", key);
    c.set(key, kv.second.as<std::string>());
  }
  c.validate();
  return c;
}

void ConvectionPinnConfig::set(const std::string& key, const std::string& v) {
  auto real = [&](double& out) {
    try {
      std::size_t used = 0;
      out = std::stod(v, &used);
      require(used == v.size(), "");
    } catch (...) {
      fail(ErrorKind::usage, "PINN option {}: '{}' is not a number", key, v);
    }
  };
  auto integer = [&](auto& out) {
    try {
      std::size_t used = 0;
      const long long x = std::stoll(v, &used);
      require(used == v.size(), "");
      out = static_cast<std::remove_reference_t<decltype(out)>>(x);
      require(static_cast<long long>(out) == x, "");
    } catch (...) {
      fail(ErrorKind::usage, "PINN option {}: '{}' is not an integer in range", key, v);
    }
  };
  if (key == "task") {
    require(v == "convection-pinn", "not a convection PINN task: task '{}'", v);
  } else if (key == "method") {
    method = parse_pinn_method(v);
  } else if (key == "pde") {
    problem.pde = solvers::parse_convection1d_pde(v);
  } else if (key == "speed") {
    real(problem.speed);
  } else if (key == "viscosity") {
    real(problem.viscosity);
  } else if (key == "initial") {
    problem.initial = solvers::parse_initial_profile1d(v);
  } else if (key == "offset") {
    real(problem.offset);
  } else if (key == "t_end") {
    real(problem.t_end);
  } else if (key == "nx") {
    integer(nx);
  } else if (key == "nt") {
    integer(nt);
  } else if (key == "loss") {
    loss = parse_pinn_loss_form(v);
  } else if (key == "second_derivative") {
    second_derivative = parse_second_derivative_form(v);
  } else if (key == "weight_residual_x") {
    real(weight_residual_x);
  } else if (key == "weight_residual_u") {
    real(weight_residual_u);
  } else if (key == "weight_initial") {
    real(weight_initial);
  } else if (key == "weight_boundary") {
    real(weight_boundary);
  } else if (key == "adam_steps") {
    integer(adam_steps);
  } else if (key == "adam_lr") {
    real(adam_lr);
  } else if (key == "lbfgs_iterations") {
    integer(lbfgs_iterations);
  } else if (key == "lbfgs_step_iterations") {
    integer(lbfgs_step_iterations);
  } else if (key == "lbfgs_history") {
    integer(lbfgs_history);
  } else if (key == "curriculum") {
    curriculum.clear();
    std::stringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (item.empty()) continue;
      double s = 0;
      const std::string saved = item;
      try {
        std::size_t used = 0;
        s = std::stod(saved, &used);
        require(used == saved.size(), "");
      } catch (...) {
        fail(ErrorKind::usage, "PINN option curriculum: '{}' is not a number", saved);
      }
      curriculum.push_back(s);
    }
  } else if (key == "seed") {
    integer(seed);
  } else if (key == "checkpoint_every") {
    integer(checkpoint_every);
  } else {
    fail(ErrorKind::usage,
         "unknown PINN option '{}' (method, pde, speed, viscosity, initial, offset, t_end, nx, nt, "
         "loss, second_derivative, weight_residual_x, weight_residual_u, weight_initial, "
         "weight_boundary, adam_steps, adam_lr, lbfgs_iterations, lbfgs_step_iterations, "
         "lbfgs_history, curriculum, seed, checkpoint_every)",
         key);
  }
}

CollocationGrid make_collocation(const ConvectionPinnConfig& c) {
  const auto xs = solvers::linspace(0, kTwoPi, c.nx);
  const auto ts = solvers::linspace(0, c.problem.t_end, c.nt);
  CollocationGrid g;
  g.points = Tensor({static_cast<std::int64_t>(c.nx) * c.nt, 2});
  for (int j = 0; j < c.nt; ++j)
    for (int i = 0; i < c.nx; ++i) {
      g.points[(j * c.nx + i) * 2] = static_cast<float>(xs[i]);
      g.points[(j * c.nx + i) * 2 + 1] = static_cast<float>(ts[j]);
    }
  g.initial_target = Tensor({c.nx, 1});
  for (int i = 0; i < c.nx; ++i) g.initial_target[i] = static_cast<float>(c.problem.u0(xs[i]));
  return g;
}

ConvectionPinn::ConvectionPinn(const Model& model, const ConvectionPinnConfig& config)
    : model_(model), config_(config), grid_(make_collocation(config)) {
  config_.validate();
  if (config_.method == PinnMethod::lagrangian) {
    lpinn_ = dynamic_cast<const LpinnModel*>(&model);
    require(lpinn_ != nullptr, "lpinn task: model '{}' is not an lpinn network", model.name());
    features_ = LpinnModel::feature_jet(grid_.points);
  } else {
    mlp_ = dynamic_cast<const MlpModel*>(&model);
    require(mlp_ != nullptr && mlp_->inputs() == 2 && mlp_->outputs() == 1,
            "pinn task: model '{}' must be an mlp mapping (x, t) to u (widths 2,...,1)",
            model.name());
    const Activation a = mlp_->settings().activation;
    require(a == Activation::tanh || a == Activation::sin,
            "pinn task: the mlp's activation must be tanh or sin");
    const bool second = config_.problem.diffusion() > 0;
    const std::int64_t n = grid_.points.size(0);
    Tensor dx({n, 2}), dt({n, 2}), dxx({n, 2});
    for (std::int64_t i = 0; i < n; ++i) {
      dx[i * 2] = 1, dx[i * 2 + 1] = 0;
      dt[i * 2] = 0, dt[i * 2 + 1] = 1;
      dxx[i * 2] = dxx[i * 2 + 1] = 0;
    }
    features_ = stack_jet_tensors(grid_.points, {dx, dt}, {second ? dxx : Tensor(), Tensor()});
  }
}

namespace {

// f(u) u-jet combinations at speed c: the characteristic speed as a graph variable.
Var characteristic_speed(solvers::Convection1dPde pde, double c, Var u) {
  using solvers::Convection1dPde;
  switch (pde) {
    case Convection1dPde::burgers:
      return u;
    case Convection1dPde::reaction:
    case Convection1dPde::reaction_diffusion:  // c u (1 - u)
      return scale(mul(u, add_scalar(scale(u, -1.0f), 1.0f)), static_cast<float>(c));
    default:
      return Var{};  // constant c
  }
}

}  // namespace

Var ConvectionPinn::loss(Graph& g, double speed, PinnLossTerms* terms) const {
  const ConvectionPinnConfig& c = config_;
  const double nu = c.problem.diffusion();
  const bool norm = c.loss == PinnLossForm::norm;
  auto measure = [&](Var v) { return norm ? l2_norm(v) : mean_square(v); };
  const std::int64_t nx = c.nx;
  Var total, rx_term, ru_term, ic_term, bc_term;
  if (lpinn_ != nullptr) {
    const JetStack features = jet_stack_constant(g, features_, LpinnModel::feature_layout());
    const LpinnModel::Outputs out = lpinn_->forward(g, features);
    const Var m_t = out.correction_t;
    const Var u = out.u.value();
    Var f = characteristic_speed(c.problem.pde, speed, u);
    const Var r_x = f.valid() ? sub(m_t, f) : add_scalar(m_t, static_cast<float>(-speed));
    Var r_u = out.u.d1(1);
    if (nu > 0) {
      Var u_xx = out.u.d2(0);
      if (c.second_derivative == SecondDerivativeForm::physical) {
        // u_xx = u''/X'^2 - u' X''/X'^3 with X' = 1 + m', X'' = m''
        const Var inv = pow(add_scalar(out.correction_x, 1.0f), -1.0f);
        const Var inv2 = mul(inv, inv);
        u_xx = sub(mul(u_xx, inv2), mul(mul(out.u.d1(0), out.correction_xx), mul(inv2, inv)));
      }
      r_u = sub(r_u, scale(u_xx, static_cast<float>(nu)));
    }
    const Var x_ic = slice(out.correction, 0, 0, nx);  // X(x0, 0) - x0
    const Var u_ic = sub(slice(u, 0, 0, nx), g.constant(grid_.initial_target));
    rx_term = measure(r_x);
    ru_term = measure(r_u);
    ic_term = add(measure(x_ic), measure(u_ic));
    total = add(add(scale(rx_term, static_cast<float>(c.weight_residual_x)),
                    scale(ru_term, static_cast<float>(c.weight_residual_u))),
                scale(ic_term, static_cast<float>(c.weight_initial)));
  } else {
    const bool second = nu > 0;
    const JetStack in = jet_stack_constant(g, features_, {second, false});
    const JetStack out = mlp_->mlp().forward(g, in);
    const Var u = out.value(), u_x = out.d1(0), u_t = out.d1(1);
    const Var f = characteristic_speed(c.problem.pde, speed, u);
    Var r = add(u_t, f.valid() ? mul(f, u_x) : scale(u_x, static_cast<float>(speed)));
    if (second) r = sub(r, scale(out.d2(0), static_cast<float>(nu)));
    const Var u_ic = sub(slice(u, 0, 0, nx), g.constant(grid_.initial_target));
    const Var grid = reshape(u, {c.nt, nx});
    const Var bc = sub(slice(grid, 1, 0, 1), slice(grid, 1, nx - 1, nx));
    ru_term = measure(r);
    ic_term = measure(u_ic);
    bc_term = measure(bc);
    total = add(add(scale(ru_term, static_cast<float>(c.weight_residual_u)),
                    scale(ic_term, static_cast<float>(c.weight_initial))),
                scale(bc_term, static_cast<float>(c.weight_boundary)));
  }
  if (terms != nullptr) {
    terms->total = scalar(total);
    terms->residual_x = rx_term.valid() ? scalar(rx_term) : 0;
    terms->residual_u = scalar(ru_term);
    terms->initial = scalar(ic_term);
    terms->boundary = bc_term.valid() ? scalar(bc_term) : 0;
  }
  return total;
}

namespace {

// The network on points [N, 2] in chunks, without gradients: [N, outputs].
std::vector<float> evaluate_points(const PointwiseModel& model, const std::vector<float>& points) {
  const std::int64_t n = static_cast<std::int64_t>(points.size() / 2), chunk = 1 << 14;
  const int outputs = model.outputs();
  std::vector<float> out(n * outputs);
  Graph g;
  for (std::int64_t start = 0; start < n; start += chunk) {
    const std::int64_t m = std::min(chunk, n - start);
    g.reset();
    NoGradGuard ng(g);
    Tensor x({m, 2},
             std::vector<float>(points.begin() + start * 2, points.begin() + (start + m) * 2));
    const Tensor y = model.forward(g, g.constant(x)).value();
    std::copy(y.data(), y.data() + m * outputs, out.begin() + start * outputs);
  }
  return out;
}

double wrap(double x) {
  double w = std::fmod(x, kTwoPi);
  return w < 0 ? w + kTwoPi : w;
}

}  // namespace

std::vector<double> ConvectionPinn::predict(const std::vector<double>& x,
                                            const std::vector<double>& t) const {
  const std::size_t nx = x.size(), nt = t.size();
  std::vector<double> u(nx * nt);
  if (mlp_ != nullptr) {
    std::vector<float> pts(nx * nt * 2);
    for (std::size_t j = 0; j < nt; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        pts[(j * nx + i) * 2] = static_cast<float>(x[i]);
        pts[(j * nx + i) * 2 + 1] = static_cast<float>(t[j]);
      }
    const auto y = evaluate_points(*mlp_, pts);
    for (std::size_t k = 0; k < u.size(); ++k) u[k] = y[k];
    return u;
  }
  // LPINN: labels spread uniformly over one period; each time's (X wrapped, u) pairs sorted by
  // position and interpolated linearly, periodically, onto x.
  const std::size_t labels = std::max<std::size_t>(static_cast<std::size_t>(config_.nx), nx);
  std::vector<float> pts(labels * nt * 2);
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 0; i < labels; ++i) {
      pts[(j * labels + i) * 2] = static_cast<float>(kTwoPi * i / labels);
      pts[(j * labels + i) * 2 + 1] = static_cast<float>(t[j]);
    }
  const auto y = evaluate_points(*lpinn_, pts);
  std::vector<std::pair<double, double>> at(labels);
  for (std::size_t j = 0; j < nt; ++j) {
    for (std::size_t i = 0; i < labels; ++i) {
      const std::size_t k = j * labels + i;
      at[i] = {wrap(y[k * 2]), y[k * 2 + 1]};
    }
    std::sort(at.begin(), at.end());
    for (std::size_t i = 0; i < nx; ++i) {
      const double q = wrap(x[i]);
      auto hi = std::upper_bound(at.begin(), at.end(), std::make_pair(q, -HUGE_VAL));
      const auto& b = hi == at.end() ? at.front() : *hi;
      const auto& a = hi == at.begin() ? at.back() : *(hi - 1);
      const double xb = hi == at.end() ? b.first + kTwoPi : b.first;
      const double xa = hi == at.begin() ? a.first - kTwoPi : a.first;
      const double w = xb > xa ? (q - xa) / (xb - xa) : 0.5;
      u[j * nx + i] = (1 - w) * a.second + w * b.second;
    }
  }
  return u;
}

std::vector<double> ConvectionPinn::characteristics(const std::vector<double>& x0,
                                                    const std::vector<double>& t) const {
  require(lpinn_ != nullptr, "characteristics: only the lpinn method learns them");
  std::vector<float> pts(x0.size() * t.size() * 2);
  for (std::size_t j = 0; j < t.size(); ++j)
    for (std::size_t i = 0; i < x0.size(); ++i) {
      pts[(j * x0.size() + i) * 2] = static_cast<float>(x0[i]);
      pts[(j * x0.size() + i) * 2 + 1] = static_cast<float>(t[j]);
    }
  const auto y = evaluate_points(*lpinn_, pts);
  std::vector<double> X(x0.size() * t.size());
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = y[k * 2];
  return X;
}

PinnLossTerms ConvectionPinn::loss_terms(double speed) const {
  Graph g;
  NoGradGuard ng(g);
  PinnLossTerms terms;
  loss(g, speed, &terms);
  return terms;
}

PinnEvaluation evaluate_convection_pinn(const ConvectionPinn& task, int nx, int nt, double speed) {
  require(nx >= 2 && nt >= 1 && static_cast<long long>(nx) * nt <= 10'000'000,
          "evaluation grid: needs nx >= 2, nt >= 1, at most 1e7 points, got {} x {}", nx, nt);
  solvers::Convection1dProblem problem = task.config().problem;
  if (std::isfinite(speed)) {
    if (problem.pde == solvers::Convection1dPde::burgers &&
        problem.initial == solvers::InitialProfile1d::shifted_sine &&
        problem.offset == problem.speed)
      problem.offset = speed;
    problem.speed = speed;
  }
  const auto x = solvers::linspace(0, kTwoPi, nx);
  const auto t = solvers::linspace(0, problem.t_end, nt);
  PinnEvaluation e;
  e.nx = nx;
  e.nt = nt;
  e.reference = solvers::to_string(solvers::reference_kind(problem));
  const auto ref = solvers::reference_solution(problem, x, t);
  const auto u = task.predict(x, t);
  double num = 0, den = 0;
  for (std::size_t k = 0; k < u.size(); ++k) {
    const double d = u[k] - ref[k];
    num += d * d;
    den += ref[k] * ref[k];
    e.max_error = std::max(e.max_error, std::abs(d));
  }
  e.relative_l2 = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
  e.loss = task.loss_terms(problem.speed);
  return e;
}

}  // namespace fieldlab::nn
