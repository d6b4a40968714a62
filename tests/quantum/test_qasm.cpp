#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "quantum/qasm.hpp"
#include "quantum_test_support.hpp"

using namespace fieldlab::quantum;
using namespace fieldlab::quantum::testing;

namespace {

std::string error_of(const std::string& src) {
  try {
    parse_qasm(src, "bad.qasm");
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("qelib1 gates, expressions and user gates give the same state as the built circuit") {
  const std::string src = R"(OPENQASM 2.0;
include "qelib1.inc";
// comment
qreg a[2];
qreg b[2];
creg c[2];
gate mygate(theta, phi) x, y { rz(theta/2) x; cx x, y; u3(phi, -theta, pi/4) y; }
h a;
u2(0, pi) b[0];
u1(-pi/4 + 2*0.125) a[1];
cu1(sqrt(2)/2) a[0], b[1];
cu3(0.1, 0.2, 0.3) b[0], a[1];
crz(exp(0.5)) a[1], b[0];
ccx a[0], a[1], b[1];
mygate(sin(pi/6), ln(2)) b[1], a[0];
cx a, b;
cy a[0], b[0];
rxx(cos(0.3)^2) a[0], b[1];
barrier a, b;
sxdg b[1];
cu(0.4, 0.5, 0.6, 0.7) a[1], b[1];
)";
  const QasmProgram prog = parse_qasm(src, "test.qasm");
  CHECK(prog.circuit.num_qubits() == 4);
  CHECK(prog.circuit.num_clbits() == 2);
  REQUIRE(prog.qregs.size() == 2);
  CHECK(prog.qregs[1].offset == 2);

  // The same circuit by hand; a = qubits 0,1 and b = qubits 2,3.
  Circuit c(4);
  c.h(0).h(1);
  c.add(make_gate(GateKind::u3, {2}, {M_PI / 2, 0, M_PI}));
  c.add(make_gate(GateKind::phase, {1}, {-M_PI / 4 + 0.25}));
  c.add(make_gate(GateKind::phase, {3}, {std::sqrt(2.0) / 2}, {0}));
  c.add(make_gate(GateKind::u3, {1}, {0.1, 0.2, 0.3}, {2}));
  c.add(make_gate(GateKind::rz, {2}, {std::exp(0.5)}, {1}));
  c.add(make_gate(GateKind::x, {3}, {}, {0, 1}));
  const double th = std::sin(M_PI / 6), ph = std::log(2.0);
  c.rz(3, th / 2).cx(3, 0).add(make_gate(GateKind::u3, {0}, {ph, -th, M_PI / 4}));
  c.cx(0, 2).cx(1, 3);
  c.add(make_gate(GateKind::y, {2}, {}, {0}));
  c.add(make_gate(GateKind::rxx, {0, 3}, {std::pow(std::cos(0.3), 2)}));
  c.add(make_gate(GateKind::sxdg, {3}));
  c.add(make_gate(GateKind::phase, {1}, {0.7}));
  c.add(make_gate(GateKind::u3, {3}, {0.4, 0.5, 0.6}, {1}));

  StateVector<double> s1(4), s2(4);
  run(prog.circuit, s1);
  run(c, s2);
  CHECK(max_diff(s1.amplitudes(), s2.amplitudes()) < 1e-12);
}

TEST_CASE("measure, reset and if(creg==n) become circuit operations") {
  const std::string src = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg m[2];
creg r[1];
x q[0];
measure q[0] -> m[1];
if (m == 2) x q[2];
reset q[0];
measure q -> m[0];
)";
  CHECK_THROWS_AS(parse_qasm(src), fieldlab::Error);  // 3 qubits into 1 bit
  const std::string ok = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg m[2];
x q[0];
measure q[0] -> m[1];
if (m == 2) x q[2];
reset q[0];
measure q[2] -> m[0];
)";
  const QasmProgram prog = parse_qasm(ok);
  Rng rng(1);
  StateVector<double> s(3);
  std::vector<int> bits;
  run(prog.circuit, s, rng, bits);
  CHECK(bits[1] == 1);
  CHECK(bits[0] == 1);  // the conditioned X fired
  CHECK(s.probability_one(0) < 1e-12);
  CHECK(s.probability_one(2) == doctest::Approx(1.0));
}

TEST_CASE("malformed programs give file:line:column messages") {
  const std::string head = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\n";
  CHECK(error_of(head + "foo q[0];\n") == "bad.qasm:4:1: unknown gate 'foo'");
  CHECK(error_of(head + "h q[2];\n") ==
        "bad.qasm:4:5: index 2 out of range for register 'q' of size 2");
  CHECK(error_of(head + "rx(pi/) q[0];\n") == "bad.qasm:4:6: expression ends too early after '/'");
  CHECK(error_of(head + "cx q[0], q[0];\n") == "bad.qasm:4:1: gate 'cx' uses qubit 0 twice");
  CHECK(error_of(head + "h q[0]\nx q[1];\n") == "bad.qasm:5:1: expected ';', found 'x'");
  CHECK(error_of(head + "rx(0.1, 0.2) q[0];\n") ==
        "bad.qasm:4:1: gate 'rx' takes 1 parameter(s), got 2");
  CHECK(error_of(head + "rx(foo) q[0];\n") ==
        "bad.qasm:4:4: unknown identifier 'foo' in expression");
  CHECK(error_of("OPENQASM 3.0;\n").find("only OpenQASM 2.0") != std::string::npos);
  CHECK(error_of(head + "include \"other.inc\";\n").find("only qelib1.inc") != std::string::npos);
  CHECK(error_of(head + "h r[0];\n") == "bad.qasm:4:3: unknown quantum register 'r'");
  CHECK(error_of(head + "h q[0]; $").find("bad.qasm:4:9: unexpected character") == 0);
  CHECK(error_of("OPENQASM 2.0;\nqreg q[41];\n").find("bad.qasm:2:8") == 0);
}

