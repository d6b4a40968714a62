#include "quantum/qasm.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/text_file.hpp"

namespace fieldlab::quantum {
namespace {

enum class Tok { ident, number, string, symbol, end };

struct Token {
  Tok kind = Tok::end;
  std::string text;
  double value = 0;
  int line = 0, col = 0;
};

class Lexer {
 public:
  Lexer(const std::string& src, const std::string& file) : src_(src), file_(file) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      skip_space();
      Token t;
      t.line = line_;
      t.col = col_;
      if (pos_ >= src_.size()) {
        t.kind = Tok::end;
        out.push_back(t);
        return out;
      }
      const char c = src_[pos_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        t.kind = Tok::ident;
        while (pos_ < src_.size() &&
               (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_'))
          t.text += take();
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        t.kind = Tok::number;
        while (pos_ < src_.size() &&
               (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.'))
          t.text += take();
        if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
          t.text += take();
          if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) t.text += take();
          while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_])))
            t.text += take();
        }
        char* end = nullptr;
        t.value = std::strtod(t.text.c_str(), &end);
        if (!end || *end != '\0') error(t, fmt::format("malformed number '{}'", t.text));
      } else if (c == '"') {
        t.kind = Tok::string;
        take();
        while (pos_ < src_.size() && src_[pos_] != '"' && src_[pos_] != '\n') t.text += take();
        if (pos_ >= src_.size() || src_[pos_] != '"') error(t, "unterminated string");
        take();
      } else {
        t.kind = Tok::symbol;
        if ((c == '=' || c == '-') && pos_ + 1 < src_.size() &&
            src_[pos_ + 1] == (c == '=' ? '=' : '>')) {
          t.text = src_.substr(pos_, 2);
          take();
          take();
        } else if (std::string(";,()[]{}+-*/^").find(c) != std::string::npos) {
          t.text = std::string(1, take());
        } else {
          error(t, fmt::format("unexpected character '{}'", c));
        }
      }
      out.push_back(t);
    }
  }

  [[noreturn]] void error(const Token& t, const std::string& msg) const {
    fail(ErrorKind::usage, "{}:{}:{}: {}", file_, t.line, t.col, msg);
  }

 private:
  char take() {
    const char c = src_[pos_++];
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    return c;
  }
  void skip_space() {
    while (pos_ < src_.size()) {
      if (std::isspace(static_cast<unsigned char>(src_[pos_]))) {
        take();
      } else if (src_.compare(pos_, 2, "//") == 0) {
        while (pos_ < src_.size() && src_[pos_] != '\n') take();
      } else if (src_.compare(pos_, 2, "/*") == 0) {
        while (pos_ < src_.size() && src_.compare(pos_, 2, "*/") != 0) take();
        if (pos_ < src_.size()) {
          take();
          take();
        }
      } else {
        break;
      }
    }
  }

  const std::string& src_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1, col_ = 1;
};

// A gate defined with `gate name(params) args { ... }`: its body statements keep their tokens
// and are expanded with the call's values each time.
struct GateCall {
  Token name;
  std::vector<std::vector<Token>> params;  // expression tokens
  std::vector<Token> args;                 // formal argument names
};
struct GateDef {
  std::vector<std::string> params;
  std::vector<std::string> args;
  std::vector<GateCall> body;
};

struct QubitRef {
  int reg = -1;    // index into qregs / cregs
  int index = -1;  // -1: whole register
  Token where;
};

using Env = std::map<std::string, double>;

// Bounds that keep hostile input from exhausting memory or the stack (a few nested gate
// definitions each calling the previous one twice expand exponentially; "((((...1))))" recurses
// once per parenthesis). Each is far beyond any real circuit and is reported as one usage error.
// (The operation bound is QasmLimits::max_operations.)
inline constexpr int kMaxExpressionDepth = 200;  // nested (), unary -, ^ and function calls
inline constexpr int kMaxGateNesting = 64;       // gate definitions calling each other
inline constexpr int kMaxCregSize = 2 * kMaxQubits;

