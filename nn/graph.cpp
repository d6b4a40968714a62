#include "nn/graph.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace fieldlab::nn {

Var::Var(Graph* g, int node) : graph(g), id(node) {
  if (graph) epoch_ = graph->epoch_;
  retain();
}

Var::Var(const Var& other)
    : graph(other.graph), id(other.id), epoch_(other.epoch_), counted_(other.counted_) {
  retain();
}

Var::Var(Var&& other) noexcept
    : graph(other.graph), id(other.id), epoch_(other.epoch_), counted_(other.counted_) {
  other.graph = nullptr;
  other.id = -1;
}

Var Var::weak() const {
  Var w;
  w.graph = graph;
  w.id = id;
  w.epoch_ = epoch_;
  w.counted_ = false;
  return w;
}

Var& Var::operator=(const Var& other) {
  if (this != &other) {
    other.retain();
    release();
    graph = other.graph;
    id = other.id;
    epoch_ = other.epoch_;
    counted_ = other.counted_;
  }
  return *this;
}

Var& Var::operator=(Var&& other) noexcept {
  if (this != &other) {
    release();
    graph = other.graph;
    id = other.id;
    epoch_ = other.epoch_;
    counted_ = other.counted_;
    other.graph = nullptr;
    other.id = -1;
  }
  return *this;
}

Var::~Var() { release(); }

// Handles from before the graph's last reset() (stale epoch) are not counted.
void Var::retain() const {
  if (counted_ && graph && id >= 0 && epoch_ == graph->epoch_ &&
      id < static_cast<int>(graph->nodes_.size()))
    ++graph->nodes_[id].handles;
}

void Var::release() const {
  if (counted_ && graph && id >= 0 && epoch_ == graph->epoch_ &&
      id < static_cast<int>(graph->nodes_.size()))
    if (--graph->nodes_[id].handles == 0) graph->node_unreferenced(id);
}

Graph::~Graph() {
  ++epoch_;  // the closures' Vars must not count down into nodes being destroyed
  nodes_.clear();
}

const Tensor& Var::value() const {
  require(valid(), "use of an empty Var");
  return graph->value(id);
}

const Shape& Var::shape() const {
  require(valid(), "use of an empty Var");
  return graph->shape(id);  // shapes live in the node, not in arena memory: no use logged
}

Tensor Var::grad() const {
  require(valid(), "use of an empty Var");
  return graph->grad(id);
}

const Tensor& Graph::value(int id) const {
  const Node& n = nodes_.at(id);
  if (n.block >= 0) arena_.use(static_cast<std::size_t>(n.block), clock_);
  return n.value;
}

// The arena request a node's value lives in. The plan's record of this node is tried first (one
// range check); a different answer means the step differs from the plan.
std::int64_t Graph::bind(const float* data) {
  if (data == nullptr) return -1;
  const std::size_t j = nodes_.size();
  if (arena_.has_plan() && j < node_plan_.size()) {
    const std::int64_t hint = node_plan_[j].block;
    if (hint >= 0 && static_cast<std::size_t>(hint) < arena_.requests()) {
      const float* begin = arena_.request_data(hint);
      if (data >= begin && data < begin + arena_.request_size(hint)) return hint;
    } else if (hint < 0 && !arena_.contains(data)) {
      return -1;
    }
    arena_.fall_back();
  }
  return arena_.contains(data) ? arena_.find(data) : -1;
}

Var Graph::push(Node node) {
  node.block = bind(node.value.data());
  const std::size_t j = nodes_.size();
  if (node.block >= 0) {
    RequestInfo& r = requests_[node.block];
    ++r.live_nodes;
    if (!node.holds_output && r.hold_node == static_cast<std::int64_t>(j)) {
      r.hold_node = -1;  // allocated for this node, which does not keep it
      r.hold_active = false;
    }
  }
  if (arena_.has_plan() && j < node_plan_.size() && node_plan_[j].holds_output != node.holds_output)
    arena_.fall_back();
  nodes_.push_back(std::move(node));
  free_dead_since(clock_);  // the op's scratch and, under NoGradGuard, its statistics
  ++clock_;
  return Var{this, static_cast<int>(j)};
}

