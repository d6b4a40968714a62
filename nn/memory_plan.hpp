#pragma once
// Static memory planning for a replayed step: given each buffer's size and the interval of
// logical time (Graph clock ticks) during which it is live, assign offsets in one slab so that
// buffers whose intervals intersect never overlap in memory. This is what static-graph frameworks
// do; the Graph replays the same step, so the plan from one step serves the next ones.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fieldlab::nn {

struct BufferLifetime {
  std::size_t size = 0;    // floats
  std::int64_t first = 0;  // clock of the allocation
  std::int64_t last = 0;   // clock of the last use (inclusive)
};

struct MemoryPlan {
  std::vector<std::size_t> offset;  // floats from the slab start, per buffer
  std::size_t total = 0;            // slab size in floats
  // Per buffer: the smallest index of a later buffer (allocated after this one's last use) that
  // shares some of its memory, or SIZE_MAX. A late read of buffer b is harmless as long as fewer
  // than first_reuser[b] buffers were handed out.
  std::vector<std::size_t> first_reuser;
};

// Greedy by size (largest first), each buffer at the lowest offset that does not collide with an
// already placed buffer live at the same time. Offsets are multiples of `align` floats.
MemoryPlan plan_memory(const std::vector<BufferLifetime>& buffers, std::size_t align = 16);

}  // namespace fieldlab::nn
