#pragma once
// Initial vorticity fields for the periodic solver (see ns2d_config.hpp for the conventions).

#include <random>

#include "solvers/ns2d_config.hpp"
#include "solvers/periodic_grid.hpp"

namespace fieldlab::solvers {

// Sample of a zero-mean Gaussian random field with covariance sigma^2 (-lap + tau^2)^(-alpha):
// w(x) = Re sum_k sqrt(2) sigma ((2 pi |k| / L)^2 + tau^2)^(-alpha/2) xi_k exp(2 pi i k.x / L)
// with xi_k standard complex normal, as in the FNO data generator.
Field gaussian_random_field(const PeriodicGrid& grid, const GaussianRandomFieldSpectrum& spectrum,
                            std::mt19937_64& rng);

// Taylor-Green vortex with wavenumber k = 2 pi / L: u = cos kx sin ky, v = -sin kx cos ky,
// vorticity -2k cos kx cos ky, all decaying as exp(-2 nu k^2 t).
Field taylor_green_vorticity(const PeriodicGrid& grid, double viscosity = 0.0, double t = 0.0);
void taylor_green_velocity(const PeriodicGrid& grid, double viscosity, double t, Field& u,
                           Field& v);

// Double shear layer (Bell, Colella & Glaz 1989) scaled to the domain.
Field double_shear_layer_vorticity(const PeriodicGrid& grid, double rho, double delta);

// The initial condition a configuration asks for; rng is used only for random fields.
Field initial_vorticity(const PeriodicGrid& grid, const Ns2dConfig& config, std::mt19937_64& rng);

}  // namespace fieldlab::solvers
