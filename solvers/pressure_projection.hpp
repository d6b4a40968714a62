#pragma once
// Chorin pressure projection on the MAC grid (mac_grid.hpp).
//
// The Poisson problem is the cell-centred 5-point Laplacian with homogeneous Neumann walls (the
// wall-normal velocity is prescribed, so no pressure flux crosses a wall). That matrix is
// diagonalised exactly by the type-II discrete cosine transform in each direction, with
// eigenvalues (2 cos(pi k / nx) - 2) / dx^2 + (2 cos(pi l / ny) - 2) / dy^2, so the solve is
// direct: DCT-II (FFTW REDFT10), divide, DCT-III (REDFT01). It is O(N log N), needs no tolerance,
// and is the exact inverse of the discrete operator, which is what puts the post-projection
// divergence at round-off rather than at a solver tolerance. (bench_incompressible measures it
// against Eigen's conjugate gradient on the same matrix; docs/incompressible.md records the
// numbers.) Plans use FFTW_ESTIMATE: the same arithmetic on every run, so output is
// bit-reproducible.

#include <memory>

#include "solvers/mac_grid.hpp"

namespace fieldlab::solvers {

class NeumannPoissonSolver {
 public:
  NeumannPoissonSolver(int nx, int ny, double dx, double dy);
  ~NeumannPoissonSolver();
  NeumannPoissonSolver(const NeumannPoissonSolver&) = delete;
  NeumannPoissonSolver& operator=(const NeumannPoissonSolver&) = delete;

  // phi with lap_h phi = rhs - mean(rhs) and zero mean (the Neumann problem's compatible part).
  // rhs and phi may alias. No allocation.
  void solve(const Field& rhs, Field& phi);
  // The discrete Neumann Laplacian itself (for tests): out = lap_h phi.
  void apply_laplacian(const Field& phi, Field& out) const;

 private:
  struct Plans;
  int nx_, ny_;
  double dx_, dy_;
  double* buffer_ = nullptr;
  Eigen::ArrayXd inverse_eigenvalue_;  // 1 / (lambda * 4 nx ny); 0 for the constant mode
  std::unique_ptr<Plans> plans_;
};

// Makes a face velocity discretely divergence-free: solves lap_h phi = div u, then
// u -= grad_h phi on every interior face. Pressure (density 1) is phi / dt.
class PressureProjection {
 public:
  explicit PressureProjection(const MacGrid& grid);
  void project(Field& u, Field& v);
  // phi of the latest projection (the pressure times the time step).
  const Field& potential() const { return phi_; }
  const MacGrid& grid() const { return grid_; }

 private:
  MacGrid grid_;
  NeumannPoissonSolver poisson_;
  Field div_, phi_;
};

}  // namespace fieldlab::solvers
