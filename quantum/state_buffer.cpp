#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <new>

#include "quantum/state_vector.hpp"

namespace fieldlab::quantum {

// Transparent huge pages for big buffers: the TLB then covers the whole state (2 MiB pages)
// instead of a few MiB of it (4 KiB pages), which every kernel walking two or more far-apart
// streams pays for on each new page. On machines with THP in "madvise" mode (Debian's default)
// nothing else asks for them. Measured: H over every target at 22 qubits 15-20% faster
// (docs/quantum.md, "Huge pages").
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugeFrom = 2 * kHugePage;

namespace {
std::align_val_t alignment_for(std::size_t bytes, std::size_t align) {
  return std::align_val_t(bytes < kHugeFrom ? align : std::max(align, kHugePage));
}
}  // namespace

void* allocate_state_buffer(std::size_t bytes, std::size_t align) {
  void* p = ::operator new(bytes, alignment_for(bytes, align));
#ifdef MADV_HUGEPAGE
  if (bytes >= kHugeFrom) madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  return p;
}

void free_state_buffer(void* p, std::size_t bytes, std::size_t align) {
  ::operator delete(p, alignment_for(bytes, align));
}

}  // namespace fieldlab::quantum
