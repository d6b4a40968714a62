#pragma once
// All parameters of a model in one contiguous float buffer and their gradients in a second one of
// the same layout, so optimisers, gradient clipping and checkpoints work on one span each.
// Parameters are declared by name first (cheap: a model's layout and parameter count are known
// without any memory), then allocate() creates both buffers once and views can be handed out.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "nn/tensor.hpp"

namespace fieldlab::nn {

struct ParameterInfo {
  std::string name;
  Shape shape;
  std::int64_t offset = 0;
  std::int64_t size = 0;
};

class ParameterStore {
 public:
  // Declares a parameter and returns its index; only before allocate().
  int add(const std::string& name, Shape shape);
  // Creates the value and gradient buffers (zero-filled). Views are valid from here on.
  void allocate();
  bool allocated() const { return allocated_; }

  int index(const std::string& name) const;  // throws a usage error for an unknown name
  bool contains(const std::string& name) const { return by_name_.count(name) > 0; }
  const std::vector<ParameterInfo>& parameters() const { return infos_; }
  std::int64_t size() const { return size_; }

  Tensor value(int index);
  Tensor grad(int index);
  Tensor value(const std::string& name) { return value(index(name)); }
  Tensor grad(const std::string& name) { return grad(index(name)); }

  std::span<float> values() { return values_; }
  std::span<const float> values() const { return values_; }
  std::span<float> grads() {
    return {grads_.get(), allocated_ ? static_cast<std::size_t>(size_) : 0};
  }
  std::span<const float> grads() const {
    return {grads_.get(), allocated_ ? static_cast<std::size_t>(size_) : 0};
  }
  void zero_grad();

 private:
  std::vector<ParameterInfo> infos_;
  std::unordered_map<std::string, int> by_name_;
  std::vector<float> values_;
  // From calloc: a large block comes straight from mmap as untouched zero pages, so a model that
  // only runs inference never makes its gradient buffer resident (142 MiB for SineNet-8).
  struct FreeDeleter {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], FreeDeleter> grads_;
  std::int64_t size_ = 0;
  bool allocated_ = false;
};

// PyTorch's default initialisation of Conv2d and Linear (kaiming_uniform with a = sqrt(5)):
// weight and bias both uniform in +-1/sqrt(fan_in).
void init_uniform_fan_in(ParameterStore& store, int index, std::int64_t fan_in,
                         std::mt19937_64& rng);
void init_constant(ParameterStore& store, int index, float value);

}  // namespace fieldlab::nn
