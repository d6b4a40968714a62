#pragma once
// Replay arena for per-step tensors. A training step asks for the same sequence of buffer sizes
// every time, so after rewind() the k-th request gets the k-th block again: no allocation per step
// after the first. Blocks that turn out too small are replaced (the shapes changed).

#include <cstddef>
#include <memory>
#include <vector>

namespace fieldlab::nn {

class Arena {
 public:
  // Uninitialised storage for n floats, valid until the next rewind().
  float* allocate(std::size_t n);
  // Marks every block free again; the memory is kept for the next step.
  void rewind() { cursor_ = 0; }
  std::size_t bytes_reserved() const;
  std::size_t allocations() const { return allocations_; }  // heap allocations made so far

 private:
  struct Block {
    std::unique_ptr<float[]> data;
    std::size_t size = 0;
  };
  std::vector<Block> blocks_;
  std::size_t cursor_ = 0;
  std::size_t allocations_ = 0;
};

}  // namespace fieldlab::nn
