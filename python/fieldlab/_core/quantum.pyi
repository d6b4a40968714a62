"""
State-vector and density-matrix simulation, OpenQASM 2.0, adjoint gradients, quantum reservoir computing and QKAN. Qubit 0 is the least significant bit of a basis-state index.
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Circuit', 'DensityMatrix', 'QKAN', 'Reservoir', 'StateVector', 'adjoint_gradient', 'amplitude_damping_kraus', 'circuit_expectation', 'depolarizing_kraus', 'fit_readout', 'nrmse', 'parameter_shift_gradient', 'qrc_defaults', 'qrc_models', 'qrc_tasks', 'regression_target', 'run_qrc', 'scale_inputs', 'simulate', 'task_series', 'train_qkan', 'train_qkan_defaults']
class Circuit:
    """
    A quantum circuit: gates (any gate may have controls), measurements into classical bits, resets and barriers. Qubit 0 is the least significant bit of a basis-state index. Gate methods validate their qubits and return the circuit, so calls chain: Circuit(2).h(0).cx(0, 1).
    """
    @staticmethod
    def from_qasm(source: typing.Any) -> Circuit:
        """
        A circuit from OpenQASM 2.0: `source` is a path (str naming an existing file, or os.PathLike) or the program text. Malformed input raises UsageError 'file:line:column: message'.
        """
    def __init__(self, n_qubits: typing.SupportsInt | typing.SupportsIndex, n_clbits: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        A circuit on n_qubits qubits (1..40) and n_clbits classical bits.
        """
    def __len__(self) -> int:
        """
        Number of operations (gates, measurements, resets, barriers).
        """
    def __repr__(self) -> str:
        ...
    def barrier(self, qubits: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = []) -> Circuit:
        """
        A barrier (no effect on the simulation; all qubits if empty).
        """
    def ccx(self, control0: typing.SupportsInt | typing.SupportsIndex, control1: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a Toffoli gate; returns the circuit.
        """
    def ch(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled h; returns the circuit.
        """
    def copy(self) -> Circuit:
        """
        An independent copy.
        """
    def cp(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled p(angle); returns the circuit.
        """
    def crx(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled rx(angle); returns the circuit.
        """
    def cry(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled ry(angle); returns the circuit.
        """
    def crz(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled rz(angle); returns the circuit.
        """
    def cswap(self, control: typing.SupportsInt | typing.SupportsIndex, qubit0: typing.SupportsInt | typing.SupportsIndex, qubit1: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a Fredkin (controlled swap) gate; returns the circuit.
        """
    def cx(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled x; returns the circuit.
        """
    def cy(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled y; returns the circuit.
        """
    def cz(self, control: typing.SupportsInt | typing.SupportsIndex, target: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends a controlled z; returns the circuit.
        """
    def depth(self) -> int:
        """
        Circuit depth: layers of operations, each after the last one on its qubits (barriers not counted).
        """
    def gate(self, name: str, targets: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], params: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex] = [], controls: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = []) -> Circuit:
        """
        Appends the named gate (id x y z h s sdg t tdg sx sxdg rx ry rz p u3 swap iswap rxx rzz) on `targets`, active when every qubit of `controls` is 1; returns the circuit.
        """
    def h(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends h on `qubit`; returns the circuit.
        """
    def id(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends id on `qubit`; returns the circuit.
        """
    def is_unitary(self) -> bool:
        """
        True when the circuit is gates only.
        """
    def iswap(self, qubit0: typing.SupportsInt | typing.SupportsIndex, qubit1: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends iswap on two qubits; returns the circuit.
        """
    def measure(self, qubit: typing.SupportsInt | typing.SupportsIndex, clbit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Measures `qubit` into classical bit `clbit`.
        """
    def p(self, qubit: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends p(angle) on `qubit` (radians); returns the circuit.
        """
    def parameters(self) -> list[float]:
        """
        The differentiable angles in circuit order (a list; what the gradients are with respect to).
        """
    def reset(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Resets `qubit` to |0> (a measurement, then a flip if it read 1).
        """
    def rx(self, qubit: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends rx(angle) on `qubit` (radians); returns the circuit.
        """
    def rxx(self, qubit0: typing.SupportsInt | typing.SupportsIndex, qubit1: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends rxx(angle) = exp(-i angle/2 PP) on two qubits.
        """
    def ry(self, qubit: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends ry(angle) on `qubit` (radians); returns the circuit.
        """
    def rz(self, qubit: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends rz(angle) on `qubit` (radians); returns the circuit.
        """
    def rzz(self, qubit0: typing.SupportsInt | typing.SupportsIndex, qubit1: typing.SupportsInt | typing.SupportsIndex, angle: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends rzz(angle) = exp(-i angle/2 PP) on two qubits.
        """
    def s(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends s on `qubit`; returns the circuit.
        """
    def sdg(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends sdg on `qubit`; returns the circuit.
        """
    def swap(self, qubit0: typing.SupportsInt | typing.SupportsIndex, qubit1: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends swap on two qubits; returns the circuit.
        """
    def sx(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends sx on `qubit`; returns the circuit.
        """
    def sxdg(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends sxdg on `qubit`; returns the circuit.
        """
    def t(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends t on `qubit`; returns the circuit.
        """
    def tdg(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends tdg on `qubit`; returns the circuit.
        """
    def to_qasm(self) -> str:
        """
        The circuit as OpenQASM 2.0 text (custom unitaries cannot be written).
        """
    def u3(self, qubit: typing.SupportsInt | typing.SupportsIndex, theta: typing.SupportsFloat | typing.SupportsIndex, phi: typing.SupportsFloat | typing.SupportsIndex, lam: typing.SupportsFloat | typing.SupportsIndex) -> Circuit:
        """
        Appends OpenQASM's u3(theta, phi, lambda) on `qubit`; returns the circuit.
        """
    def unitary(self, qubits: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], matrix: typing.Any, controls: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = []) -> Circuit:
        """
        Appends a custom unitary (2x2 on one qubit or 4x4 on two, row-major, index bit k = qubits[k]); checked for unitarity. Returns the circuit.
        """
    def with_parameters(self, values: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex]) -> Circuit:
        """
        A copy of the circuit with its differentiable angles replaced by `values`.
        """
    def x(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends x on `qubit`; returns the circuit.
        """
    def y(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends y on `qubit`; returns the circuit.
        """
    def z(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> Circuit:
        """
        Appends z on `qubit`; returns the circuit.
        """
    @property
    def n_clbits(self) -> int:
        """
        Number of classical bits.
        """
    @property
    def n_parameters(self) -> int:
        """
        Number of differentiable angles (rx ry rz p rxx rzz, controlled or not), in circuit order.
        """
    @property
    def n_qubits(self) -> int:
        """
        Number of qubits.
        """
class StateVector:
    """
    A state vector of 2^n amplitudes, complex128 (default) or complex64; qubit 0 is the least significant bit of the basis-state index. Starts in |0...0>.
    """
    def __init__(self, n_qubits: typing.SupportsInt | typing.SupportsIndex, precision: str = 'complex128') -> None:
        """
        |0...0> on n_qubits qubits; precision 'complex128' or 'complex64'.
        """
    def __repr__(self) -> str:
        ...
    def apply(self, circuit: Circuit, seed: typing.SupportsInt | typing.SupportsIndex = 1, progress: typing.Any = None) -> list[int]:
        """
        Runs `circuit` on this state in place (GIL released; from 16 qubits on a worker thread with progress=, stopping between gates on Ctrl-C). Measurements and resets draw from a generator seeded like shot 0 of `fieldlab qsim --seed`. Returns the classical bits (list of 0/1, bit k = clbit k).
        """
    def copy(self) -> StateVector:
        """
        An independent copy.
        """
    def counts(self, shots: typing.SupportsInt | typing.SupportsIndex, seed: typing.SupportsInt | typing.SupportsIndex = 1) -> dict:
        """
        sample() as {bit string: count}, the highest qubit first (as `fieldlab qsim` prints).
        """
    def expectation(self, observable: str) -> float:
        """
        <psi|H|psi> for a Pauli string or sum, e.g. 'Z0 Z1' or '0.5 X0 - Z1' (the CLI's --expect syntax). The state is not normalised first.
        """
    def inner(self, other: StateVector) -> complex:
        """
        <self|other>.
        """
    def marginal_probabilities(self, qubits: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]) -> numpy.typing.NDArray[numpy.float64]:
        """
        Probabilities of the 2^k outcomes of `qubits` (outcome bit i = qubits[i]).
        """
    def norm(self) -> float:
        """
        The 2-norm of the amplitudes.
        """
    def normalize(self) -> None:
        """
        Scales the amplitudes to norm 1 (NumericalError for the zero vector).
        """
    def probabilities(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        |amplitude|^2 for every basis state (a new float64 array).
        """
    def probability_one(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> float:
        """
        The probability that `qubit` reads 1.
        """
    def sample(self, shots: typing.SupportsInt | typing.SupportsIndex, seed: typing.SupportsInt | typing.SupportsIndex = 1) -> numpy.typing.NDArray[numpy.uint64]:
        """
        `shots` basis-state indices drawn from |amplitude|^2 (a new uint64 array); the same seed gives the same draws (and the CLI's qsim counts for a measurement-free circuit).
        """
    def set_basis_state(self, index: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Sets the state to the basis state |index>.
        """
    @property
    def amplitudes(self) -> numpy.ndarray:
        """
        The amplitudes as a ZERO-COPY, WRITABLE numpy view (complex128 or complex64, shape (2^n,), index bit q = qubit q) that keeps the state alive. Writing through it changes the state (it is not renormalised). Assigning an array copies it in (complex, float or int dtype, shape (2^n,)); anything else raises UsageError.
        """
    @amplitudes.setter
    def amplitudes(self, arg1: typing.Any) -> None:
        ...
    @property
    def n_qubits(self) -> int:
        """
        Number of qubits.
        """
    @property
    def precision(self) -> str:
        """
        'complex128' or 'complex64'.
        """
class DensityMatrix:
    """
    A density matrix of n <= 13 qubits (4^n complex128 elements), simulated exactly with one-qubit channels. Qubit 0 is the least significant bit of a row/column index.
    """
    @staticmethod
    def from_matrix(matrix: typing.Any) -> DensityMatrix:
        """
        A density matrix from a square 2^n x 2^n array (copied; positivity is not checked).
        """
    @staticmethod
    def from_state(state: StateVector) -> DensityMatrix:
        """
        |psi><psi| of a StateVector.
        """
    def __init__(self, n_qubits: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        |0...0><0...0| on n_qubits qubits (1..13).
        """
    def __repr__(self) -> str:
        ...
    def amplitude_damp(self, qubit: typing.SupportsInt | typing.SupportsIndex, gamma: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Amplitude damping with decay probability gamma.
        """
    def apply(self, circuit: Circuit) -> None:
        """
        Applies a circuit: gates as U rho U^dagger, measure as non-selective dephasing, reset as measure-and-reset; conditioned gates raise UsageError.
        """
    def apply_kraus(self, qubit: typing.SupportsInt | typing.SupportsIndex, kraus: collections.abc.Sequence[typing.Any]) -> None:
        """
        rho -> sum_k K rho K^dagger on `qubit` for 2x2 Kraus operators (trace preservation checked to 1e-8).
        """
    def dephase(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Non-selective Z measurement of `qubit` (off-diagonal terms dropped).
        """
    def depolarize(self, qubit: typing.SupportsInt | typing.SupportsIndex, p: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Depolarising channel: rho -> (1-p) rho + p I/2 Tr_q rho.
        """
    def expectation(self, observable: str) -> float:
        """
        Tr(rho H) for a Pauli string or sum ('Z0 Z1', '0.5 X0 - Z1').
        """
    def measure_reset(self, qubit: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Non-selective measurement of `qubit`, then reset to |0>.
        """
    def probabilities(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        The diagonal of rho (a new float64 array).
        """
    def purity(self) -> float:
        """
        Tr rho^2.
        """
    def trace(self) -> float:
        """
        Tr rho (real part).
        """
    @property
    def matrix(self) -> numpy.ndarray:
        """
        rho as a ZERO-COPY, READ-ONLY (2^n, 2^n) complex128 view (a Fortran-ordered array over the simulator's memory, kept alive by it): it follows later channels and gates. np.array(dm.matrix) copies.
        """
    @property
    def n_qubits(self) -> int:
        """
        Number of qubits.
        """
class Reservoir:
    """
    A reservoir model (the run_qrc models) to feed your own series.
    """
    def __init__(self, model: str = 'onion-qrc', input_dims: typing.SupportsInt | typing.SupportsIndex = 1, seed: typing.SupportsInt | typing.SupportsIndex = 1, shots: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        A model by name (linear, qrc, onion-qrc, esn, onion-esn, hybrid) with the random reservoirs of `seed`, as run_qrc builds it.
        """
    def features(self, inputs: typing.Any, progress: typing.Any = None) -> typing.Annotated[numpy.typing.NDArray[numpy.float64], "[m, n]"]:
        """
        Features (T, F) for an input series (T,) or (T, d) in [0, 1], starting from the initial state every call (a new array). The GIL is released; Ctrl-C is raised when the call returns.
        """
    @property
    def name(self) -> str:
        """
        The model's name.
        """
class QKAN:
    """
    A quantum-inspired Kolmogorov-Arnold network: layer outputs y_j = sum_i p_ji (phi_ji(x_i) + c_ji) + g_ji SiLU(x_i), phi a DARUAN data re-uploading activation (<Z> of a one-qubit circuit with `reps` repetitions).
    """
    def __init__(self, widths: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = [2, 5, 1], reps: typing.SupportsInt | typing.SupportsIndex = 3, readout: str = 'pauli-z', seed: typing.SupportsInt | typing.SupportsIndex = 1) -> None:
        """
        A network of the given layer widths (inputs first), DARUAN repetitions `reps`, readout 'pauli-z' or 'amplitude-difference', initialised from `seed`.
        """
    def __repr__(self) -> str:
        ...
    def activations(self, layer: typing.SupportsInt | typing.SupportsIndex, x: typing.Any, total: bool = True) -> numpy.typing.NDArray[numpy.float64]:
        """
        The learned activations of layer `layer` at the points x: a new (out, in, len(x)) array, entry [j, i] the edge from input i to output j: p (phi(x) + c) + g SiLU(x) (total=True) or the bare DARUAN phi(x) (total=False).
        """
    def extend(self, reps: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Grows every layer to `reps` DARUAN repetitions without changing the function (layer extension; train qkan --extend does this between stages).
        """
    def fit(self, x: typing.Any, y: typing.Any, optimizer: str = 'lbfgs', steps: typing.SupportsInt | typing.SupportsIndex = 200, lbfgs_iterations: typing.SupportsInt | typing.SupportsIndex = 20, lr: typing.SupportsFloat | typing.SupportsIndex = 0.01, progress: typing.Any = None) -> dict:
        """
        Fits the parameters to (x (n, in) or (n,), y (n, out) or (n,)) minimising the MSE with L-BFGS (`steps` calls of up to `lbfgs_iterations` iterations, strong Wolfe) or Adam (`steps` steps, learning rate `lr`): train qkan's optimiser. Long: GIL released, progress=, Ctrl-C stops after the current step (parameters kept) and is raised. Returns {'steps': steps run, 'train_mse': MSE after the fit}.
        """
    def mse(self, x: typing.Any, y: typing.Any) -> float:
        """
        Mean squared error of predict(x) against y.
        """
    def predict(self, x: typing.Any) -> numpy.typing.NDArray[numpy.float64]:
        """
        Network outputs (n, out) for inputs (n, in) or (n,) (a new array).
        """
    @property
    def n_parameters(self) -> int:
        """
        Number of trainable parameters.
        """
    @property
    def parameters(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        All parameters as one float64 vector (a COPY; assign an array of the same length to set them).
        """
    @parameters.setter
    def parameters(self, arg1: typing.Any) -> None:
        ...
    @property
    def reps(self) -> int:
        """
        DARUAN repetitions (grows with extend()).
        """
    @property
    def widths(self) -> list[int]:
        """
        Layer widths.
        """
def adjoint_gradient(circuit: Circuit, observable: str, precision: str = 'complex128') -> numpy.typing.NDArray[numpy.float64]:
    """
    d<0|C^dagger H C|0>/d theta for every differentiable angle of the (measurement-free) circuit, in circuit order (Circuit.parameters()), by the adjoint method: about three circuit runs whatever the number of angles. A new float64 array.
    """
def amplitude_damping_kraus(gamma: typing.SupportsFloat | typing.SupportsIndex) -> list:
    """
    Amplitude damping's two Kraus operators (new 2x2 arrays).
    """
def circuit_expectation(circuit: Circuit, observable: str) -> float:
    """
    <0|C^dagger H C|0> in complex128.
    """
def depolarizing_kraus(p: typing.SupportsFloat | typing.SupportsIndex) -> list:
    """
    The depolarising channel's four Kraus operators (new 2x2 arrays).
    """
def fit_readout(features: typing.Any, target: typing.Any, washout: typing.SupportsInt | typing.SupportsIndex = 200, train: typing.SupportsFloat | typing.SupportsIndex = 0.6, validation: typing.SupportsFloat | typing.SupportsIndex = 0.2) -> dict:
    """
    Ridge readout as run_qrc fits it: lambda chosen on the validation segment, refitted on train + validation, NRMSE on the test rest. Returns {lambda, train_nrmse, validation_nrmse, test_nrmse, test_prediction, test_target}.
    """
def nrmse(y: typing.Any, prediction: typing.Any) -> float:
    """
    sqrt(mean((y - prediction)^2)) / std(y).
    """
def parameter_shift_gradient(circuit: Circuit, observable: str) -> numpy.typing.NDArray[numpy.float64]:
    """
    The same gradient by the parameter-shift rule (two runs per angle, four for controlled rotations): the reference for adjoint_gradient.
    """
def qrc_defaults() -> dict:
    """
    run_qrc's keywords and their defaults (the CLI's).
    """
def qrc_models() -> list[str]:
    """
    Names of the reservoir models.
    """
def qrc_tasks() -> list[str]:
    """
    Names of the benchmark tasks.
    """
def regression_target(function: str, x: typing.Any, y: typing.Any) -> numpy.typing.NDArray[numpy.float64]:
    """
    The regression targets of train_qkan: 'exp-sin' exp(sin(pi x) + y^2) or 'product' x y.
    """
def run_qrc(*, progress: typing.Any = None, **kwargs) -> dict:
    """
    One reservoir-computing experiment, as `fieldlab qrc --json`: keywords task='narma10' (narma10, mackey-glass, mackey-glass-multi, corrosion), model='onion-qrc' (linear, qrc, onion-qrc, esn, onion-esn, hybrid), length=3000 (400..1000000), seed=1, shots=0 (0: exact features), washout=200. Returns the CLI's JSON fields (task, model, length, seed, shots, features, lambda, train_nrmse, validation_nrmse, test_nrmse, seconds, spectra with 'leading' a complex array) plus test_prediction and test_target (new arrays). The run releases the GIL; Ctrl-C is raised when it returns (the library has no stop point inside).
    """
def scale_inputs(inputs: typing.Any, fit_rows: typing.SupportsInt | typing.SupportsIndex) -> typing.Annotated[numpy.typing.NDArray[numpy.float64], "[m, n]"]:
    """
    Inputs scaled to [0, 1] per column with the min/max of the first fit_rows rows, clipped (what run_qrc does before the reservoir). A new (T, d) array.
    """
def simulate(circuit: Circuit, shots: typing.SupportsInt | typing.SupportsIndex = 0, seed: typing.SupportsInt | typing.SupportsIndex = 1, precision: str = 'complex128', fusion: bool = True, progress: typing.Any = None) -> dict:
    """
    Runs a circuit as `fieldlab qsim` does (same keywords, same defaults, --no-fusion is fusion=False): terminal measurements are sampled from one final state, mid-circuit ones run one trajectory per shot. Returns {'state': StateVector (before terminal measurements, else shot 0's final state), 'counts': {bits: count}, 'sampled_from_final_state': bool}. Ctrl-C is raised once the run returns.
    """
def task_series(task: str, length: typing.SupportsInt | typing.SupportsIndex = 3000, seed: typing.SupportsInt | typing.SupportsIndex = 1) -> tuple[typing.Annotated[numpy.typing.NDArray[numpy.float64], "[m, n]"], typing.Annotated[numpy.typing.NDArray[numpy.float64], "[m, 1]"]]:
    """
    The series of a task: (inputs (T, d), target (T,)) as new float64 arrays; target[t] is what a readout should give after seeing inputs[:t+1].
    """
def train_qkan(*, progress: typing.Any = None, **kwargs) -> dict:
    """
    `fieldlab train qkan --task regression --json` from Python: keywords task='regression', function='exp-sin' (or 'product'), layers=[2, 5, 1], reps=3, extend=[] (repetitions per stage), optimizer='lbfgs' (or 'adam'), steps=200, lbfgs_iterations=20, lr=0.01, samples=1000, readout='pauli-z', seed=1. Returns the CLI's JSON fields as a dict. Ctrl-C is raised when the run returns.
    """
def train_qkan_defaults() -> dict:
    """
    train_qkan's keywords and their defaults (the CLI's).
    """
