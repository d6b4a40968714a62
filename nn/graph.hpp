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
// Tensors handed out by a Graph stay valid until its next reset(); copy what must outlive it.

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "nn/arena.hpp"
#include "nn/parameter_store.hpp"
#include "nn/tensor.hpp"

namespace fieldlab::nn {

class Graph;

// A handle to one node of a Graph. Cheap to copy; invalid when default-constructed (used for
// optional inputs such as a missing bias).
struct Var {
  Graph* graph = nullptr;
  int id = -1;

  bool valid() const { return graph != nullptr && id >= 0; }
  const Tensor& value() const;
  const Shape& shape() const;
  // The gradient accumulated by backward(); an empty tensor when none reached this node.
  Tensor grad() const;
};

class Graph {
 public:
  // Receives the gradient of the node's output and accumulates into its inputs' gradients.
  using Backward = std::function<void(Graph&, const Tensor& out_grad)>;

  Graph() = default;
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
  // Appends an op's output. The closure is kept only when recording and an input needs a
  // gradient; otherwise the node is a plain value.
  Var record(Tensor value, std::initializer_list<Var> inputs, Backward backward);
  Var record(Tensor value, const std::vector<Var>& inputs, Backward backward);

  bool recording() const { return recording_; }
  bool requires_grad(Var v) const;
  // The gradient buffer an op's backward accumulates into: zero-filled on first use, or nullptr
  // when `v` does not need a gradient (so the op can skip that work).
  float* grad_target(Var v);

  // Seeds d(loss)/d(loss) = 1 (loss must have one element) and runs the tape in reverse. The
  // gradient of an op's output is recycled (for a later gradient of the same size) once that op's
  // backward has run, so only leaves (variables, parameters) keep their gradients afterwards.
  void backward(Var loss);
  // Drops the tape; keeps the memory for the next step.
  void reset();

  // Persistent per-purpose scratch (im2col columns, per-thread partial sums): grows, never
  // shrinks, so it costs nothing after the first step.
  float* scratch(int slot, std::size_t n);

  const Tensor& value(int id) const { return nodes_.at(id).value; }
  Tensor grad(int id) const { return nodes_.at(id).grad; }
  std::size_t size() const { return nodes_.size(); }
  const Arena& arena() const { return arena_; }

 private:
  friend class NoGradGuard;
  struct Node {
    Tensor value;
    Tensor grad;
    bool requires_grad = false;
    bool is_parameter = false;
    Backward backward;
  };
  Var push(Node node);
  Var check(Var v) const;

  std::vector<Node> nodes_;
  Arena arena_;
  std::vector<std::vector<float>> scratch_;
  // Recycled gradient buffers by element count (arena storage, valid until reset()). The same
  // step makes the same requests and releases, so the arena still replays exactly.
  std::unordered_map<std::size_t, std::vector<float*>> free_grads_;
  bool recording_ = true;
  bool backward_done_ = false;
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