class Parser {
 public:
  Parser(std::vector<Token> toks, const std::string& file, const QasmLimits& limits)
      : t_(std::move(toks)), file_(file), limits_(limits) {}

  QasmProgram run() {
    if (peek().kind == Tok::ident && peek().text == "OPENQASM") {
      next();
      const Token v = expect(Tok::number, "a version number after OPENQASM");
      if (std::abs(v.value - 2.0) > 1e-9)
        error(v, fmt::format("only OpenQASM 2.0 is supported, this file declares {}", v.text));
      expect_symbol(";");
    }
    while (peek().kind != Tok::end) statement();
    int nq = 0, nc = 0;
    for (const auto& r : qregs_) nq += r.size;
    for (const auto& r : cregs_) nc += r.size;
    if (nq == 0) error(peek(), "the program declares no qreg");
    QasmProgram prog;
    prog.circuit = Circuit(nq, nc);
    for (const Operation& op : ops_) prog.circuit.add(op);
    prog.qregs = qregs_;
    prog.cregs = cregs_;
    return prog;
  }

 private:
  const Token& peek(int ahead = 0) const {
    const std::size_t i = std::min(p_ + ahead, t_.size() - 1);
    return t_[i];
  }
  Token next() {
    Token t = peek();
    if (p_ < t_.size() - 1) ++p_;
    return t;
  }
  bool is_symbol(const char* s) const { return peek().kind == Tok::symbol && peek().text == s; }
  [[noreturn]] void error(const Token& t, const std::string& msg) const {
    fail(ErrorKind::usage, "{}:{}:{}: {}", file_, t.line, t.col, msg);
  }
  std::string describe(const Token& t) const {
    return t.kind == Tok::end ? "end of file" : fmt::format("'{}'", t.text);
  }
  Token expect(Tok kind, const char* what) {
    if (peek().kind != kind)
      error(peek(), fmt::format("expected {}, found {}", what, describe(peek())));
    return next();
  }
  void expect_symbol(const char* s) {
    if (!is_symbol(s)) error(peek(), fmt::format("expected '{}', found {}", s, describe(peek())));
    next();
  }

  void statement() {
    const Token t = peek();
    if (t.kind != Tok::ident) error(t, fmt::format("expected a statement, found {}", describe(t)));
    if (t.text == "include") {
      next();
      const Token f = expect(Tok::string, "a quoted file name");
      if (f.text != "qelib1.inc")
        error(f, fmt::format("cannot include \"{}\": only qelib1.inc is built in", f.text));
      expect_symbol(";");
    } else if (t.text == "qreg" || t.text == "creg") {
      next();
      const Token name = expect(Tok::ident, "a register name");
      expect_symbol("[");
      const Token size = expect(Tok::number, "a register size");
      const int max_size = t.text == "qreg" ? kMaxQubits : kMaxCregSize;
      if (size.value < 1 || size.value != std::floor(size.value) || size.value > max_size)
        error(size, fmt::format("invalid register size {} (a {} holds 1 to {})", size.text, t.text,
                                max_size));
      expect_symbol("]");
      expect_symbol(";");
      auto& regs = t.text == "qreg" ? qregs_ : cregs_;
      if (find_reg(qregs_, name.text) >= 0 || find_reg(cregs_, name.text) >= 0)
        error(name, fmt::format("register '{}' declared twice", name.text));
      int offset = 0;
      for (const auto& r : regs) offset += r.size;
      if (t.text == "qreg" && offset + static_cast<int>(size.value) > kMaxQubits)
        error(size, fmt::format("more than {} qubits in total", kMaxQubits));
      regs.push_back({name.text, offset, static_cast<int>(size.value)});
    } else if (t.text == "gate") {
      gate_definition();
    } else if (t.text == "opaque") {
      error(t, "opaque gates cannot be simulated");
    } else if (t.text == "if") {
      next();
      expect_symbol("(");
      const Token reg = expect(Tok::ident, "a classical register name");
      const int ci = find_reg(cregs_, reg.text);
      if (ci < 0) error(reg, fmt::format("unknown classical register '{}'", reg.text));
      expect_symbol("==");
      const Token v = expect(Tok::number, "an integer");
      // Compared with the register's bits, so it must fit them (and a 64-bit integer: larger
      // doubles do not convert).
      if (v.value < 0 || v.value != std::floor(v.value) ||
          v.value >= std::ldexp(1.0, std::min(cregs_[ci].size, 64)))
        error(v, fmt::format("condition value must be an integer from 0 to 2^{} - 1 for register "
                             "'{}'",
                             std::min(cregs_[ci].size, 64), reg.text));
      expect_symbol(")");
      Condition c{cregs_[ci].offset, cregs_[ci].size, static_cast<std::uint64_t>(v.value)};
      const std::size_t first = ops_.size();
      quantum_operation();
      for (std::size_t k = first; k < ops_.size(); ++k) {
        if (ops_[k].kind != OpKind::gate) error(t, "only gates can be conditioned (if ... gate)");
        ops_[k].condition = c;
      }
    } else {
      quantum_operation();
    }
  }

