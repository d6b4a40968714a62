// fieldlab qsim CIRCUIT.qasm: runs an OpenQASM 2.0 circuit on the state-vector simulator and prints
// expectation values and measurement counts (text or JSON); --out writes the final state to HDF5.

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/json_writer.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/io/output_file.hpp"
#include "quantum/pauli.hpp"
#include "quantum/qasm.hpp"
#include "quantum/simulate.hpp"
#include "quantum/state_io.hpp"

namespace fieldlab::apps {
namespace {

struct QsimOptions {
  std::string circuit;
  int shots = 0;
  std::vector<std::string> expect;
  unsigned long long seed = 1;
  std::string out;
  bool json = false;
  std::string precision = "complex128";
  int threads = 0;
  bool no_fusion = false;
  bool overwrite = false;
};

template <typename Real>
void run_qsim(const QsimOptions& o, const CLI::App* command) {
  using namespace fieldlab::quantum;
  set_threads(o.threads);
  // A refused or contested --out fails before the simulation; the lock is held until it is in.
  io::OutputLock lock;
  if (!o.out.empty()) lock = io::claim_output(o.out, o.overwrite);
  const QasmProgram prog = read_qasm_file(o.circuit);
  std::vector<std::vector<PauliString>> observables;
  for (const auto& e : o.expect) {
    observables.push_back(parse_pauli_sum(e));
    for (const auto& p : observables.back())
      require(p.max_qubit() < prog.circuit.num_qubits(),
              "--expect \"{}\" names qubit {} but the circuit has {} qubits", e, p.max_qubit(),
              prog.circuit.num_qubits());
  }
  SimulationOptions so;
  so.shots = o.shots;
  so.seed = o.seed;
  so.fusion = !o.no_fusion;
  const SimulationResult<Real> r = simulate<Real>(prog.circuit, so);
  std::vector<double> values;
  for (const auto& obs : observables) values.push_back(expectation(r.state, obs));

  if (!o.out.empty()) {
    StateFileAttributes a;
    a.text["source"] = o.circuit;
    a.text["command"] = command_line();
    a.text["config"] = effective_config_yaml(command);
    a.text["state"] =
        r.sampled_from_final_state ? "before terminal measurements" : "final state of shot 0";
    a.numbers["seed"] = static_cast<double>(o.seed);
    a.numbers["shots"] = o.shots;
    write_state_hdf5(o.out, r.state, a, o.overwrite);
  }

  const std::size_t ops = prog.circuit.operations().size();
  if (o.json) {
    JsonWriter j;
    j.begin_object();
    j.key("circuit").value(o.circuit).key("qubits").value(prog.circuit.num_qubits());
    j.key("clbits").value(prog.circuit.num_clbits()).key("operations").value(ops);
    j.key("precision").value(o.precision).key("seconds").value(r.seconds);
    j.key("sampled_from_final_state").value(r.sampled_from_final_state);
    j.key("expectations").begin_object();
    for (std::size_t k = 0; k < values.size(); ++k) j.key(o.expect[k]).value(values[k]);
    j.end_object().key("counts").begin_object();
    for (const auto& [bits, n] : r.counts) j.key(bits).value(n);
    j.end_object();
    if (!o.out.empty()) j.key("out").value(o.out);
    j.end_object();
    fmt::print("{}\n", j.str());
    if (j.nulls_for_non_finite() > 0)
      fail(ErrorKind::numerical, "{} expectation value(s) are not finite (shown as null)",
           j.nulls_for_non_finite());
    return;
  }
  fmt::print("{}: {} qubits, {} classical bits, {} operations, {} ({:.3f} ms)\n", o.circuit,
             prog.circuit.num_qubits(), prog.circuit.num_clbits(), ops, o.precision,
             r.seconds * 1e3);
  for (std::size_t k = 0; k < values.size(); ++k)
    fmt::print("<{}> = {:.12g}\n", o.expect[k], values[k]);
  for (const auto& [bits, n] : r.counts) fmt::print("{} {}\n", bits, n);
  if (!o.out.empty()) fmt::print("state written to {}\n", o.out);
}

}  // namespace

void register_qsim(CLI::App& app) {
  auto o = std::make_shared<QsimOptions>();
  auto* cmd =
      app.add_subcommand("qsim", "run an OpenQASM 2.0 circuit on the state-vector simulator");
  cmd->add_option("circuit", o->circuit, "OpenQASM 2.0 file")->required();
  add_number(cmd, "--shots", o->shots, "measurement shots (counts of the classical bits)",
             non_negative());
  cmd->add_option("--expect", o->expect,
                  "Pauli string or sum, e.g. \"Z0 Z1\" or \"0.5 X0 - Z1\" (repeatable)");
  cmd->add_option("--seed", o->seed, "random seed for measurements and sampling");
  cmd->add_option("--out", o->out, "write the final state's amplitudes to this HDF5 file");
  cmd->add_flag("--overwrite", o->overwrite, "replace an existing --out");
  cmd->add_flag("--json", o->json, "machine-readable output");
  cmd->add_option("--precision", o->precision, "amplitude type")
      ->check(CLI::IsMember({"complex64", "complex128"}));
  cmd->add_flag("--no-fusion", o->no_fusion, "apply gates one by one (no gate fusion)");
  add_threads_option(cmd, o->threads);
  add_config_option(cmd);
  cmd->callback([o, cmd] {
    if (o->precision == "complex64")
      run_qsim<float>(*o, cmd);
    else
      run_qsim<double>(*o, cmd);
  });
}

}  // namespace fieldlab::apps
