#pragma once
// A tensor shape stored inline (no heap): up to kMaxRank extents in a fixed array.
//
// Every Tensor holds a shape and every op makes new tensors, views and reshapes, so a heap-backed
// shape (std::vector) costs a malloc per tensor handle: thousands per training step. The engine's
// tensors have rank <= 5 (NCHW images, [B, heads, T, D] attention), so a fixed capacity of 8 is
// ample; a larger rank is a usage error, not an overflow. The class keeps the subset of the
// std::vector API that the code uses, so call sites read the same.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

namespace fieldlab::nn {

class Shape {
 public:
  static constexpr std::size_t kMaxRank = 8;
  using value_type = std::int64_t;
  using size_type = std::size_t;
  using iterator = std::int64_t*;
  using const_iterator = const std::int64_t*;
  using reference = std::int64_t&;
  using const_reference = const std::int64_t&;

  Shape() = default;
  // `count` extents of `value` (like std::vector(n, v)); Shape{a, b} lists extents.
  explicit Shape(std::size_t count, std::int64_t value = 0) {
    check_rank(count);
    size_ = static_cast<std::uint8_t>(count);
    std::fill_n(extents_.begin(), count, value);
  }
  Shape(std::initializer_list<std::int64_t> extents) : Shape(extents.begin(), extents.end()) {}
  template <typename It>
  requires(!std::is_integral_v<It>) Shape(It first, It last) {
    for (; first != last; ++first) push_back(static_cast<std::int64_t>(*first));
  }
  // From a std::vector (user-facing APIs and tests build shapes that way).
  template <typename T>
  Shape(const std::vector<T>& extents) : Shape(extents.begin(), extents.end()) {}  // NOLINT

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::int64_t& operator[](std::size_t i) { return extents_[i]; }
  std::int64_t operator[](std::size_t i) const { return extents_[i]; }
  std::int64_t& back() { return extents_[size_ - 1]; }
  std::int64_t back() const { return extents_[size_ - 1]; }
  std::int64_t& front() { return extents_[0]; }
  std::int64_t front() const { return extents_[0]; }
  std::int64_t* data() { return extents_.data(); }
  const std::int64_t* data() const { return extents_.data(); }
  iterator begin() { return extents_.data(); }
  iterator end() { return extents_.data() + size_; }
  const_iterator begin() const { return extents_.data(); }
  const_iterator end() const { return extents_.data() + size_; }

  void push_back(std::int64_t extent) {
    check_rank(size_ + 1u);
    extents_[size_++] = extent;
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  void resize(std::size_t count, std::int64_t value = 0) {
    check_rank(count);
    for (std::size_t i = size_; i < count; ++i) extents_[i] = value;
    size_ = static_cast<std::uint8_t>(count);
  }
  // Inserts one extent before `pos` (e.g. a leading batch axis).
  iterator insert(const_iterator pos, std::int64_t extent) {
    const std::size_t at = static_cast<std::size_t>(pos - begin());
    check_rank(size_ + 1u);
    std::copy_backward(begin() + at, end(), end() + 1);
    extents_[at] = extent;
    ++size_;
    return begin() + at;
  }
  iterator erase(const_iterator pos) {
    const std::size_t at = static_cast<std::size_t>(pos - begin());
    std::copy(begin() + at + 1, end(), begin() + at);
    --size_;
    return begin() + at;
  }

  std::vector<std::int64_t> to_vector() const { return {begin(), end()}; }

  friend bool operator==(const Shape& a, const Shape& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  // Throws a usage error (shape.cpp keeps core/error.hpp out of this header).
  static void check_rank(std::size_t rank) {
    if (rank > kMaxRank) rank_overflow(rank);
  }
  [[noreturn]] static void rank_overflow(std::size_t rank);

  std::array<std::int64_t, kMaxRank> extents_{};
  std::uint8_t size_ = 0;
};

// "[2, 4, 8, 8]", formatted only when printed. Error checks pass to_string(shape) to require(),
// which evaluates its arguments whether or not the check fails; a std::string there allocated
// (past the small-string buffer) on every op of every step.
struct ShapeText {
  Shape shape;
  operator std::string() const;  // NOLINT: reads like the std::string it used to be
};
inline ShapeText to_string(const Shape& shape) { return ShapeText{shape}; }

}  // namespace fieldlab::nn

template <>
struct fmt::formatter<fieldlab::nn::ShapeText> {
  constexpr auto parse(format_parse_context& ctx) { return ctx.begin(); }
  template <typename Context>
  auto format(const fieldlab::nn::ShapeText& t, Context& ctx) const {
    auto out = ctx.out();
    *out++ = '[';
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
      if (i > 0) out = fmt::format_to(out, ", ");
      out = fmt::format_to(out, "{}", t.shape[i]);
    }
    *out++ = ']';
    return out;
  }
};
