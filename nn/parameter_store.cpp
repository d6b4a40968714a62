#include "nn/parameter_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <new>

#include "core/error.hpp"
#include "core/resource_guard.hpp"

namespace fieldlab::nn {

int ParameterStore::add(const std::string& name, Shape shape) {
  require(!contains(name), "parameter '{}' declared twice", name);
  require(!allocated_, "parameter '{}' declared after the store was allocated", name);
  ParameterInfo info{name, shape, size_, numel(shape)};
  size_ = checked_add(size_, info.size, "the model's parameter count");
  infos_.push_back(std::move(info));
  const int i = static_cast<int>(infos_.size()) - 1;
  by_name_.emplace(name, i);
  return i;
}

int ParameterStore::index(const std::string& name) const {
  auto it = by_name_.find(name);
  require(it != by_name_.end(), "no parameter named '{}'", name);
  return it->second;
}

void ParameterStore::allocate() {
  require(!allocated_, "parameter store allocated twice");
  // Values and gradients, checked before either is allocated.
  MemoryEstimate(fmt::format("a model with {} parameters", size_))
      .add("parameters", static_cast<double>(size_), "values", sizeof(float), 2,
           "copies (values, gradients)")
      .check("reduce the model's width (hidden, widths) or depth (levels, waves, blocks)");
  values_.assign(size_, 0.0f);
  grads_.reset(static_cast<float*>(std::calloc(std::max<std::int64_t>(size_, 1), sizeof(float))));
  if (!grads_) throw std::bad_alloc();
  allocated_ = true;
}

Tensor ParameterStore::value(int i) {
  require(allocated_, "parameter values requested before ParameterStore::allocate()");
  const auto& p = infos_.at(i);
  return Tensor::view(values_.data() + p.offset, p.shape);
}

Tensor ParameterStore::grad(int i) {
  require(allocated_, "parameter gradients requested before ParameterStore::allocate()");
  const auto& p = infos_.at(i);
  return Tensor::view(grads_.get() + p.offset, p.shape);
}

void ParameterStore::zero_grad() {
  const std::span<float> g = grads();
  std::fill(g.begin(), g.end(), 0.0f);
}

void init_uniform_fan_in(ParameterStore& store, int index, std::int64_t fan_in,
                         std::mt19937_64& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(std::max<std::int64_t>(fan_in, 1)));
  std::uniform_real_distribution<float> u(-bound, bound);
  Tensor t = store.value(index);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = u(rng);
}

void init_constant(ParameterStore& store, int index, float value) {
  store.value(index).fill(value);
}

}  // namespace fieldlab::nn
