#include "solvers/periodic_grid.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

PeriodicGrid::PeriodicGrid(int nx_, int ny_, double lx_, double ly_)
    : nx(nx_), ny(ny_), lx(lx_), ly(ly_) {
  require(nx >= 4 && ny >= 4, "grid resolution must be at least 4 points per side (got {}x{})", nx,
          ny);
  require(nx % 2 == 0 && ny % 2 == 0, "grid resolution must be even (got {}x{})", nx, ny);
  require(std::isfinite(lx) && lx > 0 && std::isfinite(ly) && ly > 0,
          "domain lengths must be positive (got {} x {})", lx, ly);
}

}  // namespace fieldlab::solvers
