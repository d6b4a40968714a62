#pragma once
// A move-only callable stored in a fixed inline buffer: std::function without the heap.
//
// Every recorded op keeps a backward closure, and most capture several Vars, a Tensor or two and
// some sizes: more than std::function's small buffer (16 bytes in libstdc++), so each node cost a
// malloc per step. InplaceFunction holds the closure in `Capacity` bytes inside the object (the
// graph's node vector, whose capacity is kept across steps). A closure that does not fit is a
// compile error at the op that records it (the static_assert names the sizes), never a silent
// allocation: raise the capacity or capture less.

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace fieldlab::nn {

// Instantiated with the sizes, so a failing check shows them: ClosureFits<closure, capacity>.
template <std::size_t ClosureSize, std::size_t Capacity>
struct ClosureFits {
  static_assert(ClosureSize <= Capacity,
                "closure too large for InplaceFunction (ClosureFits<closure bytes, capacity>): "
                "capture less or raise the capacity");
  static constexpr bool value = true;
};

template <typename Signature, std::size_t Capacity>
class InplaceFunction;

template <typename R, typename... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
 public:
  static constexpr std::size_t kCapacity = Capacity;

  InplaceFunction() = default;
  InplaceFunction(std::nullptr_t) {}  // NOLINT: like std::function

  template <typename F>
  requires(!std::is_same_v<std::decay_t<F>, InplaceFunction> &&
           std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
      InplaceFunction(F&& f) {  // NOLINT: implicit, as std::function, so ops pass lambdas directly
    using Stored = std::decay_t<F>;
    static_assert(ClosureFits<sizeof(Stored), Capacity>::value);
    static_assert(alignof(Stored) <= alignof(std::max_align_t), "over-aligned closure");
    static_assert(std::is_nothrow_move_constructible_v<Stored>,
                  "InplaceFunction needs a closure that moves without throwing");
    ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(f));
    invoke_ = [](void* self, Args... args) -> R {
      return (*static_cast<Stored*>(self))(std::forward<Args>(args)...);
    };
    manage_ = [](void* dst, void* src) noexcept {
      if (dst != nullptr) ::new (dst) Stored(std::move(*static_cast<Stored*>(src)));
      static_cast<Stored*>(src)->~Stored();
    };
  }

  InplaceFunction(InplaceFunction&& other) noexcept { take(other); }
  InplaceFunction& operator=(InplaceFunction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InplaceFunction(const InplaceFunction&) = delete;
  InplaceFunction& operator=(const InplaceFunction&) = delete;
  ~InplaceFunction() { reset(); }

  explicit operator bool() const { return invoke_ != nullptr; }
  R operator()(Args... args) const {
    return invoke_(const_cast<unsigned char*>(storage_), std::forward<Args>(args)...);
  }

 private:
  void reset() noexcept {
    if (manage_ != nullptr) manage_(nullptr, storage_);
    invoke_ = nullptr;
    manage_ = nullptr;
  }
  // Moves other's closure into this (empty) object and leaves other empty.
  void take(InplaceFunction& other) noexcept {
    if (other.manage_ == nullptr) return;
    other.manage_(storage_, other.storage_);
    invoke_ = other.invoke_;
    manage_ = other.manage_;
    other.invoke_ = nullptr;
    other.manage_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char storage_[Capacity];
  R (*invoke_)(void*, Args...) = nullptr;
  void (*manage_)(void* dst, void* src) noexcept = nullptr;
};

}  // namespace fieldlab::nn
