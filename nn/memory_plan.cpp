#include "nn/memory_plan.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace fieldlab::nn {

namespace {

// Places the buffers in `order`, each at the lowest offset free of the already placed buffers
// live at the same time.
MemoryPlan place(const std::vector<BufferLifetime>& buffers, const std::vector<std::size_t>& order,
                 std::size_t align) {
  const std::size_t n = buffers.size();
  auto rounded = [align](std::size_t s) {
    return (std::max<std::size_t>(s, 1) + align - 1) / align * align;
  };
  MemoryPlan plan;
  plan.offset.assign(n, 0);
  plan.first_reuser.assign(n, SIZE_MAX);
  std::vector<std::size_t> placed;
  placed.reserve(n);
  std::vector<std::pair<std::size_t, std::size_t>> busy;  // [begin, end) of live placed buffers
  for (std::size_t i : order) {
    const BufferLifetime& b = buffers[i];
    busy.clear();
    for (std::size_t j : placed) {
      const BufferLifetime& o = buffers[j];
      if (o.first <= b.last && b.first <= o.last)
        busy.emplace_back(plan.offset[j], plan.offset[j] + rounded(o.size));
    }
    std::sort(busy.begin(), busy.end());
    const std::size_t need = rounded(b.size);
    std::size_t at = 0;
    for (const auto& [begin, end] : busy) {
      if (begin >= at + need) break;  // the gap before this one fits
      at = std::max(at, end);
    }
    plan.offset[i] = at;
    plan.total = std::max(plan.total, at + need);
    placed.push_back(i);
  }
  return plan;
}

}  // namespace

MemoryPlan plan_memory(const std::vector<BufferLifetime>& buffers, std::size_t align) {
  const std::size_t n = buffers.size();
  auto rounded = [align](std::size_t s) {
    return (std::max<std::size_t>(s, 1) + align - 1) / align * align;
  };
  // Two classic greedy orders; the smaller slab wins. Largest first (ties: earlier first): big
  // buffers get the low offsets, small short-lived ones fill the gaps. Allocation order (first
  // fit in time, as a caching allocator would): better when long-lived buffers come first.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  MemoryPlan plan = place(buffers, order, align);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return buffers[a].size > buffers[b].size; });
  MemoryPlan by_size = place(buffers, order, align);
  if (by_size.total <= plan.total) plan = std::move(by_size);
  // Who reuses whose memory: for each pair sharing memory, the later one (starting after the
  // earlier one's last use) is a reuser of the earlier.
  for (std::size_t a = 0; a < n; ++a) {
    const std::size_t a0 = plan.offset[a], a1 = a0 + rounded(buffers[a].size);
    for (std::size_t b = a + 1; b < n; ++b) {
      if (buffers[b].first <= buffers[a].last) continue;
      const std::size_t b0 = plan.offset[b], b1 = b0 + rounded(buffers[b].size);
      if (b0 < a1 && a0 < b1) {
        plan.first_reuser[a] = b;
        break;  // buffers are in allocation order: the first hit is the smallest index
      }
    }
  }
  return plan;
}

}  // namespace fieldlab::nn