  void quantum_operation() {
    const Token t = peek();
    top_gate_.clear();
    if (t.text == "measure") {
      next();
      const QubitRef q = qubit_ref(qregs_, "quantum");
      expect_symbol("->");
      const QubitRef c = qubit_ref(cregs_, "classical");
      expect_symbol(";");
      const int nq = q.index < 0 ? qregs_[q.reg].size : 1;
      const int nc = c.index < 0 ? cregs_[c.reg].size : 1;
      if (nq != nc) error(t, fmt::format("measure maps {} qubit(s) to {} bit(s)", nq, nc));
      for (int k = 0; k < nq; ++k) {
        Operation op;
        op.kind = OpKind::measure;
        op.qubit = qregs_[q.reg].offset + (q.index < 0 ? k : q.index);
        op.clbit = cregs_[c.reg].offset + (c.index < 0 ? k : c.index);
        push_op(op, t);
      }
    } else if (t.text == "reset") {
      next();
      const QubitRef q = qubit_ref(qregs_, "quantum");
      expect_symbol(";");
      for (int k = 0; k < (q.index < 0 ? qregs_[q.reg].size : 1); ++k) {
        Operation op;
        op.kind = OpKind::reset;
        op.qubit = qregs_[q.reg].offset + (q.index < 0 ? k : q.index);
        push_op(op, t);
      }
    } else if (t.text == "barrier") {
      next();
      Operation op;
      op.kind = OpKind::barrier;
      while (true) {
        const QubitRef q = qubit_ref(qregs_, "quantum");
        for (int k = 0; k < (q.index < 0 ? qregs_[q.reg].size : 1); ++k)
          op.qubits.push_back(qregs_[q.reg].offset + (q.index < 0 ? k : q.index));
        if (!is_symbol(",")) break;
        next();
      }
      expect_symbol(";");
      push_op(std::move(op), t);
    } else {
      gate_statement();
    }
  }

  // Every operation goes through here so that the expansion bound holds for all of them; `what`
  // is the statement or gate being expanded, named in the error.
  void push_op(Operation op, const Token& what) {
    if (ops_.size() >= limits_.max_operations)
      error(what, fmt::format("the program expands to more than {} operations (at gate '{}'): "
                              "gate definitions that call each other several times grow "
                              "exponentially",
                              limits_.max_operations, top_gate_.empty() ? what.text : top_gate_));
    ops_.push_back(std::move(op));
  }

  static int find_reg(const std::vector<QasmRegister>& regs, const std::string& name) {
    for (std::size_t i = 0; i < regs.size(); ++i)
      if (regs[i].name == name) return static_cast<int>(i);
    return -1;
  }

