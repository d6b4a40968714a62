#include "nn/lbfgs.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

// Vector kernels. Parallel only where it pays; a fixed static schedule keeps the reductions
// deterministic for a given thread count.
constexpr std::int64_t kParallelFrom = 1 << 15;

double dot(std::span<const double> a, std::span<const double> b) {
  const std::int64_t n = static_cast<std::int64_t>(a.size());
  double s = 0;
#pragma omp parallel for schedule(static) reduction(+ : s) if (n >= kParallelFrom)
  for (std::int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// y += alpha x
void axpy(double alpha, std::span<const double> x, std::span<double> y) {
  const std::int64_t n = static_cast<std::int64_t>(x.size());
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
  for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

double max_abs(std::span<const double> a) {
  double m = 0;
  for (double v : a) m = std::max(m, std::abs(v));
  return m;
}

double sum_abs(std::span<const double> a) {
  double s = 0;
  for (double v : a) s += std::abs(v);
  return s;
}

bool all_finite(std::span<const double> a) {
  for (double v : a)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

const char* to_string(LbfgsStop reason) {
  switch (reason) {
    case LbfgsStop::gradient_tolerance:
      return "gradient tolerance";
    case LbfgsStop::change_tolerance:
      return "change tolerance";
    case LbfgsStop::max_iter:
      return "max_iter";
    default:
      return "max_eval";
  }
}

double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         double lo, double hi) {
  if (lo > hi) {
    lo = std::min(x1, x2);
    hi = std::max(x1, x2);
  }
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square < 0) return (lo + hi) / 2;
  const double d2 = std::sqrt(d2_square);
  const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                  : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return std::min(std::max(min_pos, lo), hi);
}

Lbfgs::Lbfgs(std::int64_t size, LbfgsOptions options) : options_(options), n_(size) {
  require(size > 0, "L-BFGS over {} parameters", size);
  if (options_.max_eval < 0) options_.max_eval = options_.max_iter * 5 / 4;
  require(options_.lr > 0 && options_.max_iter >= 1 && options_.max_eval >= 2 &&
              options_.history_size >= 1,
          "L-BFGS: lr {} max_iter {} max_eval {} history_size {} (need lr > 0, max_iter >= 1, "
          "max_eval >= 2, history_size >= 1)",
          options_.lr, options_.max_iter, options_.max_eval, options_.history_size);
  require(options_.c1 > 0 && options_.c1 < options_.c2 && options_.c2 < 1,
          "L-BFGS: Wolfe constants need 0 < c1 < c2 < 1, got c1 {} c2 {}", options_.c1,
          options_.c2);
  old_dirs_.resize(options_.history_size);
  old_stps_.resize(options_.history_size);
  ro_.assign(options_.history_size, 0.0);
  al_.assign(options_.history_size, 0.0);
  for (auto* v : {&d_, &grad_, &prev_grad_, &x_init_, &trial_, &work_g_, &g_prev_, &bracket_g_[0],
                  &bracket_g_[1]})
    v->assign(n_, 0.0);
}

double Lbfgs::evaluate(std::span<const double> x_init, double t, std::span<const double> d,
                       std::vector<double>& grad, const LbfgsClosure& closure) {
  for (std::int64_t i = 0; i < n_; ++i) trial_[i] = x_init[i] + t * d[i];
  const double f = closure(trial_, grad);
  if (!std::isfinite(f) || !all_finite(grad))
    fail(ErrorKind::numerical, "L-BFGS: non-finite loss or gradient (loss {}) at iteration {}", f,
         n_iter_);
  return f;
}

void Lbfgs::push_pair() {
  // y = g - g_prev and s = t d into scratch first: when the history is full the target slot holds
  // the oldest pair, which must survive a rejected (y.s <= 1e-10) pair.
  std::vector<double>& y = work_g_;
  std::vector<double>& s = trial_;
  for (std::int64_t i = 0; i < n_; ++i) {
    y[i] = grad_[i] - prev_grad_[i];
    s[i] = d_[i] * t_;
  }
  const double ys = dot(y, s);
  if (ys <= 1e-10) return;
  const int h = options_.history_size;
  const int slot = count_ < h ? (first_ + count_) % h : first_;
  if (count_ == h)
    first_ = (first_ + 1) % h;
  else
    ++count_;
  // Swap the scratch into the slot (no copy); the slot's old storage becomes the scratch.
  for (auto* v : {&old_dirs_[slot], &old_stps_[slot]}) v->resize(n_);
  std::swap(old_dirs_[slot], y);
  std::swap(old_stps_[slot], s);
  ro_[slot] = 1.0 / ys;
  h_diag_ = ys / dot(old_dirs_[slot], old_dirs_[slot]);
}

void Lbfgs::direction() {
  const int h = options_.history_size;
  // q = -g; backwards over the pairs: al_i = rho_i s_i.q, q -= al_i y_i.
  for (std::int64_t i = 0; i < n_; ++i) d_[i] = -grad_[i];
  for (int i = count_ - 1; i >= 0; --i) {
    const int k = (first_ + i) % h;
    al_[k] = dot(old_stps_[k], d_) * ro_[k];
    axpy(-al_[k], old_dirs_[k], d_);
  }
  // r = H0 q; forwards: be_i = rho_i y_i.r, r += (al_i - be_i) s_i.
  for (double& v : d_) v *= h_diag_;
  for (int i = 0; i < count_; ++i) {
    const int k = (first_ + i) % h;
    const double be = dot(old_dirs_[k], d_) * ro_[k];
    axpy(al_[k] - be, old_stps_[k], d_);
  }
}

Lbfgs::Search Lbfgs::strong_wolfe(std::span<const double> x, double t, double f, double gtd,
                                  int max_ls, const LbfgsClosure& closure) {
  const double c1 = options_.c1, c2 = options_.c2;
  const double d_norm = max_abs(d_);
  std::vector<double>& g = grad_;  // the gradient at t = 0 on entry; the accepted one on exit
  std::vector<double>& g_new = work_g_;
  double f_new = evaluate(x, t, d_, g_new, closure);
  int evals = 1;
  double gtd_new = dot(g_new, d_);
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  g_prev_ = g;
  bool done = false;
  int ls_iter = 0;
  double bracket[2] = {0, 0}, bracket_f[2] = {0, 0}, bracket_gtd[2] = {0, 0};
  int bracket_size = 0;
  auto bracket_pair = [&] {
    bracket[0] = t_prev, bracket[1] = t;
    bracket_f[0] = f_prev, bracket_f[1] = f_new;
    bracket_g_[0] = g_prev_, bracket_g_[1] = g_new;
    bracket_gtd[0] = gtd_prev, bracket_gtd[1] = gtd_new;
    bracket_size = 2;
  };
  // Bracketing: grow the step until the interval is known to hold a Wolfe point.
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= f_prev)) {
      bracket_pair();
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket[0] = t, bracket_f[0] = f_new, bracket_g_[0] = g_new;
      bracket_size = 1;
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket_pair();
      break;
    }
    const double min_step = t + 0.01 * (t - t_prev), max_step = t * 10, previous = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step);
    t_prev = previous;
    f_prev = f_new;
    g_prev_ = g_new;
    gtd_prev = gtd_new;
    f_new = evaluate(x, t, d_, g_new, closure);
    ++evals;
    gtd_new = dot(g_new, d_);
    ++ls_iter;
  }
  if (ls_iter == max_ls) {
    bracket[0] = 0, bracket[1] = t;
    bracket_f[0] = f, bracket_f[1] = f_new;
    bracket_g_[0] = g, bracket_g_[1] = g_new;
    bracket_size = 2;
  }
  const int last = bracket_size - 1;
  int low = bracket_f[0] <= bracket_f[last] ? 0 : 1, high = 1 - low;
  // Zoom: shrink the bracket by safeguarded cubic interpolation.
  bool insufficient_progress = false;
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1] - bracket[0]) * d_norm < options_.line_search_tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1],
                          bracket_gtd[1]);
    const double b_max = std::max(bracket[0], bracket[1]), b_min = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (b_max - b_min);
    if (std::min(b_max - t, t - b_min) < eps) {
      // Too close to an end: move it inside unless the previous step already made progress.
      if (insufficient_progress || t >= b_max || t <= b_min) {
        t = std::abs(t - b_max) < std::abs(t - b_min) ? b_max - eps : b_min + eps;
        insufficient_progress = false;
      } else {
        insufficient_progress = true;
      }
    } else {
      insufficient_progress = false;
    }
    f_new = evaluate(x, t, d_, g_new, closure);
    ++evals;
    gtd_new = dot(g_new, d_);
    ++ls_iter;
    if (f_new > f + c1 * t * gtd || f_new >= bracket_f[low]) {
      bracket[high] = t, bracket_f[high] = f_new, bracket_g_[high] = g_new;
      bracket_gtd[high] = gtd_new;
      low = bracket_f[0] <= bracket_f[1] ? 0 : 1;
      high = 1 - low;
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high] - bracket[low]) >= 0) {
        bracket[high] = bracket[low], bracket_f[high] = bracket_f[low];
        bracket_g_[high] = bracket_g_[low], bracket_gtd[high] = bracket_gtd[low];
      }
      bracket[low] = t, bracket_f[low] = f_new, bracket_g_[low] = g_new;
      bracket_gtd[low] = gtd_new;
    }
  }
  g = bracket_g_[low];
  return {bracket_f[low], bracket[low], evals};
}

