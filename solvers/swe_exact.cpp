#include "solvers/swe_exact.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

DamBreakStructure dam_break_structure(double h_left, double h_right, double gravity) {
  require(std::isfinite(h_left) && h_left > 0, "--h-left must be positive (got {})", h_left);
  require(std::isfinite(h_right) && h_right >= 0, "--h-right must be >= 0 (got {})", h_right);
  require(h_right <= h_left, "the exact dam break needs h-left >= h-right (got {} < {})", h_left,
          h_right);
  require(std::isfinite(gravity) && gravity > 0, "--gravity must be positive (got {})", gravity);
  DamBreakStructure s;
  s.h_left = h_left;
  s.h_right = h_right;
  s.gravity = gravity;
  const double c1 = std::sqrt(gravity * h_left);
  if (h_right == 0.0) {
    s.shock_speed = 2.0 * c1;
    return s;
  }
  if (h_right == h_left) {
    s.h_middle = h_left;
    return s;
  }
  // The middle depth joins the left rarefaction (u = 2 (c1 - c)) to the right shock
  // (u = (h - h0) sqrt(g (h + h0) / (2 h h0))); the difference is monotone in h on (h0, h1).
  const double h0 = h_right;
  auto mismatch = [&](double h) {
    const double rarefaction = 2.0 * (c1 - std::sqrt(gravity * h));
    const double shock = (h - h0) * std::sqrt(0.5 * gravity * (h + h0) / (h * h0));
    return rarefaction - shock;
  };
  double lo = h0, hi = h_left;
  for (int k = 0; k < 200 && hi - lo > 1e-15 * h_left; ++k) {
    const double mid = 0.5 * (lo + hi);
    (mismatch(mid) > 0 ? lo : hi) = mid;
  }
  s.h_middle = 0.5 * (lo + hi);
  s.u_middle = 2.0 * (c1 - std::sqrt(gravity * s.h_middle));
  s.shock_speed = s.h_middle * s.u_middle / (s.h_middle - h0);  // mass balance across the shock
  return s;
}

void dam_break_exact(const DamBreakStructure& s, double x, double t, double& h, double& u) {
  const double g = s.gravity, c1 = std::sqrt(g * s.h_left);
  if (t <= 0.0) {
    h = x < 0 ? s.h_left : s.h_right;
    u = 0.0;
    return;
  }
  const double xi = x / t;
  h = s.h_left;
  u = 0.0;
  if (xi <= -c1) return;
  const double c2 = std::sqrt(g * s.h_middle);
  const double fan_end = s.h_right == 0.0 ? 2.0 * c1 : s.u_middle - c2;
  if (xi < fan_end) {
    const double c = (2.0 * c1 - xi) / 3.0;
    h = c * c / g;
    u = 2.0 * (c1 - c);
    return;
  }
  if (s.h_right > 0.0 && xi < s.shock_speed) {
    h = s.h_middle;
    u = s.u_middle;
    return;
  }
  h = s.h_right;
  u = 0.0;
}

double stoker_polynomial(double h_middle, double h_left, double h_right) {
  const double r = h_middle / h_left, a = h_right / h_left;
  return r * r * r - 9.0 * r * r * a + 16.0 * std::pow(r, 1.5) * a - r * a * (a + 8.0) + a * a * a;
}

}  // namespace fieldlab::solvers
