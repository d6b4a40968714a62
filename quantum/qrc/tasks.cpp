#include "quantum/qrc/tasks.hpp"

#include <cmath>
#include <random>

#include "core/error.hpp"

namespace fieldlab::quantum::qrc {

Series narma10(int length, unsigned long long seed) {
  require(length >= 20, "NARMA10 needs at least 20 steps, got {}", length);
  for (unsigned long long attempt = 0;; ++attempt) {
    std::mt19937_64 rng(seed + 0x9e3779b97f4a7c15ULL * attempt);
    std::uniform_real_distribution<double> u(0.0, 0.5);
    Series s;
    s.name = "narma10";
    s.inputs.resize(length, 1);
    s.target.resize(length);
    std::vector<double> y(length + 1, 0.0), in(length);
    for (int t = 0; t < length; ++t) in[t] = u(rng);
    bool bounded = true;
    for (int t = 0; t < length; ++t) {
      double sum = 0;
      for (int i = 0; i < 10; ++i) sum += t - i >= 0 ? y[t - i] : 0.0;
      const double u9 = t - 9 >= 0 ? in[t - 9] : 0.0;
      y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u9 * in[t] + 0.1;
      if (!(std::abs(y[t + 1]) < 1e3)) bounded = false;
    }
    if (!bounded) continue;
    for (int t = 0; t < length; ++t) {
      s.inputs(t, 0) = in[t];
      s.target(t) = y[t + 1];
    }
    return s;
  }
}

std::vector<double> mackey_glass_series(int samples, double tau, double dt, double sample,
                                        double transient) {
  require(samples >= 1 && tau > 0 && dt > 0 && sample >= dt, "invalid Mackey-Glass settings");
  const double lag_steps = tau / dt;
  const long lag = std::lround(lag_steps);
  require(std::abs(lag_steps - lag) < 1e-9, "tau/dt must be an integer (tau {}, dt {})", tau, dt);
  const double every = sample / dt;
  const long stride = std::lround(every);
  require(std::abs(every - stride) < 1e-9, "sample/dt must be an integer");
  auto f = [](double x, double xd) { return 0.2 * xd / (1.0 + std::pow(xd, 10)) - 0.1 * x; };
  const long skip = std::lround(transient / dt);
  const long steps = skip + static_cast<long>(samples) * stride;
  // History x and x' at every step; index i <-> t = (i - lag) dt, constant 1.2 for t <= 0.
  std::vector<double> x(steps + lag + 1, 1.2), dx(steps + lag + 1, 0.0);
  dx[lag] = f(1.2, 1.2);
  auto delayed = [&](long i, double frac) {
    // Cubic Hermite between history points i and i+1 at fraction frac.
    const double h00 = 2 * frac * frac * frac - 3 * frac * frac + 1;
    const double h10 = frac * frac * frac - 2 * frac * frac + frac;
    const double h01 = -2 * frac * frac * frac + 3 * frac * frac;
    const double h11 = frac * frac * frac - frac * frac;
    return h00 * x[i] + h10 * dt * dx[i] + h01 * x[i + 1] + h11 * dt * dx[i + 1];
  };
  for (long n = lag; n < steps + lag; ++n) {
    const double xd0 = x[n - lag], xd1 = x[n + 1 - lag];
    const double xdh = delayed(n - lag, 0.5);
    const double k1 = f(x[n], xd0);
    const double k2 = f(x[n] + 0.5 * dt * k1, xdh);
    const double k3 = f(x[n] + 0.5 * dt * k2, xdh);
    const double k4 = f(x[n] + dt * k3, xd1);
    x[n + 1] = x[n] + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    dx[n + 1] = f(x[n + 1], xd1);
  }
  std::vector<double> out(samples);
  for (int k = 0; k < samples; ++k) out[k] = x[lag + skip + static_cast<long>(k) * stride];
  return out;
}

Series mackey_glass(int length, int horizon) {
  require(length > horizon && horizon >= 1, "Mackey-Glass task: length {} horizon {}", length,
          horizon);
  const std::vector<double> x = mackey_glass_series(length + horizon);
  Series s;
  s.name = horizon == 1 ? "mackey-glass" : fmt::format("mackey-glass-h{}", horizon);
  s.inputs.resize(length, 1);
  s.target.resize(length);
  for (int t = 0; t < length; ++t) {
    s.inputs(t, 0) = x[t];
    s.target(t) = x[t + horizon];
  }
  return s;
}

Series corrosion(int length, unsigned long long seed) {
  require(length >= 50, "corrosion series needs at least 50 steps, got {}", length);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g;
  std::uniform_real_distribution<double> phase(0, 2 * M_PI);
  const double ph_day = phase(rng), ph_week = phase(rng), ph_t = phase(rng);
  const int coupon_hours = 168;  // a fresh coupon is exposed every week
  double h_noise = 0, t_noise = 0, wet = 0.6, exposure = 0, depth_prev = 0;
  const double ea_over_r = 40000.0 / 8.314;  // activation energy 40 kJ/mol
  std::vector<double> hum(length), temp(length), age(length), inc(length);
  for (int t = 0; t < length; ++t) {
    h_noise = 0.95 * h_noise + 0.05 * g(rng);
    t_noise = 0.97 * t_noise + 0.3 * g(rng);
    const double day = 2 * M_PI * t / 24.0, week = 2 * M_PI * t / (24.0 * 7.3);
    const double h = std::clamp(
        0.68 + 0.15 * std::sin(day + ph_day) + 0.1 * std::sin(week + ph_week) + h_noise, 0.2, 1.0);
    const double temp_c =
        18 + 6 * std::sin(day + ph_t) + 4 * std::sin(week + ph_week + 1) + t_noise;
    wet = 0.9 * wet + 0.1 * h;
    const double rate = std::exp(ea_over_r * (1 / 293.15 - 1 / (temp_c + 273.15))) *
                        std::pow(std::max(0.0, wet - 0.6), 1.5);
    if (t % coupon_hours == 0) exposure = depth_prev = 0;  // new coupon
    exposure += rate;
    const double depth = 10.0 * std::sqrt(exposure);  // d = A tau^n, n = 1/2
    inc[t] = (depth - depth_prev) * (1 + 0.02 * g(rng));
    depth_prev = depth;
    hum[t] = h;
    temp[t] = temp_c;
    age[t] = static_cast<double>(t % coupon_hours) / coupon_hours;
  }
  Series s;
  s.name = "corrosion";
  s.inputs.resize(length, 3);
  s.target.resize(length);
  double mean = 0, var = 0;
  for (double v : inc) mean += v / length;
  for (double v : inc) var += (v - mean) * (v - mean) / length;
  const double sd = std::sqrt(std::max(var, 1e-300));
  for (int t = 0; t < length; ++t) {
    s.inputs(t, 0) = hum[t];
    s.inputs(t, 1) = temp[t] / 30.0;
    s.inputs(t, 2) = age[t];
    s.target(t) = inc[t] / sd;
  }
  return s;
}

std::vector<std::string> task_names() {
  return {"narma10", "mackey-glass", "mackey-glass-multi", "corrosion"};
}

Series make_task(const std::string& name, int length, unsigned long long seed) {
  if (name == "narma10") return narma10(length, seed);
  if (name == "mackey-glass") return mackey_glass(length, 1);
  if (name == "mackey-glass-multi") return mackey_glass(length, 20);
  if (name == "corrosion") return corrosion(length, seed);
  fail(ErrorKind::usage, "unknown task '{}' (narma10, mackey-glass, mackey-glass-multi, corrosion)",
       name);
}

}  // namespace fieldlab::quantum::qrc