LbfgsResult Lbfgs::step(std::span<double> x, const LbfgsClosure& closure) {
  require(static_cast<std::int64_t>(x.size()) == n_, "L-BFGS: step on {} values, built for {}",
          x.size(), n_);
  const LbfgsOptions& o = options_;
  LbfgsResult r;
  double loss = closure(x, grad_);
  if (!std::isfinite(loss) || !all_finite(grad_))
    fail(ErrorKind::numerical, "L-BFGS: non-finite loss or gradient (loss {}) at iteration {}",
         loss, n_iter_);
  r.initial_loss = r.loss = loss;
  int current_evals = 1;
  ++func_evals_;
  r.evaluations = 1;
  if (max_abs(grad_) <= o.tolerance_grad) {
    r.reason = LbfgsStop::gradient_tolerance;
    return r;
  }
  int n_iter = 0;
  while (n_iter < o.max_iter) {
    ++n_iter;
    ++n_iter_;
    r.iterations = n_iter;
    if (n_iter_ == 1) {
      for (std::int64_t i = 0; i < n_; ++i) d_[i] = -grad_[i];
      first_ = count_ = 0;
      h_diag_ = 1.0;
    } else {
      push_pair();
      direction();
    }
    prev_grad_ = grad_;
    prev_loss_ = loss;
    t_ = n_iter_ == 1 ? std::min(1.0, 1.0 / sum_abs(grad_)) * o.lr : o.lr;
    const double gtd = dot(grad_, d_);
    if (gtd > -o.tolerance_change) {
      r.reason = LbfgsStop::change_tolerance;
      break;
    }
    int ls_evals = 0;
    bool opt_cond = false;
    if (o.strong_wolfe) {
      std::copy(x.begin(), x.end(), x_init_.begin());
      const Search s = strong_wolfe(x_init_, t_, loss, gtd, o.max_eval - current_evals, closure);
      loss = s.loss;
      t_ = s.t;
      ls_evals = s.evaluations;
      axpy(t_, d_, x);
      opt_cond = max_abs(grad_) <= o.tolerance_grad;
    } else {
      axpy(t_, d_, x);
      if (n_iter != o.max_iter) {
        loss = closure(x, grad_);
        if (!std::isfinite(loss) || !all_finite(grad_))
          fail(ErrorKind::numerical,
               "L-BFGS: non-finite loss or gradient (loss {}) at iteration {}", loss, n_iter_);
        opt_cond = max_abs(grad_) <= o.tolerance_grad;
        ls_evals = 1;
      }
    }
    current_evals += ls_evals;
    func_evals_ += ls_evals;
    r.evaluations = current_evals;
    r.loss = loss;
    if (n_iter == o.max_iter) {
      r.reason = LbfgsStop::max_iter;
      break;
    }
    if (current_evals >= o.max_eval) {
      r.reason = LbfgsStop::max_eval;
      break;
    }
    if (opt_cond) {
      r.reason = LbfgsStop::gradient_tolerance;
      break;
    }
    if (max_abs(d_) * std::abs(t_) <= o.tolerance_change ||
        std::abs(loss - prev_loss_) < o.tolerance_change) {
      r.reason = LbfgsStop::change_tolerance;
      break;
    }
  }
  return r;
}

