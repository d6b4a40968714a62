#pragma once
// L-BFGS with PyTorch's semantics (torch.optim.LBFGS), so hyper-parameters, iteration counts and
// results carry over: two-loop recursion over the last `history_size` curvature pairs (a pair is
// kept only when y.s > 1e-10), initial Hessian scaling y.s / y.y, first step length
// min(1, 1 / |g|_1) * lr, and either fixed steps or the strong-Wolfe line search with cubic
// interpolation and zoom (line_search_fn="strong_wolfe"). One step() runs up to max_iter
// iterations on a deterministic full-batch closure and keeps its state (directions, history) for
// the next step(), as PyTorch does.
//
// The core works on double-precision vectors through a closure that receives x and writes the
// gradient, so any module (nn parameter stores, QKAN fits, small scientific problems) can use it;
// LbfgsParameterStore adapts it to a float ParameterStore.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <span>
#include <vector>

#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// Returns f(x) and writes df/dx into grad (same length as x).
using LbfgsClosure = std::function<double(std::span<const double> x, std::span<double> grad)>;

struct LbfgsOptions {
  double lr = 1.0;
  int max_iter = 20;               // iterations per step()
  int max_eval = -1;               // closure evaluations per step(); -1: max_iter * 5 / 4
  double tolerance_grad = 1e-7;    // stop when max |g_i| <= this
  double tolerance_change = 1e-9;  // stop on tiny steps or loss changes
  int history_size = 100;
  bool strong_wolfe = true;  // false: fixed steps of length lr (PyTorch's line_search_fn=None)
  // Strong-Wolfe constants and the bracket-width tolerance of the zoom phase (PyTorch's fixed
  // values; PyTorch limits the search to max_eval minus the evaluations already spent, as here).
  double c1 = 1e-4, c2 = 0.9;
  double line_search_tolerance_change = 1e-9;
};

enum class LbfgsStop {
  gradient_tolerance,  // max |g_i| <= tolerance_grad
  change_tolerance,    // step, loss change or directional derivative below tolerance_change
  max_iter,
  max_eval
};
const char* to_string(LbfgsStop reason);

struct LbfgsResult {
  double initial_loss = 0;  // f at the start of the step (what PyTorch's step() returns)
  double loss = 0;          // f at the returned x
  int iterations = 0;       // in this step()
  int evaluations = 0;      // closure calls in this step()
  LbfgsStop reason = LbfgsStop::max_iter;
};

// Everything an Lbfgs carries from one step() to the next, for exact resume from a checkpoint.
struct LbfgsState {
  long long iterations = 0, evaluations = 0;
  int first = 0, count = 0;
  double h_diag = 1, t = 0, prev_loss = 0;
  std::vector<double> direction, prev_grad, ro;  // n, n, history_size
  std::vector<double> dirs, steps;  // count pairs, oldest first, n each
  // As named float64 arrays ("<prefix>scalars", "<prefix>direction", ...) and back.
  void to_arrays(const std::string& prefix, std::map<std::string, std::vector<double>>& out) const;
  // False when the arrays are not there; a usage error when they are malformed.
  bool from_arrays(const std::string& prefix,
                   const std::map<std::string, std::vector<double>>& in);
};

class Lbfgs {
 public:
  Lbfgs(std::int64_t size, LbfgsOptions options = {});

  // Runs up to max_iter iterations from x (updated in place). Throws a numerical error when the
  // closure returns a non-finite loss or gradient.
  LbfgsResult step(std::span<double> x, const LbfgsClosure& closure);

  const LbfgsOptions& options() const { return options_; }
  long long total_iterations() const { return n_iter_; }
  long long total_evaluations() const { return func_evals_; }
  int history() const { return static_cast<int>(count_); }
  LbfgsState state() const;
  // A state of the same size and history (a usage error otherwise).
  void restore(const LbfgsState& state);

 private:
  double evaluate(std::span<const double> x_init, double t, std::span<const double> d,
                  std::vector<double>& grad, const LbfgsClosure& closure);
  // Strong-Wolfe search along d from x_init (loss f, gradient g, slope gtd); leaves the accepted
  // gradient in grad_ and returns {loss, t, evaluations}.
  struct Search {
    double loss, t;
    int evaluations;
  };
  Search strong_wolfe(std::span<const double> x_init, double t, double f, double gtd, int max_ls,
                      const LbfgsClosure& closure);
  void direction();  // d_ = -H grad_ by the two-loop recursion
  void push_pair();  // y = grad - prev_grad, s = t d; kept when y.s > 1e-10

  LbfgsOptions options_;
  std::int64_t n_;
  // Ring buffer of curvature pairs: slot (first_ + i) % history_size for the i-th oldest.
  std::vector<std::vector<double>> old_dirs_, old_stps_;
  std::vector<double> ro_, al_;
  int first_ = 0, count_ = 0;
  double h_diag_ = 1.0;
  std::vector<double> d_, grad_, prev_grad_, x_init_, trial_, work_g_;
  // Line-search gradients: the previous trial's and the two bracket ends'.
  std::vector<double> g_prev_, bracket_g_[2];
  double t_ = 0, prev_loss_ = 0;
  long long n_iter_ = 0, func_evals_ = 0;
};

// PyTorch's _cubic_interpolate: minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clamped
// to [lo, hi] (the points' interval when lo > hi); the midpoint when the cubic has none.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         double lo = 1.0, double hi = -1.0);

// L-BFGS over a float ParameterStore: the optimiser keeps a double copy of the parameters, writes
// each trial point into the store (rounded to float), zeroes the gradients, calls `loss` (which
// must run forward and backward on the store's values and return the loss) and reads the
// gradients back. After step() the store holds the accepted parameters.
class LbfgsParameterStore {
 public:
  LbfgsParameterStore(ParameterStore& store, LbfgsOptions options = {});
  LbfgsResult step(const std::function<double()>& loss);
  Lbfgs& optimizer() { return lbfgs_; }

 private:
  ParameterStore& store_;
  Lbfgs lbfgs_;
  std::vector<double> x_;
};

}  // namespace fieldlab::nn
