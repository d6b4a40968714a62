#pragma once
// Per-step tensor memory with a liveness plan.
//
// A training (or inference) step makes the same sequence of requests every time. The arena logs
// each request of a step: its size, the Graph clock at which it was made and the last clock at
// which it was used (the Graph reports uses; see graph.hpp). At rewind() a step that ran without
// a valid plan is turned into a MemoryPlan (nn/memory_plan.hpp): buffers whose lifetimes do not
// intersect share memory in one slab. The next steps hand out the k-th request at the planned
// offset: no allocation, and a peak that is the plan's slab instead of the sum of all buffers.
//
// Safety: a request that does not match the plan (bigger, made at another clock, or in another
// grad mode) switches the rest of the step to fresh, non-shared memory (the fallback pool, a replay
// list of blocks like the pre-plan arena) and the step is planned again at rewind(). A use after
// the planned last use is harmless while no buffer sharing that memory has been handed out yet
// (the rest of the step then falls back too); otherwise the value is already overwritten and
// use() throws an internal error instead of letting wrong numbers through.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "nn/memory_plan.hpp"

namespace fieldlab::nn {

class Arena {
 public:
  static constexpr std::int64_t kForever = INT64_MAX / 4;

  // Uninitialised storage for n floats for a request made at `clock`; `held` is part of the
  // request's identity (the Graph holds buffers allocated while recording until backward).
  float* allocate(std::size_t n, std::int64_t clock, bool held);
  // Request k is used at `clock` (extends its lifetime; checks it against the plan).
  void use(std::size_t k, std::int64_t clock);
  // Extends request k's lifetime to `last` without the plan check (the Graph's end-of-step
  // bookkeeping: holds, sinks, leaves' gradients).
  void extend(std::size_t k, std::int64_t last) { log_[k].last = std::max(log_[k].last, last); }
  // Frees request k's memory now when it is fallback-pool memory (a step without a plan); planned
  // memory is reused through the plan instead. The caller knows nothing reads it any more.
  void release(std::size_t k);
  // From now until rewind(), hand out fresh memory only.
  void fall_back();
  // The request whose memory holds `p` (the latest one when several share it), or -1 when `p` is
  // not arena memory.
  std::int64_t find(const float* p) const;
  bool contains(const float* p) const;

  std::size_t requests() const { return log_.size(); }
  std::size_t request_size(std::size_t k) const { return log_[k].size; }
  const float* request_data(std::size_t k) const { return log_[k].data; }
  bool request_planned(std::size_t k) const { return log_[k].planned; }
  bool planned() const { return has_plan_ && !fallen_back_; }  // handing out planned memory now
  bool has_plan() const { return has_plan_; }
  // True when the step being logged will be (re)planned at rewind().
  bool replanning() const { return !has_plan_ || fallen_back_; }

  // Ends the step: plans it if needed, marks all memory free again.
  void rewind();

  std::size_t bytes_reserved() const;  // slab + fallback pool
  std::size_t plan_bytes() const { return has_plan_ ? plan_.total * sizeof(float) : 0; }
  // Sum of the sizes the planned step requested (what the arena held before plans existed).
  std::size_t requested_bytes() const { return plan_requested_ * sizeof(float); }
  std::size_t allocations() const { return allocations_; }  // heap allocations made so far
  std::size_t replans() const { return replans_; }

 private:
  struct Request {
    std::size_t size = 0;  // floats, rounded up to kAlign
    std::int64_t first = 0, last = 0;
    float* data = nullptr;
    bool held = false;
    bool planned = false;
    std::int64_t block = -1;  // pool block, for unplanned requests
  };
  // Uninitialised float storage. Large buffers are mapped directly (mmap), so that freeing them
  // (the first step's pool once the plan exists, a slab that grows) gives the pages back to the
  // system at once; malloc would keep many of them in its heap and they would stay resident.
  class Buffer {
   public:
    Buffer() = default;
    explicit Buffer(std::size_t n);
    Buffer(Buffer&& other) noexcept { swap(other); }
    Buffer& operator=(Buffer&& other) noexcept {
      Buffer(std::move(other)).swap(*this);
      return *this;
    }
    ~Buffer();
    float* get() const { return data_; }
    explicit operator bool() const { return data_ != nullptr; }

   private:
    void swap(Buffer& o) noexcept {
      std::swap(data_, o.data_);
      std::swap(bytes_, o.bytes_);
      std::swap(mapped_, o.mapped_);
    }
    float* data_ = nullptr;
    std::size_t bytes_ = 0;
    bool mapped_ = false;
  };
  struct Block {
    Buffer data;
    std::size_t size = 0;
  };
  float* from_pool(std::size_t n, std::int64_t& block);
  void log(float* data, std::size_t n, std::int64_t clock, bool held, bool planned,
           std::int64_t block = -1);

  std::vector<Request> log_;  // this step's requests (capacity kept across steps)
  // The plan of the last replanned step.
  MemoryPlan plan_;
  std::vector<BufferLifetime> plan_life_;
  std::vector<bool> plan_held_;
  std::size_t plan_requested_ = 0;
  Buffer slab_;
  std::size_t slab_size_ = 0;
  bool has_plan_ = false;
  bool fallen_back_ = false;
  std::size_t planned_handed_ = 0;  // planned requests handed out this step
  // Fallback pool: one block per unplanned request of the step, freed when the Graph reports it
  // dead (release()) or at rewind().
  std::vector<Block> pool_;
  std::map<const float*, std::size_t> pool_index_;  // live block start -> block
  std::vector<std::int64_t> pool_owner_;            // block -> request holding it
  std::size_t allocations_ = 0;
  std::size_t replans_ = 0;
};

}  // namespace fieldlab::nn
