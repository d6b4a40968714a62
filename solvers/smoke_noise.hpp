#pragma once
// Smooth random fields for smoke initial conditions, after PhiFlow's Noise(scale, smoothness)
// (what PDEArena's NavierStokes-2D generator uses): complex white noise in Fourier space with
// amplitude |k|^-smoothness, where k = m * scale / L for integer wavenumbers m, the modes with
// |k| <= 0.1 removed, the real part of the inverse FFT taken, then scaled to unit standard
// deviation and shifted to zero mean. The smoke density is the absolute value of this field.
// Coefficients are drawn in a fixed order from the caller's generator (deterministic per seed).

#include <random>

#include "solvers/mac_grid.hpp"

namespace fieldlab::solvers {

struct SmokeNoise {
  double scale = 11.0;
  double smoothness = 6.0;
  void validate() const;
};

// out is resized to (grid.nx, grid.ny). Allocates (initial conditions only, outside time loops).
void smooth_noise(const MacGrid& grid, const SmokeNoise& noise, std::mt19937_64& rng, Field& out);

}  // namespace fieldlab::solvers
