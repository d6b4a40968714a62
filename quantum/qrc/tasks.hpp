#pragma once
// Benchmark series for reservoir computing: inputs (T x d) and the target (T) a readout should
// produce at each step from the inputs seen so far.

#include <Eigen/Dense>
#include <string>
#include <vector>

namespace fieldlab::quantum::qrc {

struct Series {
  std::string name;
  Eigen::MatrixXd inputs;  // T x d
  Eigen::VectorXd target;  // T
};

// NARMA10: u_t ~ U[0, 0.5], y_{t+1} = 0.3 y_t + 0.05 y_t sum_{i=0}^{9} y_{t-i} + 1.5 u_{t-9} u_t +
// 0.1. Input u_t, target y_{t+1} (known from u up to t). Draws are repeated for the rare diverging
// realisation (|y| > 1e3), so every seed gives a bounded series.
Series narma10(int length, unsigned long long seed);

// Mackey-Glass dx/dt = 0.2 x(t-tau) / (1 + x(t-tau)^10) - 0.1 x(t), x = 1.2 for t <= 0, integrated
// with RK4 at step dt (tau/dt must be an integer) using cubic Hermite interpolation of the delayed
// term at half steps; returns x at t = 0, sample, 2 sample, ... after discarding `transient` time.
std::vector<double> mackey_glass_series(int samples, double tau = 17.0, double dt = 0.1,
                                        double sample = 1.0, double transient = 500.0);
// Task: input x_t, target x_{t+horizon} (direct forecasting; horizon 1 = one-step).
Series mackey_glass(int length, int horizon);

// Synthetic atmospheric corrosion of aluminium-alloy coupons (documented in docs/quantum.md):
// hourly relative humidity H_t and temperature T_t (daily and ~weekly cycles plus AR(1) weather
// noise); surface wetness w_t = 0.9 w_{t-1} + 0.1 H_t; rate
// k_t = exp(Ea/R (1/293.15 - 1/(T_t + 273.15))) * max(0, w_t - 0.6)^1.5 (Arrhenius in T, zero
// below the critical humidity 0.6). A fresh coupon is exposed every 168 h: its effective exposure
// tau_t = sum of k since it was put out, its depth follows power-law kinetics d_t = A tau_t^0.5.
// Inputs (H_t, T_t / 30, coupon age / 168 h); target: the hourly depth increment d_t - d_{t-1}
// in units of its standard deviation, with 2% multiplicative measurement noise.
Series corrosion(int length, unsigned long long seed);

// By name: narma10, mackey-glass, mackey-glass-multi (horizon 20), corrosion.
Series make_task(const std::string& name, int length, unsigned long long seed);
std::vector<std::string> task_names();

}  // namespace fieldlab::quantum::qrc