LbfgsState Lbfgs::state() const {
  LbfgsState s;
  s.iterations = n_iter_;
  s.evaluations = func_evals_;
  s.first = 0;
  s.count = count_;
  s.h_diag = h_diag_;
  s.t = t_;
  s.prev_loss = prev_loss_;
  s.direction = d_;
  s.prev_grad = prev_grad_;
  const int h = options_.history_size;
  for (int i = 0; i < count_; ++i) {
    const int k = (first_ + i) % h;
    s.ro.push_back(ro_[k]);
    s.dirs.insert(s.dirs.end(), old_dirs_[k].begin(), old_dirs_[k].end());
    s.steps.insert(s.steps.end(), old_stps_[k].begin(), old_stps_[k].end());
  }
  return s;
}

void Lbfgs::restore(const LbfgsState& s) {
  const int h = options_.history_size;
  require(s.count >= 0 && s.count <= h && s.direction.size() == static_cast<std::size_t>(n_) &&
              s.prev_grad.size() == static_cast<std::size_t>(n_) &&
              s.ro.size() == static_cast<std::size_t>(s.count) &&
              s.dirs.size() == static_cast<std::size_t>(s.count) * n_ &&
              s.steps.size() == s.dirs.size() && s.iterations >= 0 && s.evaluations >= 0,
          "L-BFGS state does not fit an optimiser of {} values and history {} (corrupt "
          "checkpoint?)",
          n_, h);
  n_iter_ = s.iterations;
  func_evals_ = s.evaluations;
  first_ = 0;
  count_ = s.count;
  h_diag_ = s.h_diag;
  t_ = s.t;
  prev_loss_ = s.prev_loss;
  d_ = s.direction;
  prev_grad_ = s.prev_grad;
  for (int i = 0; i < count_; ++i) {
    ro_[i] = s.ro[i];
    old_dirs_[i].assign(s.dirs.begin() + i * n_, s.dirs.begin() + (i + 1) * n_);
    old_stps_[i].assign(s.steps.begin() + i * n_, s.steps.begin() + (i + 1) * n_);
  }
}

