#include "nn/optimizer.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace fieldlab::nn {

OptimizerKind parse_optimizer_kind(const std::string& name) {
  if (name == "sgd") return OptimizerKind::sgd;
  if (name == "adam") return OptimizerKind::adam;
  if (name == "adamw") return OptimizerKind::adamw;
  fail(ErrorKind::usage, "unknown optimiser '{}' (expected sgd, adam or adamw)", name);
}

const char* to_string(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::sgd:
      return "sgd";
    case OptimizerKind::adam:
      return "adam";
    default:
      return "adamw";
  }
}

Optimizer::Optimizer(OptimizerConfig config, std::int64_t parameters) : config_(config) {
  require(parameters >= 0, "optimiser over a negative number of parameters");
  m_.assign(parameters, 0.0f);
  if (config_.kind != OptimizerKind::sgd) v_.assign(parameters, 0.0f);
}

std::vector<std::pair<std::string, std::vector<float>*>> Optimizer::state() {
  if (config_.kind == OptimizerKind::sgd) return {{"momentum", &m_}};
  return {{"exp_avg", &m_}, {"exp_avg_sq", &v_}};
}

void Optimizer::step(ParameterStore& store, float lr) {
  auto p = store.values();
  auto g = store.grads();
  require(static_cast<std::int64_t>(p.size()) == static_cast<std::int64_t>(m_.size()),
          "optimiser built for {} parameters applied to a store of {}", m_.size(), p.size());
  ++steps_;
  const std::int64_t n = static_cast<std::int64_t>(p.size());
  const float wd = config_.weight_decay;
  if (config_.kind == OptimizerKind::sgd) {
    const float mu = config_.momentum;
    const bool first = steps_ == 1;
#pragma omp parallel for simd if (n > (1 << 16))
    for (std::int64_t i = 0; i < n; ++i) {
      float gi = g[i] + wd * p[i];
      if (mu != 0.0f) {
        m_[i] = first ? gi : mu * m_[i] + gi;  // PyTorch starts the buffer at the gradient
        gi = m_[i];
      }
      p[i] -= lr * gi;
    }
    return;
  }
  const float b1 = config_.beta1, b2 = config_.beta2, eps = config_.eps;
  const double bc1 = 1.0 - std::pow(static_cast<double>(b1), static_cast<double>(steps_));
  const double bc2 = 1.0 - std::pow(static_cast<double>(b2), static_cast<double>(steps_));
  const float step_size = static_cast<float>(lr / bc1);
  const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
  const bool decoupled = config_.kind == OptimizerKind::adamw;
#pragma omp parallel for simd if (n > (1 << 16))
  for (std::int64_t i = 0; i < n; ++i) {
    float gi = g[i];
    if (decoupled)
      p[i] *= 1.0f - lr * wd;
    else
      gi += wd * p[i];
    m_[i] = b1 * m_[i] + (1.0f - b1) * gi;
    v_[i] = b2 * v_[i] + (1.0f - b2) * gi * gi;
    p[i] -= step_size * m_[i] / (std::sqrt(v_[i]) / bc2_sqrt + eps);
  }
}

double clip_grad_norm(ParameterStore& store, double max_norm) {
  require(max_norm > 0, "gradient clipping needs a positive max norm, got {}", max_norm);
  auto g = store.grads();
  double sq = 0;
  for (float v : g) sq += static_cast<double>(v) * v;
  const double norm = std::sqrt(sq);
  if (!std::isfinite(norm))
    fail(ErrorKind::numerical, "gradient norm is not finite ({}): the loss diverged", norm);
  // PyTorch's clip_grad_norm_ uses max_norm / (norm + 1e-6).
  const double factor = max_norm / (norm + 1e-6);
  if (factor < 1.0)
    for (float& v : g) v = static_cast<float>(v * factor);
  return norm;
}

double WarmupCosineSchedule::operator()(long long step) const {
  if (step < warmup_steps)
    return start_lr + (peak_lr - start_lr) * static_cast<double>(step) / warmup_steps;
  const long long decay = std::max<long long>(total_steps - warmup_steps, 1);
  const double progress = std::min(1.0, static_cast<double>(step - warmup_steps) / decay);
  return final_lr + 0.5 * (peak_lr - final_lr) * (1.0 + std::cos(std::numbers::pi * progress));
}

}  // namespace fieldlab::nn
