#include "quantum/pauli.hpp"

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"

namespace fieldlab::quantum {
namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

}  // namespace

std::complex<double> i_power(int k) {
  switch (k & 3) {  // two's complement: k & 3 is k mod 4 for negative k too
    case 0:
      return {1, 0};
    case 1:
      return {0, 1};
    case 2:
      return {-1, 0};
    default:
      return {0, -1};
  }
}

int PauliString::max_qubit() const {
  const u64 m = x_mask | z_mask;
  return m ? 63 - std::countl_zero(m) : -1;
}

PauliString parse_pauli_string(const std::string& text) {
  PauliString p;
  std::istringstream in(text);
  std::string tok;
  bool any = false;
  double sign = 1.0;
  while (in >> tok) {
    if (tok == "*") continue;
    if (tok == "-") {
      sign = -sign;
      continue;
    }
    if (tok == "+") continue;
    if (tok[0] == '-' && tok.size() > 1 && std::isalpha(static_cast<unsigned char>(tok[1]))) {
      sign = -sign;
      tok = tok.substr(1);
    }
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(tok[0])));
    if (tok.size() == 1 && c == 'I') {
      any = true;
      continue;
    }
    if ((c == 'X' || c == 'Y' || c == 'Z') && tok.size() > 1) {
      const std::string digits = tok.substr(1);
      require(digits.find_first_not_of("0123456789") == std::string::npos && digits.size() <= 2,
              "Pauli term '{}' in '{}': expected X, Y or Z followed by a qubit index", tok, text);
      const int q = std::stoi(digits);
      require(q < 64, "Pauli term '{}': qubit index above 63", tok);
      const u64 bit = u64{1} << q;
      require(!((p.x_mask | p.z_mask) & bit), "Pauli string '{}' names qubit {} twice", text, q);
      if (c != 'Z') p.x_mask |= bit;
      if (c != 'X') p.z_mask |= bit;
      any = true;
      continue;
    }
    char* end = nullptr;
    const double v = std::strtod(tok.c_str(), &end);
    require(end && *end == '\0', "cannot read '{}' in Pauli string '{}'", tok, text);
    // A NaN or infinite weight would make every expectation value NaN: refuse it here.
    require(std::isfinite(v), "coefficient '{}' in Pauli string '{}' is not a finite number", tok,
            text);
    p.coefficient *= v;
    require(std::isfinite(p.coefficient),
            "the coefficients of Pauli string '{}' multiply to a number beyond double range", text);
  }
  require(any, "empty Pauli string '{}'", text);
  p.coefficient *= sign;
  return p;
}

std::vector<PauliString> parse_pauli_sum(const std::string& text) {
  std::vector<PauliString> out;
  std::string term;
  char pending_sign = '+';
  auto flush = [&](char next_sign) {
    if (term.find_first_not_of(" \t") != std::string::npos) {
      PauliString p = parse_pauli_string(term);
      if (pending_sign == '-') p.coefficient = -p.coefficient;
      out.push_back(p);
    } else {
      require(out.empty() && pending_sign == '+', "dangling sign in Pauli sum '{}'", text);
    }
    term.clear();
    pending_sign = next_sign;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A sign starts a new term unless it belongs to a number's exponent (1e-3).
    const bool exponent = i > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E') && i > 1 &&
                          std::isdigit(static_cast<unsigned char>(text[i - 2]));
    if ((c == '+' || c == '-') && !exponent) {
      if (term.find_first_not_of(" \t") == std::string::npos) {
        if (c == '-') pending_sign = pending_sign == '-' ? '+' : '-';
        continue;
      }
      flush(c);
    } else {
      term += c;
    }
  }
  flush('+');
  require(!out.empty(), "empty Pauli sum '{}'", text);
  return out;
}

std::string to_string(const PauliString& p) {
  std::string s = fmt::format("{:g}", p.coefficient);
  const u64 m = p.x_mask | p.z_mask;
  if (!m) return s + " I";
  for (int q = 0; q < 64; ++q) {
    const u64 b = u64{1} << q;
    if (!(m & b)) continue;
    const bool x = p.x_mask & b, z = p.z_mask & b;
    s += fmt::format(" {}{}", x && z ? 'Y' : (x ? 'X' : 'Z'), q);
  }
  return s;
}

template <typename Real>
double expectation(const StateVector<Real>& state, const PauliString& p) {
  require(p.max_qubit() < state.num_qubits(),
          "Pauli string {} acts on qubit {} of a {}-qubit state", to_string(p), p.max_qubit(),
          state.num_qubits());
  const auto* a = state.data();
  const i64 dim = static_cast<i64>(state.dimension());
  const std::complex<double> phase = i_power(std::popcount(p.x_mask & p.z_mask));
  const u64 x = p.x_mask, z = p.z_mask;
  double re = 0.0, im = 0.0;
  const bool par = state.num_qubits() >= state.parallel_threshold();
#pragma omp parallel for if (par) reduction(+ : re, im) schedule(static)
  for (i64 i = 0; i < dim; ++i) {
    const u64 u = static_cast<u64>(i);
    const std::complex<double> ai(a[u].real(), a[u].imag());
    const std::complex<double> aj(a[u ^ x].real(), a[u ^ x].imag());
    const double sign = (std::popcount(u & z) & 1) ? -1.0 : 1.0;
    const std::complex<double> term = std::conj(aj) * ai * sign;
    re += term.real();
    im += term.imag();
  }
  // Hermitian P: the imaginary part is rounding only.
  return p.coefficient * (phase * std::complex<double>(re, im)).real();
}

template <typename Real>
double expectation(const StateVector<Real>& state, const std::vector<PauliString>& sum) {
  double e = 0.0;
  for (const auto& p : sum) e += expectation(state, p);
  return e;
}

template <typename Real>
void apply_pauli(StateVector<Real>& state, const PauliString& p) {
  require(p.max_qubit() < state.num_qubits(),
          "Pauli string {} acts on qubit {} of a {}-qubit state", to_string(p), p.max_qubit(),
          state.num_qubits());
  const auto phase = i_power(std::popcount(p.x_mask & p.z_mask)) * p.coefficient;
  for (int q = 0; q < state.num_qubits(); ++q) {
    const u64 b = u64{1} << q;
    if (p.z_mask & b) state.apply_diagonal1(q, 1.0, -1.0);
    if (p.x_mask & b) state.apply_x(q);
  }
  // X^x Z^z applied (Z first, then X), now the global phase i^{#Y} * coefficient.
  auto* a = state.data();
  using C = std::remove_reference_t<decltype(a[0])>;
  const C f(static_cast<typename C::value_type>(phase.real()),
            static_cast<typename C::value_type>(phase.imag()));
  for (std::uint64_t i = 0; i < state.dimension(); ++i) a[i] *= f;
}

template double expectation(const StateVector<double>&, const PauliString&);
template double expectation(const StateVector<float>&, const PauliString&);
template double expectation(const StateVector<double>&, const std::vector<PauliString>&);
template double expectation(const StateVector<float>&, const std::vector<PauliString>&);
template void apply_pauli(StateVector<double>&, const PauliString&);
template void apply_pauli(StateVector<float>&, const PauliString&);

}  // namespace fieldlab::quantum
