#include "nn/layers/layer.hpp"

#include <cmath>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Var dropout_if_training(Var x, float p, std::mt19937_64* rng) {
  if (rng == nullptr || p == 0.0f) return x;
  return dropout(x, p, *rng);
}

void init_uniform(ParameterStore& store, int index, float bound, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> u(-bound, bound);
  Tensor t = store.value(index);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = u(rng);
}

void init_normal(ParameterStore& store, int index, float mean, float stddev, std::mt19937_64& rng) {
  std::normal_distribution<float> n(mean, stddev);
  Tensor t = store.value(index);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = n(rng);
}

void init_xavier_uniform(ParameterStore& store, int index, std::int64_t fan_in,
                         std::int64_t fan_out, std::mt19937_64& rng) {
  init_uniform(store, index, std::sqrt(6.0f / static_cast<float>(fan_in + fan_out)), rng);
}

void require_allocated(const ParameterStore& store, const char* layer) {
  require(store.allocated(), "{}: initialise() before the parameter store is allocated", layer);
}

}  // namespace fieldlab::nn