  QubitRef qubit_ref(const std::vector<QasmRegister>& regs, const char* kind) {
    QubitRef r;
    r.where = expect(Tok::ident, kind == std::string("quantum") ? "a qubit" : "a classical bit");
    r.reg = find_reg(regs, r.where.text);
    if (r.reg < 0) error(r.where, fmt::format("unknown {} register '{}'", kind, r.where.text));
    if (is_symbol("[")) {
      next();
      const Token i = expect(Tok::number, "an index");
      if (i.value < 0 || i.value != std::floor(i.value) || i.value >= regs[r.reg].size)
        error(i, fmt::format("index {} out of range for register '{}' of size {}", i.text,
                             r.where.text, regs[r.reg].size));
      r.index = static_cast<int>(i.value);
      expect_symbol("]");
    }
    return r;
  }

  // Collects the tokens of one expression up to a top-level ',' or ')'.
  std::vector<Token> expression_tokens() {
    std::vector<Token> out;
    int depth = 0;
    while (true) {
      const Token& t = peek();
      if (t.kind == Tok::end ||
          (depth == 0 && t.kind == Tok::symbol && (t.text == "," || t.text == ")")))
        break;
      if (t.kind == Tok::symbol && (t.text == ";" || t.text == "{")) break;
      if (is_symbol("(")) ++depth;
      if (is_symbol(")")) --depth;
      out.push_back(next());
    }
    if (out.empty())
      error(peek(), fmt::format("expected an expression, found {}", describe(peek())));
    return out;
  }

  std::vector<std::vector<Token>> parameter_list() {
    std::vector<std::vector<Token>> out;
    if (!is_symbol("(")) return out;
    next();
    if (is_symbol(")")) {
      next();
      return out;
    }
    while (true) {
      out.push_back(expression_tokens());
      if (is_symbol(")")) {
        next();
        return out;
      }
      expect_symbol(",");
    }
  }

  void gate_definition() {
    next();  // gate
    const Token name = expect(Tok::ident, "a gate name");
    GateDef def;
    if (is_symbol("(")) {
      next();
      while (!is_symbol(")")) {
        def.params.push_back(expect(Tok::ident, "a parameter name").text);
        if (is_symbol(","))
          next();
        else if (!is_symbol(")"))
          error(peek(), fmt::format("expected ',' or ')', found {}", describe(peek())));
      }
      next();
    }
    while (true) {
      def.args.push_back(expect(Tok::ident, "a qubit argument name").text);
      if (!is_symbol(",")) break;
      next();
    }
    expect_symbol("{");
    while (!is_symbol("}")) {
      if (peek().kind == Tok::end)
        error(peek(), fmt::format("gate '{}' body is not closed", name.text));
      GateCall call;
      call.name = expect(Tok::ident, "a gate call");
      if (call.name.text == "barrier") {  // barriers inside definitions have no effect here
        while (!is_symbol(";") && peek().kind != Tok::end) next();
        expect_symbol(";");
        continue;
      }
      call.params = parameter_list();
      while (true) {
        const Token a = expect(Tok::ident, "a qubit argument");
        if (std::find(def.args.begin(), def.args.end(), a.text) == def.args.end())
          error(a, fmt::format("'{}' is not an argument of gate '{}'", a.text, name.text));
        call.args.push_back(a);
        if (!is_symbol(",")) break;
        next();
      }
      expect_symbol(";");
      if (!is_builtin(call.name.text) && !defs_.count(call.name.text))
        error(call.name, fmt::format("unknown gate '{}'", call.name.text));
      def.body.push_back(std::move(call));
    }
    next();  // }
    if (is_builtin(name.text) || defs_.count(name.text))
      error(name, fmt::format("gate '{}' is already defined", name.text));
    defs_[name.text] = std::move(def);
  }