void Graph::try_free(std::size_t k) {
  RequestInfo& r = requests_[k];
  if (r.freed || r.live_nodes > 0 || r.hold_active || r.grad_of >= 0) return;
  if (arena_.request_planned(k)) return;  // the plan reuses it
  r.freed = true;
  arena_.release(k);
}

void Graph::free_dead_since(std::int64_t clock) {
  if (arena_.planned()) return;
  for (std::size_t k = requests_.size(); k-- > 0 && requests_[k].first == clock;) try_free(k);
}

// No handle to node `id` is left, so nothing can read its value any more, unless it is a sink:
// the program may hold its Tensor until reset() (e.g. model(x).value()).
void Graph::node_unreferenced(int id) {
  const Node& n = nodes_[id];
  if (!n.consumed || n.block < 0) return;
  RequestInfo& r = requests_[n.block];
  if (r.live_nodes > 0 && --r.live_nodes == 0) try_free(static_cast<std::size_t>(n.block));
}

Var Graph::check(Var v) const {
  require(v.graph == this && v.id >= 0 && v.id < static_cast<int>(nodes_.size()),
          "a Var from another graph (or from before reset()) was passed to an op");
  return v;
}

Var Graph::constant(const Tensor& value) {
  Node n;
  n.value = value;
  return push(std::move(n));
}

Var Graph::variable(const Tensor& value) {
  Node n;
  n.value = value;
  n.requires_grad = recording_;
  return push(std::move(n));
}

Var Graph::parameter(ParameterStore& store, int index) {
  Node n;
  n.value = store.value(index);
  n.requires_grad = recording_;
  n.is_parameter = true;
  if (n.requires_grad) n.grad = store.grad(index);
  return push(std::move(n));
}

Var Graph::parameter(ParameterStore& store, const std::string& name) {
  return parameter(store, store.index(name));
}

Tensor Graph::allocate(const Shape& shape, bool held, std::int64_t grad_of) {
  const auto n = static_cast<std::size_t>(numel(shape));
  float* p = arena_.allocate(n, clock_, held);
  RequestInfo info;
  // Saved for a backward closure recorded after it, so live until backward() has passed the
  // node recorded next (an op's closure is that node or a later one).
  info.hold_node = held ? static_cast<std::int64_t>(nodes_.size()) : -1;
  info.hold_active = held;
  info.grad_of = grad_of;
  info.first = clock_;
  if (held) held_requests_.push_back(requests_.size());
  requests_.push_back(info);
  return Tensor::view(p, shape);
}

Tensor Graph::new_tensor(const Shape& shape) {
  return allocate(shape, recording_ && !in_backward_, -1);
}

Tensor Graph::new_temporary(const Shape& shape) { return allocate(shape, false, -1); }

Tensor Graph::new_zeros(const Shape& shape) {
  Tensor t = new_tensor(shape);
  t.fill(0.0f);
  return t;
}

Var Graph::record(Tensor value, std::initializer_list<Var> inputs, Backward backward,
                  OutputUse output_use) {
  return record(std::move(value), std::span<const Var>(inputs.begin(), inputs.size()),
                std::move(backward), output_use);
}

Var Graph::record(Tensor value, std::span<const Var> inputs, Backward backward,
                  OutputUse output_use) {
  Node n;
  n.value = std::move(value);
  for (const Var& v : inputs)
    if (v.valid()) {
      Node& in = nodes_[check(v).id];
      in.consumed = true;
      if (recording_ && in.requires_grad) n.requires_grad = true;
    }
  if (n.requires_grad) {
    n.backward = std::move(backward);
    n.holds_output = output_use == OutputUse::read_by_backward;
  }
  return push(std::move(n));
}

bool Graph::requires_grad(Var v) const { return v.valid() && nodes_[check(v).id].requires_grad; }

float* Graph::grad_target(Var v) {
  if (!requires_grad(v)) return nullptr;
  Node& n = nodes_[v.id];
  if (n.grad.empty()) {
    n.grad = allocate(n.value.shape(), false, v.id);
    n.grad.fill(0.0f);
    n.grad_block = static_cast<std::int64_t>(arena_.requests()) - 1;
  } else if (n.grad_block >= 0) {
    arena_.use(static_cast<std::size_t>(n.grad_block), clock_);
  }
  return n.grad.data();
}

