"""
PDE solvers, initial conditions and verification cases (re-exported by fieldlab.solvers).
"""
from __future__ import annotations
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Cavity', 'Incompressible', 'Ns2d', 'ShallowWater', 'ShallowWaterCGrid', 'double_shear_layer', 'gaussian_random_field', 'smoke_noise', 'solve_cavity', 'solve_dam_break', 'solve_geostrophic_jet', 'solve_lake_at_rest', 'solve_taylor_green', 'taylor_green_velocity', 'taylor_green_vorticity']
class Ns2d:
    """
    Periodic 2D incompressible Navier-Stokes in vorticity-streamfunction form.
    
    Keyword arguments are the options of ``fieldlab generate ns2d`` that configure the solver (same
    names with '-' -> '_', same defaults; see ``Ns2d.defaults()``), plus ``seed`` (default 0): the
    initial vorticity is the ``initial_condition``, random ones drawn with ``mt19937_64(seed)``.
    ``resolution`` is the grid the solver runs on (nx = ny). An unknown keyword is a TypeError
    naming the valid ones; an invalid value is a fieldlab.UsageError.
    
    Not thread-safe on one object: use one solver per thread.
    """
    @staticmethod
    def defaults() -> dict:
        """
        {keyword: default} of the constructor (without seed, whose default is 0).
        """
    def __init__(self, **kwargs) -> None:
        """
        Builds the solver from keyword arguments and sets the initial vorticity.
        """
    def advance_to(self, t: typing.SupportsFloat | typing.SupportsIndex, progress: typing.Any = None) -> None:
        """
        Advances to time t (>= time) with the GIL released. `progress`: None, True (tqdm), a tqdm bar or f(done, total, label, note). Ctrl-C stops after the current step (time < t, the state consistent) and raises KeyboardInterrupt.
        """
    def automatic_dt(self) -> float:
        """
        Largest stable step estimated from the current state (CFL and diffusion limits).
        """
    def diagnostics(self) -> dict:
        """
        The library's Ns2dDiagnostics as a dict: time, kinetic_energy, enstrophy, max_speed, cfl, max_divergence, steps.
        """
    def set_vorticity(self, vorticity: typing.Any, time: typing.Any = None) -> None:
        """
        Replaces the state by a copy of `vorticity` (shape (nx, ny)) at `time` (default: the current time). Wrong shapes or non-finite values raise fieldlab.UsageError.
        """
    def step(self) -> None:
        """
        Advances by one step of the fixed dt, or of the automatic (CFL) step when dt is 0 (dopri5: an interval of that length, which may take several adaptive steps).
        """
    def streamfunction(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        The streamfunction psi (lap psi = -vorticity), a new (nx, ny) array.
        """
    def velocity(self) -> tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64]]:
        """
        (u, v) = (d psi/dy, -d psi/dx), new (nx, ny) arrays.
        """
    @property
    def config(self) -> dict:
        """
        {keyword: value} this solver was built with.
        """
    @property
    def dx(self) -> float:
        """
        Grid spacing along x.
        """
    @property
    def dy(self) -> float:
        """
        Grid spacing along y.
        """
    @property
    def extent(self) -> tuple[float, float]:
        """
        (lx, ly): the periodic domain [0, lx) x [0, ly).
        """
    @property
    def nx(self) -> int:
        """
        Grid points along x.
        """
    @property
    def ny(self) -> int:
        """
        Grid points along y.
        """
    @property
    def steps(self) -> int:
        """
        Time steps taken so far.
        """
    @property
    def time(self) -> float:
        """
        Current simulated time.
        """
    @property
    def vorticity(self) -> numpy.ndarray:
        """
        The vorticity, shape (nx, ny) indexed [x, y]: a READ-ONLY zero-copy view of the solver's state (it changes as the solver steps). Write it with set_vorticity(), which also re-initialises the adaptive stepper.
        """
    @property
    def x(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Node coordinates x_i = i dx (a new array).
        """
    @property
    def y(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Node coordinates y_j = j dy (a new array).
        """
class Incompressible:
    """
    Incompressible Navier-Stokes in a closed no-slip box on the MAC grid, with an
    optional passive scalar (smoke) that drives the flow through buoyancy (Chorin splitting:
    advection, buoyancy, explicit diffusion, pressure projection).
    
    Keywords: nx, ny, lx, ly, viscosity, advection ('semi-lagrangian' | 'maccormack'), limiter,
    scalar, buoyancy_x, buoyancy_y (IncompressibleConfig, same defaults), and dt (the step size of
    step() and advance_to(); default 1.5 as `fieldlab generate smoke2d`). See Incompressible.defaults().
    The fluid starts at rest (scalar zero). fieldlab.solvers.Smoke() builds the smoke setup with
    `fieldlab generate smoke2d`'s option names. Not thread-safe on one object.
    """
    @staticmethod
    def defaults() -> dict:
        """
        {keyword: default} of the constructor.
        """
    def __init__(self, **kwargs) -> None:
        """
        Builds the solver from keyword arguments (fluid at rest).
        """
    def advance_to(self, t: typing.SupportsFloat | typing.SupportsIndex, progress: typing.Any = None) -> None:
        """
        Advances to time t with steps of dt (the last shortened to land on t), the GIL released. Ctrl-C stops after the current step and raises KeyboardInterrupt.
        """
    def diagnostics(self) -> dict:
        """
        A dict: time, steps, max_divergence, max_cfl_rate (max(|u|/dx + |v|/dy)), kinetic_energy and, with a scalar, scalar_mass.
        """
    def project(self) -> None:
        """
        Projects the current velocity onto divergence-free fields (after writing u or v).
        """
    def step(self, dt: typing.Any = None) -> None:
        """
        One step of size dt (default: the solver's dt).
        """
    @property
    def config(self) -> dict:
        """
        {keyword: value} this solver was built with.
        """
    @property
    def dt(self) -> float:
        """
        Step size of step().
        """
    @property
    def dx(self) -> float:
        """
        Cell width.
        """
    @property
    def dy(self) -> float:
        """
        Cell height.
        """
    @property
    def extent(self) -> tuple[float, float]:
        """
        (lx, ly): the box [0, lx] x [0, ly].
        """
    @property
    def nx(self) -> int:
        """
        Cells along x.
        """
    @property
    def ny(self) -> int:
        """
        Cells along y.
        """
    @property
    def scalar(self) -> typing.Any:
        """
        The passive scalar (smoke density) at cell centres, shape (nx, ny), a WRITABLE zero-copy view (safe to write between steps); None when built with scalar=False.
        """
    @property
    def steps(self) -> int:
        """
        Steps taken so far.
        """
    @property
    def time(self) -> float:
        """
        Current simulated time.
        """
    @property
    def u(self) -> numpy.ndarray:
        """
        x-velocity on the west faces, shape (nx + 1, ny), a WRITABLE zero-copy view of the solver's state (it changes as the solver steps). After writing u or v call project() to make the velocity divergence-free again; the wall faces are overwritten by the boundary conditions.
        """
    @property
    def v(self) -> numpy.ndarray:
        """
        y-velocity on the south faces, shape (nx, ny + 1), a WRITABLE zero-copy view (see u).
        """
class Cavity:
    """
    The lid-driven cavity on the unit square (no-slip walls, the top wall moving at
    speed 1, Re = 1 / nu), marched with the MAC-grid solver to a steady state.
    
    Keywords: re, resolution, advection, cfl, tolerance, max_time: the options of
    `fieldlab solve cavity` (same defaults; see Cavity.defaults()). run() marches (a long call);
    calling it again after a KeyboardInterrupt continues from where it stopped. Not thread-safe on
    one object.
    """
    @staticmethod
    def defaults() -> dict:
        """
        {keyword: default} of the constructor.
        """
    def __init__(self, **kwargs) -> None:
        """
        Builds the cavity (fluid at rest) from keyword arguments.
        """
    def node_fields(self) -> dict:
        """
        The fields on the node grid x_i = i / n (walls included), [x, y], new arrays: x, y, u, v, pressure (zero mean), streamfunction, vorticity.
        """
    def run(self, progress: typing.Any = None) -> dict:
        """
        Marches until max |du/dt| < tolerance or max_time (GIL released; Ctrl-C stops at the next check and raises KeyboardInterrupt). Returns the CLI's numbers: converged, time, steps, dt, final_residual, max_divergence, convergence_history_time/_residual, ghia1982_max_deviation_u/_v (Re 100 and 1000), wall_seconds.
        """
    def u_at(self, x: typing.SupportsFloat | typing.SupportsIndex, y: typing.SupportsFloat | typing.SupportsIndex) -> float:
        """
        u interpolated at a point of the unit square.
        """
    def v_at(self, x: typing.SupportsFloat | typing.SupportsIndex, y: typing.SupportsFloat | typing.SupportsIndex) -> float:
        """
        v interpolated at a point of the unit square.
        """
    @property
    def config(self) -> dict:
        """
        {keyword: value} this cavity was built with.
        """
    @property
    def dx(self) -> float:
        """
        Cell width.
        """
    @property
    def extent(self) -> tuple[float, float]:
        """
        (1, 1): the unit square.
        """
    @property
    def nx(self) -> int:
        """
        Cells per side.
        """
    @property
    def ny(self) -> int:
        """
        Cells per side.
        """
    @property
    def steps(self) -> int:
        """
        Steps taken.
        """
    @property
    def time(self) -> float:
        """
        Simulated time.
        """
    @property
    def u(self) -> numpy.ndarray:
        """
        x-velocity on the MAC faces, (nx + 1, ny): a READ-ONLY zero-copy view of the solver's state (it changes while run() marches).
        """
    @property
    def v(self) -> numpy.ndarray:
        """
        y-velocity on the MAC faces, (nx, ny + 1): a READ-ONLY zero-copy view.
        """
class ShallowWater:
    """
    Finite-volume shallow water on a rectangle (HLL/HLLC/Rusanov/Roe fluxes,
    MUSCL reconstruction, hydrostatic reconstruction for the bottom, SSP Runge-Kutta).
    
    Keywords: nx, ny, x_min, x_max, y_min, y_max, gravity, riemann, limiter, stepper, boundary
    ('transmissive' | 'reflective'), cfl, dry_tolerance (FvSweConfig, same defaults; see
    ShallowWater.defaults()). The state starts dry (h = 0): call set_bathymetry() then set_state().
    Not thread-safe on one object.
    """
    @staticmethod
    def defaults() -> dict:
        """
        {keyword: default} of the constructor.
        """
    def __init__(self, **kwargs) -> None:
        """
        Builds the solver from keyword arguments.
        """
    def advance_to(self, t: typing.SupportsFloat | typing.SupportsIndex, progress: typing.Any = None) -> None:
        """
        Advances to time t with CFL-limited steps landing exactly on t, the GIL released. Ctrl-C stops after the current step and raises KeyboardInterrupt.
        """
    def bathymetry(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Bottom elevation z at cell centres (a new array).
        """
    def diagnostics(self) -> dict:
        """
        The library's FvSweDiagnostics as a dict: time, mass, energy, max_wave_speed, min_depth, clipped_mass, steps.
        """
    def set_bathymetry(self, z: typing.Any) -> None:
        """
        Sets the bottom elevation (shape (nx, ny)); set it before the state.
        """
    def set_state(self, h: typing.Any, hu: typing.Any = None, hv: typing.Any = None, t: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        """
        Sets depth (>= 0) and momenta (default 0), each (nx, ny), at time t. Wrong shapes, negative depths or non-finite values raise fieldlab.UsageError.
        """
    def stable_dt(self) -> float:
        """
        Largest step allowed by cfl for the current state.
        """
    def step(self, dt: typing.Any = None) -> None:
        """
        One SSP-RK step of size dt (default: stable_dt()).
        """
    def velocity(self) -> tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64]]:
        """
        (u, v), zero in dry cells: new (nx, ny) arrays.
        """
    @property
    def config(self) -> dict:
        """
        {keyword: value} this solver was built with.
        """
    @property
    def depth(self) -> numpy.ndarray:
        """
        Depth h at cell centres, (nx, ny) [x, y]: a READ-ONLY zero-copy (strided) view of the solver's state, which changes as it steps. Write the state with set_state().
        """
    @property
    def dx(self) -> float:
        """
        Cell width.
        """
    @property
    def dy(self) -> float:
        """
        Cell height.
        """
    @property
    def extent(self) -> tuple[float, float, float, float]:
        """
        (x_min, x_max, y_min, y_max), matplotlib's imshow extent order.
        """
    @property
    def momentum_x(self) -> numpy.ndarray:
        """
        x-momentum hu, a READ-ONLY zero-copy view (see depth).
        """
    @property
    def momentum_y(self) -> numpy.ndarray:
        """
        y-momentum hv, a READ-ONLY zero-copy view (see depth).
        """
    @property
    def nx(self) -> int:
        """
        Cells along x.
        """
    @property
    def ny(self) -> int:
        """
        Cells along y.
        """
    @property
    def steps(self) -> int:
        """
        Steps taken so far.
        """
    @property
    def time(self) -> float:
        """
        Current simulated time.
        """
    @property
    def x(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Cell-centre x coordinates (a new array).
        """
    @property
    def y(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Cell-centre y coordinates (a new array).
        """
class ShallowWaterCGrid:
    """
    Rotating shallow water on a doubly periodic plane, Arakawa C-grid,
    vector-invariant form with Sadourny's energy- or enstrophy-conserving PV flux; RK4 or SSP-RK3.
    
    Keywords: nx, ny, lx, ly, gravity, depth (mean H), f0, beta, viscosity, drag, scheme, stepper,
    cfl, dt (SweCgridConfig, same defaults; see ShallowWaterCGrid.defaults()). Starts at rest with
    h = depth. h sits at cell centres, u on west faces, v on south faces. Not thread-safe on one
    object.
    """
    @staticmethod
    def defaults() -> dict:
        """
        {keyword: default} of the constructor.
        """
    def __init__(self, **kwargs) -> None:
        """
        Builds the solver from keyword arguments (at rest, h = depth).
        """
    def adjustment_state(self, amplitude: typing.SupportsFloat | typing.SupportsIndex = 0.05, width: typing.SupportsFloat | typing.SupportsIndex = 0.05) -> tuple:
        """
        (h, u, v) of a Gaussian bump at rest (geostrophic adjustment); new arrays.
        """
    def advance_to(self, t: typing.SupportsFloat | typing.SupportsIndex, progress: typing.Any = None) -> None:
        """
        Advances to time t with equal steps landing on it, the GIL released. Ctrl-C stops after the current step and raises KeyboardInterrupt.
        """
    def automatic_dt(self) -> float:
        """
        The step chosen from cfl.
        """
    def centred(self) -> dict:
        """
        Fields interpolated to cell centres, new arrays: {eta (h - depth), u, v, vorticity}.
        """
    def diagnostics(self) -> dict:
        """
        The library's SweCgridDiagnostics as a dict: time, mass, energy, potential_enstrophy, max_speed, min_depth, cfl, steps.
        """
    def jet_state(self, speed: typing.SupportsFloat | typing.SupportsIndex = 0.1, mode: typing.SupportsInt | typing.SupportsIndex = 1, perturbation: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> tuple:
        """
        (h, u, v) of the balanced zonal jet u = U sin(k y), eta = (f0 U / (g k)) cos(k y), k = 2 pi mode / ly, for this solver's grid (new arrays; pass them to set_state).
        """
    def random_state(self, balanced: bool = True, amplitude: typing.SupportsFloat | typing.SupportsIndex = 0.05, alpha: typing.SupportsFloat | typing.SupportsIndex = 3.0, tau: typing.SupportsFloat | typing.SupportsIndex = 15.0, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> tuple:
        """
        (h, u, v) with a random eta of rms `amplitude` (spectrum alpha, tau), geostrophically balanced winds or at rest; drawn with mt19937_64(seed). New arrays.
        """
    def set_state(self, h: typing.Any, u: typing.Any, v: typing.Any, t: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        """
        Sets depth (> 0), u and v (each (nx, ny), staggered) at time t. Wrong shapes or bad values raise fieldlab.UsageError.
        """
    def step(self) -> None:
        """
        One step of the fixed dt (or the automatic one when dt is 0).
        """
    @property
    def config(self) -> dict:
        """
        {keyword: value} this solver was built with.
        """
    @property
    def dx(self) -> float:
        """
        Cell width.
        """
    @property
    def dy(self) -> float:
        """
        Cell height.
        """
    @property
    def extent(self) -> tuple[float, float]:
        """
        (lx, ly): the periodic domain.
        """
    @property
    def h(self) -> numpy.ndarray:
        """
        Total depth at cell centres, (nx, ny): a READ-ONLY zero-copy view of the state (rows [0, nx) of the stored (3 nx, ny) state), changing as the solver steps. Write the state with set_state().
        """
    @property
    def nx(self) -> int:
        """
        Cells along x.
        """
    @property
    def ny(self) -> int:
        """
        Cells along y.
        """
    @property
    def steps(self) -> int:
        """
        Steps taken so far.
        """
    @property
    def time(self) -> float:
        """
        Current simulated time.
        """
    @property
    def u(self) -> numpy.ndarray:
        """
        x-velocity on west faces, a READ-ONLY zero-copy view (see h).
        """
    @property
    def v(self) -> numpy.ndarray:
        """
        y-velocity on south faces, a READ-ONLY zero-copy view (see h).
        """
def double_shear_layer(resolution: typing.SupportsInt | typing.SupportsIndex = 64, length: typing.SupportsFloat | typing.SupportsIndex = 1.0, rho: typing.SupportsFloat | typing.SupportsIndex = 42.0, delta: typing.SupportsFloat | typing.SupportsIndex = 0.05) -> numpy.typing.NDArray[numpy.float64]:
    """
    Double shear layer vorticity (Bell, Colella & Glaz 1989) scaled to the domain. A new array.
    """
def gaussian_random_field(resolution: typing.SupportsInt | typing.SupportsIndex = 64, length: typing.SupportsFloat | typing.SupportsIndex = 1.0, alpha: typing.SupportsFloat | typing.SupportsIndex = 2.5, tau: typing.SupportsFloat | typing.SupportsIndex = 7.0, sigma: typing.SupportsFloat | typing.SupportsIndex = -1.0, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> numpy.typing.NDArray[numpy.float64]:
    """
    A zero-mean Gaussian random field with covariance sigma^2 (-lap + tau^2)^(-alpha) on the periodic square (sigma < 0: tau^(alpha - 1), the FNO choice), drawn with mt19937_64(seed). A new (resolution, resolution) array indexed [x, y].
    """
def smoke_noise(nx: typing.SupportsInt | typing.SupportsIndex = 128, ny: typing.SupportsInt | typing.SupportsIndex = 128, lx: typing.SupportsFloat | typing.SupportsIndex = 32.0, ly: typing.SupportsFloat | typing.SupportsIndex = 32.0, scale: typing.SupportsFloat | typing.SupportsIndex = 11.0, smoothness: typing.SupportsFloat | typing.SupportsIndex = 6.0, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> numpy.typing.NDArray[numpy.float64]:
    """
    PhiFlow-style smooth noise (zero mean, unit standard deviation) at cell centres, drawn with mt19937_64(seed); the smoke density is its absolute value. A new (nx, ny) array.
    """
def solve_cavity(*, re: typing.SupportsFloat | typing.SupportsIndex = 100.0, resolution: typing.SupportsInt | typing.SupportsIndex = 128, advection: str = 'maccormack', cfl: typing.SupportsFloat | typing.SupportsIndex = 0.5, tolerance: typing.SupportsFloat | typing.SupportsIndex = 1e-06, max_time: typing.SupportsFloat | typing.SupportsIndex = 500.0, progress: typing.Any = None) -> dict:
    """
    `fieldlab solve cavity`: the lid-driven cavity marched to a steady state (Cavity(...).run() and node_fields() in one call). Returns a dict of new arrays on the node grid x_i = i / n (walls included), [x, y]: u, v, pressure, streamfunction, vorticity; and the numbers the CLI writes: converged (False when max_time ran out; the CLI then exits with an error, Python returns the fields), time, steps, dt, final_residual, max_divergence, convergence_history_time/_residual, ghia1982_max_deviation_u/_v (Re 100 and 1000), wall_seconds. Ctrl-C stops at the next check and raises KeyboardInterrupt.
    """
def solve_dam_break(*, resolution: typing.SupportsInt | typing.SupportsIndex = 400, ny: typing.SupportsInt | typing.SupportsIndex = 4, h_left: typing.SupportsFloat | typing.SupportsIndex = 2.0, h_right: typing.SupportsFloat | typing.SupportsIndex = 1.0, gravity: typing.SupportsFloat | typing.SupportsIndex = 1.0, t_end: typing.SupportsFloat | typing.SupportsIndex = 0.4, riemann: str = 'hllc', limiter: str = 'mc', stepper: str = 'ssprk2', cfl: typing.SupportsFloat | typing.SupportsIndex = 0.5, progress: typing.Any = None) -> dict:
    """
    `fieldlab solve dam-break`: planar dam on [-1, 1] vs the exact Stoker/Ritter solution. Returns a dict of new arrays x, y (cell centres), h, u, hu, h_exact, u_exact ([x, y]) and the numbers the CLI writes: time, steps, l1_error_h, l1_error_u, h_middle_exact, u_middle_exact, shock_speed_exact, mass_change, exact_solution.
    """
def solve_geostrophic_jet(*, resolution: typing.SupportsInt | typing.SupportsIndex = 64, length: typing.SupportsFloat | typing.SupportsIndex = 1.0, speed: typing.SupportsFloat | typing.SupportsIndex = 0.1, mode: typing.SupportsInt | typing.SupportsIndex = 1, f0: typing.SupportsFloat | typing.SupportsIndex = 10.0, gravity: typing.SupportsFloat | typing.SupportsIndex = 1.0, depth: typing.SupportsFloat | typing.SupportsIndex = 1.0, t_end: typing.SupportsFloat | typing.SupportsIndex = 1.0, scheme: str = 'energy', stepper: str = 'rk4', cfl: typing.SupportsFloat | typing.SupportsIndex = 0.5, dt: typing.SupportsFloat | typing.SupportsIndex = 0.0, progress: typing.Any = None) -> dict:
    """
    `fieldlab solve geostrophic-jet`: the balanced zonal jet, an exact steady state of the C-grid solver. Returns a dict of new arrays x, y (cell centres), eta, u, v, vorticity, eta_exact and the CLI's numbers: time, steps, max_u_error, max_v, max_eta_error, relative_energy_change, relative_mass_change.
    """
def solve_lake_at_rest(*, resolution: typing.SupportsInt | typing.SupportsIndex = 100, t_end: typing.SupportsFloat | typing.SupportsIndex = 1.0, bump: typing.SupportsFloat | typing.SupportsIndex = 0.2, decay: typing.SupportsFloat | typing.SupportsIndex = 100.0, level: typing.SupportsFloat | typing.SupportsIndex = 1.0, gravity: typing.SupportsFloat | typing.SupportsIndex = 1.0, riemann: str = 'hllc', limiter: str = 'mc', stepper: str = 'ssprk2', cfl: typing.SupportsFloat | typing.SupportsIndex = 0.5, progress: typing.Any = None) -> dict:
    """
    `fieldlab solve lake-at-rest`: still water over a Gaussian bump (well-balancing). Returns a dict of new arrays x, y, h, u, v, z, eta and the CLI's numbers: time, steps, max_velocity, max_surface_error, dry_cells.
    """
def solve_taylor_green(*, resolution: typing.SupportsInt | typing.SupportsIndex = 64, viscosity: typing.SupportsFloat | typing.SupportsIndex = 0.01, t_end: typing.SupportsFloat | typing.SupportsIndex = 1.0, stepper: str = 'rk4', cfl: typing.SupportsFloat | typing.SupportsIndex = 0.5, progress: typing.Any = None) -> dict:
    """
    `fieldlab solve taylor-green`: the decaying Taylor-Green vortex on [0, 2pi]^2. Returns a dict of new arrays x, y (nodes), u, v, vorticity ([x, y]) and the numbers the CLI writes: time, steps, velocity_rms_error (vs the exact solution). Same options and defaults as the CLI (--threads: fieldlab.set_num_threads).
    """
def taylor_green_velocity(resolution: typing.SupportsInt | typing.SupportsIndex = 64, length: typing.SupportsFloat | typing.SupportsIndex = 6.283185307179586, viscosity: typing.SupportsFloat | typing.SupportsIndex = 0.0, t: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> tuple[numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64]]:
    """
    The exact Taylor-Green velocity (u, v) = (cos kx sin ky, -sin kx cos ky) exp(-2 nu k^2 t). New arrays.
    """
def taylor_green_vorticity(resolution: typing.SupportsInt | typing.SupportsIndex = 64, length: typing.SupportsFloat | typing.SupportsIndex = 6.283185307179586, viscosity: typing.SupportsFloat | typing.SupportsIndex = 0.0, t: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> numpy.typing.NDArray[numpy.float64]:
    """
    Taylor-Green vorticity -2k cos kx cos ky exp(-2 nu k^2 t), k = 2 pi / length, on the nodes x_i = i length / resolution. A new array.
    """
