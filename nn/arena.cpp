#include "nn/arena.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <new>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

// Requests are rounded to whole 64-byte lines so that planned offsets keep SIMD/GEMM alignment.
constexpr std::size_t kAlign = 16;
std::size_t rounded(std::size_t n) {
  return (std::max<std::size_t>(n, 1) + kAlign - 1) / kAlign * kAlign;
}

constexpr std::size_t kMapBytes = std::size_t{1} << 20;  // map buffers from 1 MiB up

}  // namespace

Arena::Buffer::Buffer(std::size_t n) : bytes_(std::max<std::size_t>(n, 1) * sizeof(float)) {
  if (bytes_ >= kMapBytes) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<float*>(p);
    mapped_ = true;
  } else {
    data_ = new float[bytes_ / sizeof(float)];  // uninitialised: every op writes its output fully
  }
}

Arena::Buffer::~Buffer() {
  if (!data_) return;
  if (mapped_)
    munmap(data_, bytes_);
  else
    delete[] data_;
}

void Arena::log(float* data, std::size_t n, std::int64_t clock, bool held, bool planned,
                std::int64_t block) {
  Request r;
  r.size = n;
  r.first = r.last = clock;
  r.data = data;
  r.held = held;
  r.planned = planned;
  r.block = block;
  log_.push_back(r);
}

float* Arena::from_pool(std::size_t n, std::int64_t& block) {
  block = static_cast<std::int64_t>(pool_.size());
  pool_.push_back(Block{Buffer(n), n});
  pool_owner_.push_back(static_cast<std::int64_t>(log_.size()));
  float* p = pool_.back().data.get();
  pool_index_[p] = static_cast<std::size_t>(block);
  ++allocations_;
  return p;
}

float* Arena::allocate(std::size_t n, std::int64_t clock, bool held) {
  n = rounded(n);
  const std::size_t k = log_.size();
  if (planned()) {
    if (k < plan_life_.size() && n <= plan_life_[k].size && clock == plan_life_[k].first &&
        held == plan_held_[k]) {
      float* p = slab_.get() + plan_.offset[k];
      log(p, n, clock, held, true);
      ++planned_handed_;
      return p;
    }
    fall_back();  // the step differs from the plan from here on
  }
  std::int64_t block = -1;
  float* p = from_pool(n, block);
  log(p, n, clock, held, false, block);
  return p;
}

void Arena::release(std::size_t k) {
  Request& r = log_[k];
  if (r.planned || r.block < 0) return;
  Block& b = pool_[r.block];
  pool_index_.erase(b.data.get());
  b = Block{};
  r.block = -1;
}

void Arena::use(std::size_t k, std::int64_t clock) {
  Request& r = log_[k];
  if (clock <= r.last) return;
  r.last = clock;
  if (r.planned && clock > plan_life_[k].last) {
    // A use the plan did not foresee. Fine if nothing has been put over this buffer yet: then
    // nothing planned may be handed out any more this step (the step is re-planned at rewind).
    const bool overwritten = plan_.first_reuser[k] < planned_handed_;
    fall_back();  // either way this step is planned again (with the longer life) at rewind()
    if (overwritten)
      fail(ErrorKind::internal,
           "nn arena: a tensor (request {} of the step) was read at clock {} after its planned "
           "last use at {} and its memory was already reused (the step's structure changed)",
           k, clock, plan_life_[k].last);
  }
}

void Arena::fall_back() { fallen_back_ = true; }

bool Arena::contains(const float* p) const {
  if (slab_ && p >= slab_.get() && p < slab_.get() + slab_size_) return true;
  auto it = pool_index_.upper_bound(p);
  if (it == pool_index_.begin()) return false;
  --it;
  return p < it->first + pool_[it->second].size;
}

std::int64_t Arena::find(const float* p) const {
  if (slab_ && p >= slab_.get() && p < slab_.get() + slab_size_) {
    // Shared memory: the latest planned request containing p is the live one.
    for (std::size_t k = log_.size(); k-- > 0;)
      if (log_[k].planned && p >= log_[k].data && p < log_[k].data + log_[k].size)
        return static_cast<std::int64_t>(k);
    return -1;
  }
  auto it = pool_index_.upper_bound(p);
  if (it == pool_index_.begin()) return -1;
  --it;
  const std::size_t b = it->second;
  if (p >= it->first + pool_[b].size) return -1;
  const std::int64_t owner = pool_owner_[b];
  if (owner < 0 || owner >= static_cast<std::int64_t>(log_.size()) || log_[owner].data != it->first)
    return -1;
  return owner;
}

void Arena::rewind() {
  if (replanning() && !log_.empty()) {
    plan_life_.resize(log_.size());
    plan_held_.resize(log_.size());
    plan_requested_ = 0;
    for (std::size_t k = 0; k < log_.size(); ++k) {
      plan_life_[k] = {log_[k].size, log_[k].first, log_[k].last};
      plan_held_[k] = log_[k].held;
      plan_requested_ += log_[k].size;
    }
    plan_ = plan_memory(plan_life_, kAlign);
    if (plan_.total > slab_size_) {
      slab_ = Buffer();  // release the old slab before taking the bigger one
      slab_ = Buffer(plan_.total);
      slab_size_ = plan_.total;
      ++allocations_;
    }
    has_plan_ = true;
    ++replans_;
  }
  // What is left of the pool goes back to the system; a step that falls back again allocates.
  pool_.clear();
  pool_index_.clear();
  pool_owner_.clear();
  log_.clear();
  fallen_back_ = false;
  planned_handed_ = 0;
}

std::size_t Arena::bytes_reserved() const {
  std::size_t total = slab_size_;
  for (const auto& b : pool_) total += b.size;
  return total * sizeof(float);
}

}  // namespace fieldlab::nn
