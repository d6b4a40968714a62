#include "nn/graph.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace fieldlab::nn {

const Tensor& Var::value() const {
  require(valid(), "use of an empty Var");
  return graph->value(id);
}

const Shape& Var::shape() const { return value().shape(); }

Tensor Var::grad() const {
  require(valid(), "use of an empty Var");
  return graph->grad(id);
}

Var Graph::push(Node node) {
  nodes_.push_back(std::move(node));
  return Var{this, static_cast<int>(nodes_.size()) - 1};
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

Tensor Graph::new_tensor(const Shape& shape) {
  return Tensor::view(arena_.allocate(static_cast<std::size_t>(numel(shape))), shape);
}

Tensor Graph::new_zeros(const Shape& shape) {
  Tensor t = new_tensor(shape);
  t.fill(0.0f);
  return t;
}

Var Graph::record(Tensor value, std::initializer_list<Var> inputs, Backward backward) {
  return record(std::move(value), std::vector<Var>(inputs), std::move(backward));
}

Var Graph::record(Tensor value, const std::vector<Var>& inputs, Backward backward) {
  Node n;
  n.value = std::move(value);
  if (recording_) {
    for (const Var& v : inputs)
      if (v.valid() && nodes_[check(v).id].requires_grad) n.requires_grad = true;
  }
  if (n.requires_grad) n.backward = std::move(backward);
  return push(std::move(n));
}

bool Graph::requires_grad(Var v) const { return v.valid() && nodes_[check(v).id].requires_grad; }

float* Graph::grad_target(Var v) {
  if (!requires_grad(v)) return nullptr;
  Node& n = nodes_[v.id];
  if (n.grad.empty()) {
    auto it = free_grads_.find(static_cast<std::size_t>(n.value.numel()));
    if (it != free_grads_.end() && !it->second.empty()) {
      n.grad = Tensor::view(it->second.back(), n.value.shape());
      it->second.pop_back();
      n.grad.fill(0.0f);
    } else {
      n.grad = new_zeros(n.value.shape());
    }
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
  grad_target(loss)[0] += 1.0f;
  for (int id = loss.id; id >= 0; --id) {
    Node& n = nodes_[id];
    if (!n.backward || n.grad.empty()) continue;
    // Copy the handle: the closure may append grads to other nodes but never resizes nodes_.
    const Tensor g = n.grad;
    n.backward(*this, g);
    // Inputs have smaller ids, so nothing reads this gradient again: recycle it (as PyTorch frees
    // it). This roughly halves a training step's peak memory (activations + live gradients
    // instead of activations + all gradients).
    if (!n.is_parameter) {
      free_grads_[static_cast<std::size_t>(g.numel())].push_back(n.grad.data());
      n.grad = Tensor();
    }
  }
}

void Graph::reset() {
  nodes_.clear();
  arena_.rewind();
  for (auto& [size, buffers] : free_grads_) buffers.clear();  // keeps capacity: no allocation
  backward_done_ = false;
}

float* Graph::scratch(int slot, std::size_t n) {
  if (slot >= static_cast<int>(scratch_.size())) scratch_.resize(slot + 1);
  auto& s = scratch_[slot];
  if (s.size() < n) s.resize(n);
  return s.data();
}

}  // namespace fieldlab::nn
