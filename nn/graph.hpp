#pragma once
// Reverse-mode automatic differentiation over a recorded graph (a tape).
//
// A Graph owns the values and gradients of one computation (typically one training step): every
// op appends a node holding its output and a closure that pushes the node's gradient to its
// inputs. backward() walks the tape once in reverse. Parameter nodes view the ParameterStore, so
// their gradients accumulate straight into the store's single gradient buffer (across steps too,
// until ParameterStore::zero_grad). reset() drops the tape and rewinds the arena: the next step
// reuses the same memory, so a training loop allocates nothing per step after the first.
//
// Memory planning (nn/arena.hpp). The graph keeps a logical clock (one tick per recorded node and
// per node visited by backward) and tells the arena when each buffer is used: a node's value
// whenever Var::value() is called, a gradient whenever an op accumulates into it or its node's
// backward runs. From the first step's log the arena plans the next steps so that dead buffers'
// memory is reused, as PyTorch frees a tensor when its last reference goes. The first step
// (nothing planned yet) frees a consumed node's value as soon as no Var refers to it (Vars are
// counted handles; backward closures hold theirs until they have run). Which Tensors stay valid,
// and until when:
//   - a node's value (Var::value()): until reset() if nothing recorded it as an input (a sink:
//     losses, model outputs); otherwise while a Var to it exists and the program keeps reading
//     it through Var::value() in the same places as in the step the plan was made from. A raw
//     Tensor (or pointer) taken from value() is only good until the next node is recorded or
//     backward() is called; read it again through the Var afterwards. A read the plan did not
//     foresee is served correctly when its memory is still intact (the rest of the step then uses
//     fresh memory and is re-planned) and throws an internal error when it was already reused;
//   - other tensors from new_tensor()/new_zeros() (an op's saved statistics, masks, scratch):
//     under NoGradGuard only until the next node is recorded; when recording, until backward()
//     has passed the node recorded next after them (so an op's backward closure may capture
//     them), or until reset() when backward() does not run. An op whose closure reads its own
//     output tensor passes OutputUse::read_by_backward (the default) to record();
//   - gradients: a leaf's (variables) until reset(), parameters' in the ParameterStore; an op
//     output's gradient only during backward() (Var::grad() is empty afterwards).
// Copy what must outlive reset().

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/arena.hpp"
#include "nn/inplace_function.hpp"
#include "nn/parameter_store.hpp"
#include "nn/tensor.hpp"

namespace fieldlab::nn {

class Graph;

// A handle to one node of a Graph. Cheap to copy; invalid when default-constructed (used for
// optional inputs such as a missing bias). Handles are counted, as PyTorch counts references to a
// tensor: in a step without a memory plan (the first), a consumed node's value is freed as soon as
// no handle to it is left (program variables and backward closures hold handles), which keeps the
// first step's peak near the planned steps'. A Var must not outlive its Graph.
struct Var {
  Graph* graph = nullptr;
  int id = -1;

  Var() = default;
  Var(Graph* g, int node);
  Var(const Var& other);
  Var(Var&& other) noexcept;
  Var& operator=(const Var& other);
  Var& operator=(Var&& other) noexcept;
  ~Var();

  bool valid() const { return graph != nullptr && id >= 0; }
  // The same node through a handle that does not count: for backward closures that only
  // accumulate into the node's gradient (grad_target) and never read its value, so that they do
  // not keep the value alive (PyTorch's add/cat/pooling save nothing either).
  Var weak() const;
  const Tensor& value() const;
  const Shape& shape() const;
  // The gradient accumulated by backward(); an empty tensor when none reached this node.
  Tensor grad() const;

 private:
  void retain() const;
  void release() const;
  std::uint64_t epoch_ = 0;  // the graph's step when the handle was made (stale after reset())
  bool counted_ = true;
};

// Whether an op's backward closure reads the op's own output tensor (captured by value, e.g. tanh's
// 1 - y^2). When it does not, the output's memory is free once its last reader has run.
enum class OutputUse { read_by_backward, not_read };

class Graph {
 public:
  // Receives the gradient of the node's output and accumulates into its inputs' gradients. Held
  // inline in the node (no heap per op and step); an op whose closure outgrows kBackwardCapacity
  // fails to compile (nn/inplace_function.hpp).
  static constexpr std::size_t kBackwardCapacity = 320;
  using Backward = InplaceFunction<void(Graph&, const Tensor& out_grad), kBackwardCapacity>;

  Graph() = default;
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // Leaves. A constant never receives a gradient; a variable does (input sensitivities).
  Var constant(const Tensor& value);
  Var variable(const Tensor& value);
  Var parameter(ParameterStore& store, int index);
  Var parameter(ParameterStore& store, const std::string& name);