  void gate_statement() {
    const Token name = expect(Tok::ident, "a gate name or statement");
    const bool builtin = is_builtin(name.text);
    if (!builtin && !defs_.count(name.text))
      error(name, fmt::format("unknown gate '{}'", name.text));
    const auto ptoks = parameter_list();
    std::vector<double> params;
    for (const auto& e : ptoks) params.push_back(evaluate(e, {}));
    std::vector<QubitRef> refs;
    while (true) {
      refs.push_back(qubit_ref(qregs_, "quantum"));
      if (!is_symbol(",")) break;
      next();
    }
    expect_symbol(";");
    // Broadcasting: whole registers of equal size apply the gate element by element.
    int width = 1;
    for (const auto& r : refs) {
      if (r.index >= 0) continue;
      const int s = qregs_[r.reg].size;
      if (width != 1 && s != width)
        error(r.where,
              fmt::format("registers of different sizes ({} and {}) in one gate", width, s));
      width = s;
    }
    top_gate_ = name.text;
    for (int k = 0; k < width; ++k) {
      std::vector<int> qubits;
      for (const auto& r : refs)
        qubits.push_back(qregs_[r.reg].offset + (r.index < 0 ? k : r.index));
      call_gate(name, params, qubits, 0);
    }
  }

  void call_gate(const Token& name, const std::vector<double>& params,
                 const std::vector<int>& qubits, int depth) {
    if (depth > kMaxGateNesting) error(name, "gate definitions nest too deeply (recursive?)");
    for (std::size_t i = 0; i < qubits.size(); ++i)
      for (std::size_t j = i + 1; j < qubits.size(); ++j)
        if (qubits[i] == qubits[j])
          error(name, fmt::format("gate '{}' uses qubit {} twice", name.text, qubits[i]));
    if (is_builtin(name.text)) return emit_builtin(name, params, qubits);
    const GateDef& def = defs_.at(name.text);
    if (params.size() != def.params.size())
      error(name, fmt::format("gate '{}' takes {} parameter(s), got {}", name.text,
                              def.params.size(), params.size()));
    if (qubits.size() != def.args.size())
      error(name, fmt::format("gate '{}' takes {} qubit(s), got {}", name.text, def.args.size(),
                              qubits.size()));
    Env env;
    for (std::size_t i = 0; i < params.size(); ++i) env[def.params[i]] = params[i];
    for (const GateCall& call : def.body) {
      std::vector<double> p;
      for (const auto& e : call.params) p.push_back(evaluate(e, env));
      std::vector<int> q;
      for (const Token& a : call.args)
        q.push_back(qubits[std::find(def.args.begin(), def.args.end(), a.text) - def.args.begin()]);
      call_gate(call.name, p, q, depth + 1);
    }
  }

  struct Builtin {
    int params;
    int qubits;
  };
  static const std::map<std::string, Builtin>& builtins() {
    static const std::map<std::string, Builtin> table = {
        {"U", {3, 1}},   {"u3", {3, 1}},    {"u", {3, 1}},     {"u2", {2, 1}},  {"u1", {1, 1}},
        {"p", {1, 1}},   {"u0", {1, 1}},    {"CX", {0, 2}},    {"cx", {0, 2}},  {"id", {0, 1}},
        {"x", {0, 1}},   {"y", {0, 1}},     {"z", {0, 1}},     {"h", {0, 1}},   {"s", {0, 1}},
        {"sdg", {0, 1}}, {"t", {0, 1}},     {"tdg", {0, 1}},   {"sx", {0, 1}},  {"sxdg", {0, 1}},
        {"rx", {1, 1}},  {"ry", {1, 1}},    {"rz", {1, 1}},    {"cz", {0, 2}},  {"cy", {0, 2}},
        {"ch", {0, 2}},  {"swap", {0, 2}},  {"iswap", {0, 2}}, {"rxx", {1, 2}}, {"rzz", {1, 2}},
        {"ccx", {0, 3}}, {"cswap", {0, 3}}, {"crx", {1, 2}},   {"cry", {1, 2}}, {"crz", {1, 2}},
        {"cu1", {1, 2}}, {"cp", {1, 2}},    {"cu3", {3, 2}},   {"cu", {4, 2}},  {"csx", {0, 2}},
        {"c3x", {0, 4}}, {"c4x", {0, 5}}};
    return table;
  }
  static bool is_builtin(const std::string& name) { return builtins().count(name) > 0; }

