"""PDE solvers, initial conditions and verification cases on numpy arrays.

Solver classes (built from keyword arguments with the names and defaults of their configs and the
CLI's options; ``Cls.defaults()`` lists them): :class:`Ns2d` (periodic Navier-Stokes, vorticity
form), :class:`Incompressible` (closed-box MAC-grid flow with optional smoke; :func:`Smoke` sets
up the buoyant-smoke case), :class:`ShallowWater` (finite volume), :class:`ShallowWaterCGrid`
(rotating, periodic C-grid) and :class:`Cavity` (the lid-driven cavity, marched to a steady
state by ``run()``). The time-stepping ones have ``step()``, ``advance_to(t, progress=None)``
(GIL released, Ctrl-C stops after the current step), ``time``, ``diagnostics()`` and their fields
as zero-copy numpy views of the solver's memory (read-only unless the docstring says writable).

Verification cases (the same cases, options and defaults as ``fieldlab solve <case>``):
:func:`solve_taylor_green`, :func:`solve_cavity`, :func:`solve_dam_break`,
:func:`solve_lake_at_rest`, :func:`solve_geostrophic_jet`; each returns a dict of the final fields
and the numbers the CLI prints and writes.
"""

from __future__ import annotations

import numpy as np

from ._core.solvers import (
    Cavity,
    Incompressible,
    Ns2d,
    ShallowWater,
    ShallowWaterCGrid,
    double_shear_layer,
    gaussian_random_field,
    smoke_noise,
    solve_cavity,
    solve_dam_break,
    solve_geostrophic_jet,
    solve_lake_at_rest,
    solve_taylor_green,
    taylor_green_velocity,
    taylor_green_vorticity,
)

__all__ = [
    "Cavity",
    "Incompressible",
    "Ns2d",
    "ShallowWater",
    "ShallowWaterCGrid",
    "Smoke",
    "double_shear_layer",
    "gaussian_random_field",
    "smoke_noise",
    "solve_cavity",
    "solve_dam_break",
    "solve_geostrophic_jet",
    "solve_lake_at_rest",
    "solve_taylor_green",
    "taylor_green_velocity",
    "taylor_green_vorticity",
    "velocity_rms_error",
]


def Smoke(
    *,
    resolution: int = 128,
    length: float = 32.0,
    viscosity: float = 0.01,
    buoyancy: float = 0.5,
    buoyancy_x: float = 0.0,
    dt: float = 1.5,
    noise_scale: float = 11.0,
    noise_smoothness: float = 6.0,
    advection: str = "semi-lagrangian",
    seed: int = 0,
) -> Incompressible:
    """Buoyant smoke in a closed box: an :class:`Incompressible` solver with a scalar, set up as
    ``fieldlab generate smoke2d`` does (same option names and defaults; ``buoyancy`` is the y
    factor). The initial smoke is ``abs(smoke_noise(...))`` drawn with ``mt19937_64(seed)`` (not the
    generator's per-trajectory seed derivation), the fluid at rest."""
    solver = Incompressible(
        nx=resolution,
        ny=resolution,
        lx=length,
        ly=length,
        viscosity=viscosity,
        advection=advection,
        scalar=True,
        buoyancy_x=buoyancy_x,
        buoyancy_y=buoyancy,
        dt=dt,
    )
    noise = smoke_noise(resolution, resolution, length, length, noise_scale, noise_smoothness, seed)
    solver.scalar[...] = np.abs(noise)
    return solver


def velocity_rms_error(
    u: np.ndarray, v: np.ndarray, u_exact: np.ndarray, v_exact: np.ndarray
) -> float:
    """sqrt(mean((u - u_exact)^2 + (v - v_exact)^2)), the error ``solve_taylor_green`` reports."""
    return float(np.sqrt(np.mean((u - u_exact) ** 2 + (v - v_exact) ** 2)))