  // Ops call these: arena storage for outputs and saved statistics.
  Tensor new_tensor(const Shape& shape);  // uninitialised
  Tensor new_zeros(const Shape& shape);
  // Working memory an op needs only until it returns (valid until the next node is recorded),
  // never captured by a backward closure: it is not kept for backward().
  Tensor new_temporary(const Shape& shape);
  // Appends an op's output. The closure is kept only when recording and an input needs a
  // gradient; otherwise the node is a plain value.
  Var record(Tensor value, std::initializer_list<Var> inputs, Backward backward,
             OutputUse output_use = OutputUse::read_by_backward);
  Var record(Tensor value, std::span<const Var> inputs, Backward backward,
             OutputUse output_use = OutputUse::read_by_backward);

  bool recording() const { return recording_; }
  bool requires_grad(Var v) const;
  // The gradient buffer an op's backward accumulates into: zero-filled on first use, or nullptr
  // when `v` does not need a gradient (so the op can skip that work).
  float* grad_target(Var v);

  // Seeds d(loss)/d(loss) = 1 (loss must have one element) and runs the tape in reverse. The
  // gradient of an op's output is dead (its memory reusable) once that op's backward has run, so
  // only leaves (variables, parameters) keep their gradients afterwards.
  void backward(Var loss);
  // Drops the tape; keeps the memory for the next step (plans it after a step that had no plan
  // or did not match it).
  void reset();

  // Persistent per-purpose scratch (im2col columns, per-thread partial sums): grows, never
  // shrinks, so it costs nothing after the first step.
  float* scratch(int slot, std::size_t n);

  const Tensor& value(int id) const;  // a use of the value at the current clock
  const Shape& shape(int id) const { return nodes_.at(id).value.shape(); }
  Tensor grad(int id) const { return nodes_.at(id).grad; }
  std::size_t size() const { return nodes_.size(); }
  const Arena& arena() const { return arena_; }

 private:
  friend class NoGradGuard;
  friend struct Var;
  struct Node {
    Tensor value;
    Tensor grad;
    bool requires_grad = false;
    bool is_parameter = false;
    bool consumed = false;      // recorded as some op's input
    bool holds_output = false;  // the backward closure reads `value` itself
    std::int64_t block = -1;    // arena request holding `value`, or -1 (memory owned elsewhere)
    std::int64_t grad_block = -1;
    int handles = 0;  // live Vars (including those captured by backward closures)
    Backward backward;
  };
  // Per arena request of this step: what keeps it alive besides reads.
  struct RequestInfo {
    std::int64_t hold_node = -1;  // live until backward() passes this node (-1: no hold)
    std::int64_t grad_of = -1;    // a gradient buffer of this node
    bool released = false;        // ... whose backward has run
    std::int64_t first = 0;       // clock of the allocation
    int live_nodes = 0;           // nodes whose value it is that may still be read
    bool hold_active = false;     // hold_node not yet passed by backward()
    bool freed = false;
  };
  // What the plan assumed about node k (a step that differs re-plans).
  struct NodePlan {
    std::int64_t block = -1;
    bool holds_output = false;
  };
  Var push(Node node);
  Var check(Var v) const;
  Tensor allocate(const Shape& shape, bool held, std::int64_t grad_of);
  std::int64_t bind(const float* data);
  void finish_step();
  // Step without a plan: frees request k's memory once nothing can read it any more.
  void try_free(std::size_t k);
  void free_dead_since(std::int64_t clock);  // unbound, unheld requests made at `clock`
  void node_unreferenced(int id);
  void run_node_backward(Node& n);
  std::uint64_t epoch_ = 1;

  std::vector<Node> nodes_;
  mutable Arena arena_;  // value() logs uses
  std::vector<RequestInfo> requests_;
  std::vector<std::int64_t> passed_at_;  // per node: clock at which backward() passed it, or -1
  std::vector<NodePlan> node_plan_;
  std::vector<std::size_t> held_requests_;  // requests with a hold, in allocation order
  std::int64_t plan_loss_ = -1;
  std::int64_t clock_ = 0;
  std::vector<std::vector<float>> scratch_;
  bool recording_ = true;
  bool backward_done_ = false;
  bool in_backward_ = false;  // closures running: what they allocate is not saved for later
};

// Inference mode: while alive, ops on `graph` record no backward closures and keep no gradients.
class NoGradGuard {
 public:
  explicit NoGradGuard(Graph& graph) : graph_(graph), previous_(graph.recording_) {
    graph_.recording_ = false;
  }
  ~NoGradGuard() { graph_.recording_ = previous_; }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  Graph& graph_;
  bool previous_;
};

// Scratch slots used by the ops (one per purpose, so two ops never share a live buffer).
enum ScratchSlot : int { kScratchColumns = 0, kScratchColumnsGrad = 1, kScratchPartial = 2 };

}  // namespace fieldlab::nn