  void emit_builtin(const Token& name, const std::vector<double>& p, const std::vector<int>& q) {
    const Builtin b = builtins().at(name.text);
    if (static_cast<int>(p.size()) != b.params)
      error(name,
            fmt::format("gate '{}' takes {} parameter(s), got {}", name.text, b.params, p.size()));
    if (static_cast<int>(q.size()) != b.qubits)
      error(name,
            fmt::format("gate '{}' takes {} qubit(s), got {}", name.text, b.qubits, q.size()));
    // 1e308*10 or 2^2000 overflow: a gate angle must be a number (to_qasm could not write it).
    for (std::size_t k = 0; k < p.size(); ++k)
      if (!std::isfinite(p[k]))
        error(name,
              fmt::format("parameter {} of gate '{}' is not finite ({})", k + 1, name.text, p[k]));
    const std::string& n = name.text;
    auto push = [&](GateKind k, std::vector<int> targets, std::vector<double> params,
                    std::vector<int> controls = {}) {
      Operation op;
      op.gate = make_gate(k, std::move(targets), std::move(params), std::move(controls));
      push_op(std::move(op), name);
    };
    static const std::map<std::string, GateKind> simple = {
        {"id", GateKind::id},    {"x", GateKind::x},       {"y", GateKind::y},
        {"z", GateKind::z},      {"h", GateKind::h},       {"s", GateKind::s},
        {"sdg", GateKind::sdg},  {"t", GateKind::t},       {"tdg", GateKind::tdg},
        {"sx", GateKind::sx},    {"sxdg", GateKind::sxdg}, {"rx", GateKind::rx},
        {"ry", GateKind::ry},    {"rz", GateKind::rz},     {"p", GateKind::phase},
        {"u1", GateKind::phase}, {"swap", GateKind::swap}, {"iswap", GateKind::iswap},
        {"rxx", GateKind::rxx},  {"rzz", GateKind::rzz}};
    static const std::map<std::string, GateKind> controlled = {
        {"CX", GateKind::x},     {"cx", GateKind::x},   {"cz", GateKind::z},
        {"cy", GateKind::y},     {"ch", GateKind::h},   {"crx", GateKind::rx},
        {"cry", GateKind::ry},   {"crz", GateKind::rz}, {"cu1", GateKind::phase},
        {"cp", GateKind::phase}, {"csx", GateKind::sx}, {"cu3", GateKind::u3}};
    if (auto it = simple.find(n); it != simple.end()) {
      if (b.qubits == 1)
        push(it->second, {q[0]}, p);
      else
        push(it->second, {q[0], q[1]}, p);
    } else if (auto jt = controlled.find(n); jt != controlled.end()) {
      push(jt->second, {q[1]}, p, {q[0]});
    } else if (n == "U" || n == "u3" || n == "u") {
      push(GateKind::u3, {q[0]}, p);
    } else if (n == "u2") {
      push(GateKind::u3, {q[0]}, {M_PI / 2, p[0], p[1]});
    } else if (n == "u0") {
      push(GateKind::id, {q[0]}, {});
    } else if (n == "cu") {
      // cu(theta, phi, lambda, gamma) = controlled (e^{i gamma} U3): the phase lands on the
      // control.
      push(GateKind::phase, {q[0]}, {p[3]});
      push(GateKind::u3, {q[1]}, {p[0], p[1], p[2]}, {q[0]});
    } else if (n == "ccx") {
      push(GateKind::x, {q[2]}, {}, {q[0], q[1]});
    } else if (n == "cswap") {
      push(GateKind::swap, {q[1], q[2]}, {}, {q[0]});
    } else if (n == "c3x") {
      push(GateKind::x, {q[3]}, {}, {q[0], q[1], q[2]});
    } else if (n == "c4x") {
      push(GateKind::x, {q[4]}, {}, {q[0], q[1], q[2], q[3]});
    } else {
      error(name, fmt::format("gate '{}' is not implemented", n));
    }
  }

