#include "nn/arena.hpp"

namespace fieldlab::nn {

float* Arena::allocate(std::size_t n) {
  if (n == 0) n = 1;
  if (cursor_ == blocks_.size()) blocks_.emplace_back();
  Block& b = blocks_[cursor_++];
  if (b.size < n) {
    // new float[n] without () leaves it uninitialised: every op writes its output fully.
    b.data.reset(new float[n]);
    b.size = n;
    ++allocations_;
  }
  return b.data.get();
}

std::size_t Arena::bytes_reserved() const {
  std::size_t total = 0;
  for (const auto& b : blocks_) total += b.size * sizeof(float);
  return total;
}

}  // namespace fieldlab::nn
