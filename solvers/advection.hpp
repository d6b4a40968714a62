#pragma once
// Semi-Lagrangian advection on the MAC grid, with a MacCormack (second-order) option.
//
// Semi-Lagrangian: each node's value is the field bilinearly interpolated at its departure point,
// traced back over dt through the frozen face velocity with a second-order (midpoint) step. Stable
// at any CFL number; bilinear interpolation makes it first order when dt ~ dx.
// MacCormack (Selle et al. 2008): phi^ = A(phi), phi_ = A^-1(phi^) (the same tracer run forwards),
// phi_new = phi^ + (phi - phi_) / 2, which cancels the leading interpolation error (second order).
// Its optional limiter clamps each value to the range of the four nodes the forward step
// interpolated, so no new extrema appear (this costs some accuracy next to sharp extrema).
// Departure points outside the box are clamped onto the walls (mac_grid.hpp: GridSampler).
// No allocation after construction; every loop is OpenMP-parallel and reduction-free, so results
// do not depend on the thread count.

#include <string>

#include "solvers/mac_grid.hpp"

namespace fieldlab::solvers {

enum class AdvectionScheme { semi_lagrangian, maccormack };
const char* to_string(AdvectionScheme scheme);
AdvectionScheme parse_advection_scheme(const std::string& name);

class Advector {
 public:
  Advector(const MacGrid& grid, const WallSet& walls, AdvectionScheme scheme, bool limiter = true);

  // Cell-centred scalar c carried by the face velocity (u, v) over dt. out must not alias c.
  void advect_cells(const Field& c, const Field& u, const Field& v, double dt, Field& out);
  // Self-advection of the velocity: (u, v) -> (u_out, v_out); outputs must not alias inputs.
  void advect_velocity(const Field& u, const Field& v, double dt, Field& u_out, Field& v_out);

  AdvectionScheme scheme() const { return scheme_; }

 private:
  MacGrid grid_;
  WallSet walls_;
  AdvectionScheme scheme_;
  bool limiter_;
  Field c_hat_, c_lo_, c_hi_, u_hat_, u_lo_, u_hi_, v_hat_, v_lo_, v_hi_;
};

}  // namespace fieldlab::solvers