  // Recursive-descent evaluation of a parameter expression.
  double evaluate(const std::vector<Token>& toks, const Env& env) {
    std::size_t i = 0;
    const double v = expr(toks, i, env);
    if (i != toks.size())
      error(toks[i], fmt::format("unexpected '{}' in expression", toks[i].text));
    return v;
  }
  const Token& at(const std::vector<Token>& toks, std::size_t i) const {
    if (i >= toks.size())
      error(toks.back(), fmt::format("expression ends too early after '{}'", toks.back().text));
    return toks[i];
  }
  static bool sym(const std::vector<Token>& toks, std::size_t i, const char* s) {
    return i < toks.size() && toks[i].kind == Tok::symbol && toks[i].text == s;
  }
  double expr(const std::vector<Token>& toks, std::size_t& i, const Env& env) {
    double v = term(toks, i, env);
    while (sym(toks, i, "+") || sym(toks, i, "-")) {
      const bool plus = toks[i++].text == "+";
      const double r = term(toks, i, env);
      v = plus ? v + r : v - r;
    }
    return v;
  }
  double term(const std::vector<Token>& toks, std::size_t& i, const Env& env) {
    double v = unary(toks, i, env);
    while (sym(toks, i, "*") || sym(toks, i, "/")) {
      const Token& op = toks[i++];
      const double r = unary(toks, i, env);
      if (op.text == "/" && r == 0.0) error(op, "division by zero in expression");
      v = op.text == "*" ? v * r : v / r;
    }
    return v;
  }
  // Counts one level of evaluator recursion; every recursive path passes through unary().
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  };
  double unary(const std::vector<Token>& toks, std::size_t& i, const Env& env) {
    DepthGuard guard{++expr_depth_};
    if (expr_depth_ > kMaxExpressionDepth)
      error(at(toks, i),
            fmt::format("expression nests more than {} levels deep", kMaxExpressionDepth));
    if (sym(toks, i, "-")) {
      ++i;
      return -unary(toks, i, env);
    }
    if (sym(toks, i, "+")) {
      ++i;
      return unary(toks, i, env);
    }
    return power(toks, i, env);
  }
  double power(const std::vector<Token>& toks, std::size_t& i, const Env& env) {
    const double base = primary(toks, i, env);
    if (sym(toks, i, "^")) {
      ++i;
      return std::pow(base, unary(toks, i, env));  // right-associative
    }
    return base;
  }
  double primary(const std::vector<Token>& toks, std::size_t& i, const Env& env) {
    const Token& t = at(toks, i);
    if (t.kind == Tok::number) {
      ++i;
      return t.value;
    }
    if (sym(toks, i, "(")) {
      ++i;
      const double v = expr(toks, i, env);
      if (!sym(toks, i, ")")) error(at(toks, i), "expected ')' in expression");
      ++i;
      return v;
    }
    if (t.kind == Tok::ident) {
      ++i;
      if (t.text == "pi") return M_PI;
      if (auto it = env.find(t.text); it != env.end()) return it->second;
      static const std::map<std::string, double (*)(double)> fns = {{"sin", [](double x) { return std::sin(x); }},
                                                                    {"cos", [](double x) { return std::cos(x); }},
                                                                    {"tan", [](double x) { return std::tan(x); }},
                                                                    {"exp", [](double x) { return std::exp(x); }},
                                                                    {"ln", [](double x) { return std::log(x); }},
                                                                    {"sqrt", [](double x) { return std::sqrt(x); }}};
      if (auto f = fns.find(t.text); f != fns.end()) {
        if (!sym(toks, i, "(")) error(t, fmt::format("expected '(' after {}", t.text));
        ++i;
        const double a = expr(toks, i, env);
        if (!sym(toks, i, ")")) error(at(toks, i), "expected ')' after function argument");
        ++i;
        const double v = f->second(a);
        if (!std::isfinite(v)) error(t, fmt::format("{}({}) is not finite", t.text, a));
        return v;
      }
      error(t, fmt::format("unknown identifier '{}' in expression", t.text));
    }
    error(t, fmt::format("unexpected '{}' in expression", t.text));
  }

  std::vector<Token> t_;
  const std::string& file_;
  QasmLimits limits_;
  std::size_t p_ = 0;
  std::vector<QasmRegister> qregs_, cregs_;
  std::map<std::string, GateDef> defs_;
  std::vector<Operation> ops_;
  std::string top_gate_;  // the gate statement being expanded (named in the expansion error)
  int expr_depth_ = 0;    // recursion depth of the expression evaluator
};

}  // namespace

