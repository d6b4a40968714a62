#include "solvers/pressure_projection.hpp"

#include <fftw3.h>

#include <cmath>
#include <mutex>
#include <numbers>

#include "core/error.hpp"
#include "solvers/poisson_fft.hpp"

namespace fieldlab::solvers {

struct NeumannPoissonSolver::Plans {
  fftw_plan forward = nullptr;
  fftw_plan backward = nullptr;
};

NeumannPoissonSolver::NeumannPoissonSolver(int nx, int ny, double dx, double dy)
    : nx_(nx), ny_(ny), dx_(dx), dy_(dy), plans_(std::make_unique<Plans>()) {
  require(nx >= 2 && ny >= 2, "Poisson grid must have at least 2 cells per side (got {}x{})", nx,
          ny);
  buffer_ = fftw_alloc_real(static_cast<size_t>(nx) * ny);
  if (!buffer_) fail(ErrorKind::internal, "out of memory allocating DCT buffers");
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    plans_->forward =
        fftw_plan_r2r_2d(nx, ny, buffer_, buffer_, FFTW_REDFT10, FFTW_REDFT10, FFTW_ESTIMATE);
    plans_->backward =
        fftw_plan_r2r_2d(nx, ny, buffer_, buffer_, FFTW_REDFT01, FFTW_REDFT01, FFTW_ESTIMATE);
  }
  if (!plans_->forward || !plans_->backward) fail(ErrorKind::internal, "FFTW planning failed");
  inverse_eigenvalue_.resize(static_cast<Eigen::Index>(nx) * ny);
  // REDFT10 followed by REDFT01 multiplies by 2n per dimension.
  const double normalisation = 1.0 / (4.0 * nx * ny);
  for (int k = 0; k < nx; ++k)
    for (int l = 0; l < ny; ++l) {
      const double lambda = (2.0 * std::cos(std::numbers::pi * k / nx) - 2.0) / (dx * dx) +
                            (2.0 * std::cos(std::numbers::pi * l / ny) - 2.0) / (dy * dy);
      inverse_eigenvalue_(static_cast<Eigen::Index>(k) * ny + l) =
          (k == 0 && l == 0) ? 0.0 : normalisation / lambda;
    }
}

NeumannPoissonSolver::~NeumannPoissonSolver() {
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    if (plans_->forward) fftw_destroy_plan(plans_->forward);
    if (plans_->backward) fftw_destroy_plan(plans_->backward);
  }
  fftw_free(buffer_);
}

void NeumannPoissonSolver::solve(const Field& rhs, Field& phi) {
  const Eigen::Index n = static_cast<Eigen::Index>(nx_) * ny_;
  std::copy(rhs.data(), rhs.data() + n, buffer_);
  fftw_execute(plans_->forward);
  for (Eigen::Index k = 0; k < n; ++k) buffer_[k] *= inverse_eigenvalue_(k);
  fftw_execute(plans_->backward);
  std::copy(buffer_, buffer_ + n, phi.data());
}

void NeumannPoissonSolver::apply_laplacian(const Field& phi, Field& out) const {
  const double idx2 = 1.0 / (dx_ * dx_), idy2 = 1.0 / (dy_ * dy_);
  const int nx = nx_, ny = ny_;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const double c = phi(i, j);
      // A wall contributes no flux: its neighbour difference is simply absent.
      double s = 0.0;
      if (i > 0) s += (phi(i - 1, j) - c) * idx2;
      if (i < nx - 1) s += (phi(i + 1, j) - c) * idx2;
      if (j > 0) s += (phi(i, j - 1) - c) * idy2;
      if (j < ny - 1) s += (phi(i, j + 1) - c) * idy2;
      out(i, j) = s;
    }
}

PressureProjection::PressureProjection(const MacGrid& grid)
    : grid_(grid),
      poisson_(grid.nx, grid.ny, grid.dx(), grid.dy()),
      div_(grid.cells()),
      phi_(grid.cells()) {}

void PressureProjection::project(Field& u, Field& v) {
  const MacGrid& g = grid_;
  zero_normal_walls(g, u, v);
  divergence(g, u, v, div_);
  poisson_.solve(div_, phi_);
  const double idx = 1.0 / g.dx(), idy = 1.0 / g.dy();
  const Field& phi = phi_;
#pragma omp parallel for schedule(static)
  for (int i = 1; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j) u(i, j) -= (phi(i, j) - phi(i - 1, j)) * idx;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < g.nx; ++i)
    for (int j = 1; j < g.ny; ++j) v(i, j) -= (phi(i, j) - phi(i, j - 1)) * idy;
}

}  // namespace fieldlab::solvers
