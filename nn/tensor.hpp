#pragma once
// Contiguous float32 tensor: a shape, row-major strides and a pointer. A tensor either owns its
// storage (shared, so copies are cheap views) or views memory owned elsewhere (a ParameterStore
// buffer or a Graph arena), which is how parameters and per-step activations avoid copies.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/shape.hpp"

namespace fieldlab::nn {

std::int64_t numel(const Shape& shape);
Shape row_major_strides(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  // Owning, zero-filled.
  explicit Tensor(Shape shape);
  Tensor(Shape shape, const std::vector<float>& values);
  // Non-owning view of `data` (the caller keeps it alive).
  static Tensor view(float* data, Shape shape);

  const Shape& shape() const { return shape_; }
  // Row-major (tensors are contiguous), so computed rather than stored: a smaller handle.
  Shape strides() const { return row_major_strides(shape_); }
  std::int64_t dim() const { return static_cast<std::int64_t>(shape_.size()); }
  std::int64_t size(std::int64_t axis) const;  // negative axis counts from the end
  std::int64_t numel() const { return numel_; }
  bool empty() const { return data_ == nullptr; }

  float* data() { return data_; }
  const float* data() const { return data_; }
  float& operator[](std::int64_t i) { return data_[i]; }
  float operator[](std::int64_t i) const { return data_[i]; }

  // Same storage, new shape with the same number of elements.
  Tensor reshaped(Shape shape) const;
  // A deep copy with its own storage.
  Tensor clone() const;
  std::vector<float> to_vector() const { return {data_, data_ + numel_}; }
  void fill(float value);

 private:
  std::shared_ptr<float[]> owner_;
  float* data_ = nullptr;
  Shape shape_;
  std::int64_t numel_ = 0;
};

// Throws a usage error naming `what` when the shapes differ.
void require_same_shape(const Shape& a, const Shape& b, const char* what);

}  // namespace fieldlab::nn