void LbfgsState::to_arrays(const std::string& p,
                           std::map<std::string, std::vector<double>>& out) const {
  out[p + "scalars"] = {static_cast<double>(iterations), static_cast<double>(evaluations),
                        static_cast<double>(count), h_diag, t, prev_loss};
  out[p + "direction"] = direction;
  out[p + "prev_grad"] = prev_grad;
  out[p + "ro"] = ro;
  out[p + "dirs"] = dirs;
  out[p + "steps"] = steps;
}

bool LbfgsState::from_arrays(const std::string& p,
                             const std::map<std::string, std::vector<double>>& in) {
  auto get = [&](const char* name) -> const std::vector<double>* {
    const auto it = in.find(p + name);
    return it == in.end() ? nullptr : &it->second;
  };
  const auto* scalars = get("scalars");
  if (scalars == nullptr) return false;
  for (const char* name : {"direction", "prev_grad", "ro", "dirs", "steps"})
    require(get(name) != nullptr, "checkpoint has L-BFGS scalars but no '{}{}'", p, name);
  require(scalars->size() == 6, "checkpoint L-BFGS scalars: 6 values expected, got {}",
          scalars->size());
  const auto& v = *scalars;
  auto count_of = [](double x) { return x >= 0 && x < 9.0e15 && x == std::floor(x); };
  require(count_of(v[0]) && count_of(v[1]) && count_of(v[2]),
          "checkpoint L-BFGS counts are not counts (corrupt file?)");
  iterations = static_cast<long long>(v[0]);
  evaluations = static_cast<long long>(v[1]);
  count = static_cast<int>(v[2]);
  h_diag = v[3];
  t = v[4];
  prev_loss = v[5];
  direction = *get("direction");
  prev_grad = *get("prev_grad");
  ro = *get("ro");
  dirs = *get("dirs");
  steps = *get("steps");
  return true;
}

LbfgsParameterStore::LbfgsParameterStore(ParameterStore& store, LbfgsOptions options)
    : store_(store), lbfgs_(store.size(), options) {
  require(store.allocated(), "L-BFGS: the parameter store is not allocated");
}

LbfgsResult LbfgsParameterStore::step(const std::function<double()>& loss) {
  auto values = store_.values();
  auto grads = store_.grads();
  x_.assign(values.begin(), values.end());
  auto closure = [&](std::span<const double> x, std::span<double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) values[i] = static_cast<float>(x[i]);
    store_.zero_grad();
    const double f = loss();
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = grads[i];
    return f;
  };
  const LbfgsResult r = lbfgs_.step(x_, closure);
  for (std::size_t i = 0; i < x_.size(); ++i) values[i] = static_cast<float>(x_[i]);
  return r;
}

}  // namespace fieldlab::nn
