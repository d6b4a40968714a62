#pragma once
// First-order optimisers over a ParameterStore's single value/gradient spans, following PyTorch's
// update rules (so hyper-parameters and results carry over): SGD with momentum (buf = mu buf + g;
// p -= lr buf), Adam (bias-corrected moments; weight decay added to the gradient) and AdamW
// (decoupled weight decay: p *= 1 - lr wd, then the Adam step).

#include <string>
#include <vector>

#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

enum class OptimizerKind { sgd, adam, adamw };
OptimizerKind parse_optimizer_kind(const std::string& name);
const char* to_string(OptimizerKind kind);

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::adamw;
  float momentum = 0.0f;  // sgd
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weight_decay = 0.0f;
};

class Optimizer {
 public:
  Optimizer(OptimizerConfig config, std::int64_t parameters);

  // One update of `store`'s values from its gradients with learning rate lr.
  void step(ParameterStore& store, float lr);

  const OptimizerConfig& config() const { return config_; }
  long long steps() const { return steps_; }
  // State for checkpoints: moment buffers by name ("momentum" or "exp_avg", "exp_avg_sq").
  std::vector<std::pair<std::string, std::vector<float>*>> state();
  void set_steps(long long steps) { steps_ = steps; }

 private:
  OptimizerConfig config_;
  std::vector<float> m_, v_;
  long long steps_ = 0;
};

// Scales all gradients so their global L2 norm is at most max_norm; returns the norm before.
double clip_grad_norm(ParameterStore& store, double max_norm);

// Linear warm-up from `start_lr` to `peak_lr` over warmup_steps, then cosine decay to `final_lr`
// at total_steps (held there after).
struct WarmupCosineSchedule {
  double peak_lr = 2e-4, start_lr = 1e-7, final_lr = 1e-7;
  long long warmup_steps = 0, total_steps = 1;
  double operator()(long long step) const;
};

}  // namespace fieldlab::nn
