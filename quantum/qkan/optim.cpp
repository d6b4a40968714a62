#include "quantum/qkan/optim.hpp"

#include <cmath>
#include <deque>
#include <numeric>

#include "core/error.hpp"

namespace fieldlab::quantum::qkan {
namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

}  // namespace

double adam(const Objective& f, std::vector<double>& x, const AdamOptions& o) {
  require(o.steps >= 0 && o.learning_rate > 0, "Adam: steps {} learning rate {}", o.steps,
          o.learning_rate);
  std::vector<double> m(x.size(), 0.0), v(x.size(), 0.0), g;
  double value = 0;
  for (int t = 1; t <= o.steps; ++t) {
    value = f(x, g);
    if (!std::isfinite(value))
      fail(ErrorKind::numerical, "Adam: objective is not finite at step {}", t);
    const double c1 = 1 - std::pow(o.beta1, t), c2 = 1 - std::pow(o.beta2, t);
    for (std::size_t k = 0; k < x.size(); ++k) {
      m[k] = o.beta1 * m[k] + (1 - o.beta1) * g[k];
      v[k] = o.beta2 * v[k] + (1 - o.beta2) * g[k] * g[k];
      x[k] -= o.learning_rate * (m[k] / c1) / (std::sqrt(v[k] / c2) + o.epsilon);
    }
  }
  return o.steps > 0 ? f(x, g) : value;
}

double lbfgs(const Objective& f, std::vector<double>& x, const LbfgsOptions& o) {
  require(o.steps >= 0 && o.memory >= 1, "L-BFGS: steps {} memory {}", o.steps, o.memory);
  const std::size_t n = x.size();
  std::vector<double> g, g_new, d(n), x_new(n);
  double value = f(x, g);
  std::deque<std::vector<double>> s_hist, y_hist;
  std::deque<double> rho_hist;
  for (int it = 0; it < o.steps; ++it) {
    if (std::sqrt(dot(g, g)) < o.gradient_tolerance) break;
    // Two-loop recursion: d = -H g.
    d = g;
    std::vector<double> alpha(s_hist.size());
    for (std::size_t k = s_hist.size(); k-- > 0;) {
      alpha[k] = rho_hist[k] * dot(s_hist[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] -= alpha[k] * y_hist[k][i];
    }
    double gamma = 1.0;
    if (!s_hist.empty())
      gamma = dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
    else
      gamma = 1.0 / std::max(1.0, std::sqrt(dot(g, g)));
    for (double& v : d) v *= gamma;
    for (std::size_t k = 0; k < s_hist.size(); ++k) {
      const double beta = rho_hist[k] * dot(y_hist[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] += s_hist[k][i] * (alpha[k] - beta);
    }
    for (double& v : d) v = -v;
    double slope = dot(g, d);
    if (slope >= 0) {  // not a descent direction: restart from steepest descent
      s_hist.clear();
      y_hist.clear();
      rho_hist.clear();
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i] / std::max(1.0, std::sqrt(dot(g, g)));
      slope = dot(g, d);
    }
    // Backtracking line search with the Armijo condition.
    double step = 1.0, value_new = 0;
    bool accepted = false;
    for (int ls = 0; ls < 30; ++ls) {
      for (std::size_t i = 0; i < n; ++i) x_new[i] = x[i] + step * d[i];
      value_new = f(x_new, g_new);
      if (std::isfinite(value_new) && value_new <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;  // no progress possible along d: converged as far as it goes
    std::vector<double> s(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = x_new[i] - x[i];
      y[i] = g_new[i] - g[i];
    }
    const double sy = dot(s, y);
    if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(y));
      rho_hist.push_back(1.0 / sy);
      if (static_cast<int>(s_hist.size()) > o.memory) {
        s_hist.pop_front();
        y_hist.pop_front();
        rho_hist.pop_front();
      }
    }
    x.swap(x_new);
    g.swap(g_new);
    value = value_new;
  }
  return value;
}

}  // namespace fieldlab::quantum::qkan
