#include "nn/tensor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace fieldlab::nn {

void Shape::rank_overflow(std::size_t rank) {
  fail(ErrorKind::usage, "tensor rank {} exceeds the supported maximum of {}", rank, kMaxRank);
}

std::int64_t numel(const Shape& shape) {
  // Checked: a wrapped product would be a negative or tiny size and a corrupt allocation.
  std::int64_t n = 1;
  for (auto s : shape)
    if (s < 0 || __builtin_mul_overflow(n, s, &n))
      fail(ErrorKind::usage, "tensor of shape {} is too large (its size overflows 64-bit integers)",
           to_string(shape));
  return n;
}

ShapeText::operator std::string() const { return fmt::format("{}", *this); }

Shape row_major_strides(const Shape& shape) {
  Shape strides(shape.size());
  std::int64_t s = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

Tensor::Tensor(Shape shape) : shape_(std::move(shape)) {
  for (auto s : shape_) require(s >= 0, "tensor shape {} has a negative extent", to_string(shape_));
  numel_ = nn::numel(shape_);
  owner_.reset(new float[std::max<std::int64_t>(numel_, 1)]());
  data_ = owner_.get();
}

Tensor::Tensor(Shape shape, const std::vector<float>& values) : Tensor(std::move(shape)) {
  require(static_cast<std::int64_t>(values.size()) == numel_,
          "tensor of shape {} needs {} values, got {}", to_string(shape_), numel_, values.size());
  std::copy(values.begin(), values.end(), data_);
}

Tensor Tensor::view(float* data, Shape shape) {
  Tensor t;
  t.shape_ = std::move(shape);
  t.numel_ = nn::numel(t.shape_);
  t.data_ = data;
  return t;
}

std::int64_t Tensor::size(std::int64_t axis) const {
  const std::int64_t d = dim();
  if (axis < 0) axis += d;
  require(axis >= 0 && axis < d, "axis {} out of range for a tensor of shape {}", axis,
          to_string(shape_));
  return shape_[axis];
}

Tensor Tensor::reshaped(Shape shape) const {
  require(nn::numel(shape) == numel_, "cannot reshape {} to {}", to_string(shape_),
          to_string(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t(shape_);
  if (numel_ > 0) std::memcpy(t.data_, data_, sizeof(float) * numel_);
  return t;
}

void Tensor::fill(float value) { std::fill(data_, data_ + numel_, value); }

void require_same_shape(const Shape& a, const Shape& b, const char* what) {
  require(a == b, "{}: shapes {} and {} differ", what, to_string(a), to_string(b));
}

}  // namespace fieldlab::nn