void Graph::backward(Var loss) {
  check(loss);
  require(nodes_[loss.id].value.numel() == 1, "backward() needs a scalar loss, got shape {}",
          to_string(nodes_[loss.id].value.shape()));
  require(!backward_done_, "backward() was already run on this graph; reset() it first");
  require(nodes_[loss.id].requires_grad,
          "the loss does not depend on any parameter or variable (or was computed under "
          "NoGradGuard)");
  backward_done_ = true;
  if (arena_.has_plan() && plan_loss_ != loss.id) arena_.fall_back();
  plan_loss_ = loss.id;  // kept only if this step is (re)planned
  passed_at_.assign(nodes_.size(), -1);
  ++clock_;
  in_backward_ = true;
  grad_target(loss)[0] += 1.0f;
  // Holds end as backward passes their node; those made after the loss are never passed.
  std::size_t held = held_requests_.size();
  while (held > 0 && requests_[held_requests_[held - 1]].hold_node > loss.id) --held;
  for (int id = loss.id; id >= 0; --id) {
    Node& n = nodes_[id];
    ++clock_;
    passed_at_[id] = clock_;
    run_node_backward(n);
    for (; held > 0; --held) {
      const std::size_t k = held_requests_[held - 1];
      RequestInfo& r = requests_[k];
      if (r.hold_node < 0) continue;  // an output its op does not keep: no hold any more
      if (r.hold_node < id) break;
      r.hold_active = false;
      try_free(k);
    }
    free_dead_since(clock_);  // the closure's scratch
  }
  in_backward_ = false;
}

void Graph::run_node_backward(Node& n) {
  if (!n.backward) return;
  if (!n.grad.empty()) {
    if (n.grad_block >= 0) arena_.use(static_cast<std::size_t>(n.grad_block), clock_);
    // Copy the handle: the closure may append grads to other nodes but never resizes nodes_.
    const Tensor g = n.grad;
    n.backward(*this, g);
    // Inputs have smaller ids, so nothing reads this gradient again: it is dead (as PyTorch frees
    // it). Planned steps reuse its memory through the plan; a step without one frees it here.
    if (!n.is_parameter) {
      if (n.grad_block >= 0) {
        requests_[n.grad_block].released = true;
        arena_.release(static_cast<std::size_t>(n.grad_block));  // unplanned memory: freed now
      }
      n.grad = Tensor();
    }
  }
  // The closure will not run again: dropping it lets go of the inputs it kept (their values are
  // freed once no other handle is left, as PyTorch frees saved tensors).
  Backward done = std::move(n.backward);
  n.backward = nullptr;
}

// Completes the step's log for the planner: what stays alive to the end of the step.
void Graph::finish_step() {
  for (std::size_t k = 0; k < requests_.size(); ++k) {
    const RequestInfo& r = requests_[k];
    if (r.hold_node >= 0) {
      const bool passed = r.hold_node < static_cast<std::int64_t>(passed_at_.size()) &&
                          passed_at_[r.hold_node] >= 0;
      arena_.extend(k, passed ? passed_at_[r.hold_node] : Arena::kForever);
    }
    if (r.grad_of >= 0 && !r.released) arena_.extend(k, Arena::kForever);  // leaves' gradients
  }
  node_plan_.resize(nodes_.size());
  for (std::size_t j = 0; j < nodes_.size(); ++j) {
    const Node& n = nodes_[j];
    // Sinks (losses, outputs) may be read by the caller at any time before reset().
    if (n.block >= 0 && !n.consumed) arena_.extend(n.block, Arena::kForever);
    node_plan_[j] = NodePlan{n.block, n.holds_output};
  }
  if (!backward_done_) plan_loss_ = -1;
}

void Graph::reset() {
  if (arena_.replanning()) finish_step();
  ++epoch_;  // Vars of this step (in closures or in the program) stop counting
  nodes_.clear();
  requests_.clear();
  held_requests_.clear();
  passed_at_.clear();
  arena_.rewind();
  clock_ = 0;
  backward_done_ = false;
  in_backward_ = false;
}

float* Graph::scratch(int slot, std::size_t n) {
  if (slot >= static_cast<int>(scratch_.size())) scratch_.resize(slot + 1);
  auto& s = scratch_[slot];
  if (s.size() < n) s.resize(n);
  return s.data();
}

}  // namespace fieldlab::nn
