#include "quantum/qkan/optim.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::quantum::qkan {
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
    if (o.after_step && !o.after_step(t)) break;
  }
  return o.steps > 0 ? f(x, g) : value;
}

}  // namespace fieldlab::quantum::qkan