QasmProgram parse_qasm(const std::string& source, const std::string& filename,
                       const QasmLimits& limits) {
  Lexer lexer(source, filename);
  Parser parser(lexer.run(), filename, limits);
  return parser.run();
}

QasmProgram read_qasm_file(const std::string& path) {
  // A circuit is text of a few MiB at most; the bound stops /dev/zero or an endless FIFO.
  constexpr std::size_t kMaxQasmBytes = std::size_t{64} << 20;
  return parse_qasm(read_text_file(path, kMaxQasmBytes, "OpenQASM file"), path);
}

std::string to_qasm(const Circuit& circuit) {
  std::string s =
      fmt::format("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[{}];\n", circuit.num_qubits());
  if (circuit.num_clbits() > 0) s += fmt::format("creg c[{}];\n", circuit.num_clbits());
  for (const Operation& op : circuit.operations()) {
    if (op.condition) fail(ErrorKind::usage, "to_qasm: conditioned gates are not written");
    switch (op.kind) {
      case OpKind::measure:
        s += fmt::format("measure q[{}] -> c[{}];\n", op.qubit, op.clbit);
        continue;
      case OpKind::reset:
        s += fmt::format("reset q[{}];\n", op.qubit);
        continue;
      case OpKind::barrier:
        s += "barrier q;\n";
        continue;
      case OpKind::gate:
        break;
    }
    const Gate& g = op.gate;
    std::string name = gate_name(g.kind);
    if (g.kind == GateKind::unitary1 || g.kind == GateKind::unitary2)
      fail(ErrorKind::usage, "to_qasm: arbitrary unitaries have no OpenQASM 2.0 form");
    if (g.kind == GateKind::phase) name = "u1";
    const std::size_t nc = g.controls.size();
    if (nc == 1)
      name = (g.kind == GateKind::phase ? "cu1" : "c" + name);
    else if (nc == 2 && g.kind == GateKind::x)
      name = "ccx";
    else if (nc > 0 && !(nc == 3 && g.kind == GateKind::x))
      fail(ErrorKind::usage, "to_qasm: {} with {} controls has no qelib1 name", name, nc);
    if (nc == 3) name = "c3x";
    std::string args;
    for (int c : g.controls) args += fmt::format("q[{}],", c);
    for (int t : g.targets) args += fmt::format("q[{}],", t);
    args.pop_back();
    std::string params;
    if (!g.params.empty()) {
      params = "(";
      for (std::size_t k = 0; k < g.params.size(); ++k)
        params += fmt::format("{}{:.17g}", k ? "," : "", g.params[k]);
      params += ")";
    }
    s += fmt::format("{}{} {};\n", name, params, args);
  }
  return s;
}

}  // namespace fieldlab::quantum