TEST_CASE("to_qasm round-trips a random named-gate circuit") {
  std::mt19937_64 rng(8);
  Circuit c(4);
  const Circuit r = random_circuit(4, 80, rng, false);
  for (const Operation& op : r.operations())
    if (op.gate.kind != GateKind::iswap) c.add(op);
  c.cx(0, 3)
      .add(make_gate(GateKind::x, {2}, {}, {0, 1}))
      .add(make_gate(GateKind::rz, {1}, {0.3}, {2}));
  const QasmProgram back = parse_qasm(to_qasm(c));
  StateVector<double> a(4), b(4);
  run(c, a);
  run(back.circuit, b);
  CHECK(max_diff(a.amplitudes(), b.amplitudes()) < 1e-12);
}

TEST_CASE(
    "hostile QASM: exponential gate expansion, deep expressions and huge values are one "
    "clear error") {
  // Each level calls the previous one 4 times: 4^12 = 16.7M gates, over the default 10^6 bound
  // (a smaller bound is checked too, so the error comes after 1000 operations).
  std::string src = "OPENQASM 2.0;\nqreg q[2];\ngate g0 a, b { cx a, b; }\n";
  for (int k = 1; k <= 12; ++k)
    src += fmt::format("gate g{} a, b {{ g{} a, b; g{} b, a; g{} a, b; g{} b, a; }}\n", k, k - 1,
                       k - 1, k - 1, k - 1);
  src += "g12 q[0], q[1];\n";
  const std::string expansion = error_of(src);
  CHECK(expansion.find("more than 1000000 operations") != std::string::npos);
  CHECK(expansion.find("gate 'g12'") != std::string::npos);
  try {
    parse_qasm(src, "bad.qasm", QasmLimits{1000});
    FAIL("no error");
  } catch (const fieldlab::Error& e) {
    CHECK(std::string(e.what()).find("more than 1000 operations (at gate 'g12')") !=
          std::string::npos);
  }
  // Exactly at the bound is fine: g4 expands to 4^4 = 256 operations.
  const std::string defs = src.substr(0, src.rfind("g12 q[0]"));
  CHECK(parse_qasm(defs + "g4 q[0], q[1];\n", "ok.qasm", QasmLimits{256})
            .circuit.operations()
            .size() == 256);

  // Nesting that overflowed the stack before: parentheses, unary minus, powers.
  const std::string deep_parens =
      "qreg q[1];\nrx(" + std::string(100000, '(') + "1" + std::string(100000, ')') + ") q[0];\n";
  CHECK(error_of(deep_parens).find("nests more than 200 levels") != std::string::npos);
  CHECK(error_of("qreg q[1];\nrx(" + std::string(100000, '-') + "1) q[0];\n")
            .find("nests more than 200 levels") != std::string::npos);
  std::string powers = "qreg q[1];\nrx(1";
  for (int k = 0; k < 100000; ++k) powers += "^1";
  CHECK(error_of(powers + ") q[0];\n").find("nests more than 200 levels") != std::string::npos);
  // 150 levels is fine.
  CHECK_NOTHROW(parse_qasm("qreg q[1];\nrx(" + std::string(150, '(') + "1" + std::string(150, ')') +
                           ") q[0];\n"));

  // Register sizes and condition values are bounded (a condition of 1e300 was cast to uint64).
  CHECK(error_of("qreg q[1e9];\n").find("invalid register size 1e9 (a qreg holds 1 to 40)") !=
        std::string::npos);
  CHECK(error_of("qreg q[1];\ncreg c[2];\nif (c == 1e300) x q[0];\n")
            .find("condition value must be an integer from 0 to 2^2 - 1") != std::string::npos);
  CHECK(error_of("qreg q[1];\ncreg c[2];\nif (c == 4) x q[0];\n")
            .find("condition value must be an integer from 0 to 2^2 - 1") != std::string::npos);
  CHECK_NOTHROW(parse_qasm("qreg q[1];\ncreg c[2];\nif (c == 3) x q[0];\n"));
}

TEST_CASE("a gate parameter that overflows to infinity is an error naming the gate") {
  CHECK(error_of("qreg q[1];\nrx(1e308*10) q[0];\n")
            .find("parameter 1 of gate 'rx' is not finite (inf)") != std::string::npos);
  CHECK(error_of("qreg q[1];\ngate g(t) a { u3(0, 0, t) a; }\ng(2^5000) q[0];\n")
            .find("parameter 3 of gate 'u3' is not finite") != std::string::npos);
}
