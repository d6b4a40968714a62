// Training and inference steps allocate nothing after the warm-up step: this binary counts every
// heap allocation (malloc and friends, which operator new also goes through; operator new itself
// under a sanitizer, whose runtime owns malloc), and the count must not move across further
// steps. Arena::allocations() covers the arena's own mmap'ed memory.

#include <doctest/doctest.h>

#include <execinfo.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>
#include <vector>

#include "grad_check.hpp"
#include "nn/layers/transformer_decoder_layer.hpp"
#include "nn/layers/transformer_encoder_layer.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/models/unet.hpp"
#include "nn/ops.hpp"
#include "nn/optimizer.hpp"
#include "nn/train/train_loop.hpp"
#include "op_table.hpp"

namespace {
std::atomic<long long> g_allocations{0};
// Debugging aid: with FIELDLAB_ALLOC_TRACE set, the call stacks of the allocations counted
// inside allocations_after_warmup() are printed (resolve them with addr2line / backtrace_symbols).
std::atomic<bool> g_trace{false};
thread_local bool t_in_trace = false;
void trace_allocation() {
  if (!g_trace.load(std::memory_order_relaxed) || t_in_trace) return;
  t_in_trace = true;
  void* frames[24];
  const int n = backtrace(frames, 24);
  backtrace_symbols_fd(frames, n, 2);
  fprintf(stderr, "----\n");
  t_in_trace = false;
}
}  // namespace

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FIELDLAB_COUNT_OPERATOR_NEW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FIELDLAB_COUNT_OPERATOR_NEW 1
#endif
#endif

#ifdef FIELDLAB_COUNT_OPERATOR_NEW
// The sanitizer runtime intercepts malloc: count the C++ allocations only.
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
// All the forms that pair with these deletes (std::stable_sort's buffer uses the nothrow one).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#else
// Interposes the C allocator (an executable's definitions win over libc's for every library of
// the process: libstdc++'s operator new, libgomp, HDF5), forwarding to glibc's implementation.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
void* malloc(std::size_t n) {
  ++g_allocations;
  trace_allocation();
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  ++g_allocations;
  trace_allocation();
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  ++g_allocations;
  trace_allocation();
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
}
#endif

using namespace fieldlab::nn;

namespace {

// Allocations made by `step` over `steps` calls after `warmup` calls.
long long allocations_after_warmup(const std::function<void()>& step, int warmup, int steps) {
  for (int i = 0; i < warmup; ++i) step();
  const long long before = g_allocations.load();
  if (std::getenv("FIELDLAB_ALLOC_TRACE") != nullptr) {
    void* warm[1];
    backtrace(warm, 1);  // loads the unwinder (allocates) before tracing starts
    g_trace = true;
  }
  for (int i = 0; i < steps; ++i) step();
  g_trace = false;
  return g_allocations.load() - before;
}

SineNetConfig small_sinenet() {
  SineNetConfig cfg;
  cfg.fields = 2;
  cfg.history = 2;
  cfg.waves = 2;
  cfg.hidden = 4;
  cfg.mult = 1.5;
  cfg.levels = 2;
  cfg.padding = Padding::circular;
  return cfg;
}

// The trainer's step (nn/trainer.cpp) on fixed data: reset, zero_grad, views of the batch as
// constants, forward, scaled-L2 loss, backward, clipping, AdamW. `forward` runs the model.
struct TrainingStep {
  ParameterStore& store;
  std::function<Var(Graph&, Var)> forward;
  Graph graph;
  Tensor x, target;
  Optimizer optimizer;
  std::vector<float> losses;
  int step = 0;

  TrainingStep(ParameterStore& s, std::function<Var(Graph&, Var)> f, Shape in, Shape out)
      : store(s),
        forward(std::move(f)),
        x(testing::random_tensor(in, 5)),
        target(testing::random_tensor(out, 6)),
        optimizer(OptimizerConfig{OptimizerKind::adamw, 0.0f, 0.9f, 0.999f, 1e-8f, 1e-4f},
                  s.size()) {
    losses.reserve(64);
  }

  void operator()() {
    graph.reset();
    store.zero_grad();
    Var xv = graph.constant(Tensor::view(x.data(), x.shape()));
    Var tv = graph.constant(Tensor::view(target.data(), target.shape()));
    Var loss = scaled_l2_loss(forward(graph, xv), tv);
    losses.push_back(loss.value()[0]);
    graph.backward(loss);
    clip_grad_norm(store, 1.0);
    optimizer.step(store, 1e-3f);
    ++step;
  }
};

}  // namespace

TEST_CASE("the allocation counter sees allocations (so the zero checks below can fail)") {
  const long long before = g_allocations.load();
  auto* v = new std::vector<float>(100);
  CHECK(g_allocations.load() - before >= 2);
  delete v;
  // A backward closure holding a std::vector allocates when the op records: a step with one
  // such op is caught (this is the kind of regression the model tests below guard against).
  Graph g;
  Tensor x({4});
  std::vector<float> captured(8, 1.0f);  // not const: a closure member must move
  auto step = [&] {
    g.reset();
    Var a = g.variable(x);
    Var y = tanh(a);
    Var z = g.record(g.new_tensor({4}), {y}, [captured](Graph&, const Tensor&) {});
    Var loss = sum(z);
    g.backward(loss);
  };
  CHECK(allocations_after_warmup(step, 2, 3) == 3);
}

TEST_CASE("SineNet training steps allocate nothing after the warm-up step") {
  SineNet net(small_sinenet());
  net.initialise(21);
  TrainingStep step(net.parameters(), [&](Graph& g, Var x) { return net.forward(g, x); },
                    {2, 4, 8, 8}, {2, 2, 8, 8});
  CHECK(allocations_after_warmup(std::ref(step), 2, 4) == 0);
  CHECK(step.graph.arena().allocations() > 0);
  const std::size_t arena_allocations = step.graph.arena().allocations();
  step();
  CHECK(step.graph.arena().allocations() == arena_allocations);
  // The steps trained: the loss went down on the fixed batch.
  CHECK(step.losses.back() < step.losses.front());
}

TEST_CASE("SineNet inference (NoGradGuard) allocates nothing after the first step") {
  // Larger than the other cases: the elementwise ops take their OpenMP paths, and shape texts
  // such as "[16, 12, 32, 32]" outgrow std::string's small buffer (error messages built eagerly
  // allocated on every op).
  SineNetConfig cfg = small_sinenet();
  cfg.hidden = 12;
  SineNet net(cfg);
  net.initialise(3);
  const Tensor x = testing::random_tensor({16, 4, 32, 32}, 7);
  Graph g;
  Tensor first;
  float checksum = 0;
  auto step = [&] {
    g.reset();
    NoGradGuard no_grad(g);
    const Tensor& y =
        net.forward(g, g.constant(Tensor::view(const_cast<float*>(x.data()), x.shape()))).value();
    checksum = 0;
    for (std::int64_t i = 0; i < y.numel(); ++i) checksum += y[i];
  };
  step();
  const float expected = checksum;
  CHECK(allocations_after_warmup(step, 1, 4) == 0);
  CHECK(checksum == expected);  // the planned memory gives the same numbers bit for bit
}

TEST_CASE("U-Net training steps allocate nothing after the warm-up step") {
  UNetConfig cfg;
  cfg.fields = 2;
  cfg.history = 2;
  cfg.hidden = 4;
  cfg.mult = 2.0;
  cfg.levels = 2;
  cfg.blocks = 2;
  UNet net(cfg);
  net.initialise(8);
  TrainingStep step(net.parameters(), [&](Graph& g, Var x) { return net.forward(g, x); },
                    {2, 4, 8, 8}, {2, 2, 8, 8});
  CHECK(allocations_after_warmup(std::ref(step), 2, 4) == 0);
  CHECK(step.losses.back() < step.losses.front());
}

TEST_CASE("conditioned SineNet (adagn, dt and PDE parameter) steps allocate nothing") {
  for (Conditioning kind : {Conditioning::add, Conditioning::adagn}) {
    CAPTURE(to_string(kind));
    SineNetConfig cfg = small_sinenet();
    cfg.conditioning = kind;
    cfg.parameter_conditioning = true;
    SineNet net(cfg);
    net.initialise(21);
    const std::vector<float> dt{0.25f, 1.5f}, z{0.3f, -0.7f};
    TrainingStep step(net.parameters(), [&](Graph& g, Var x) { return net.forward(g, x, dt, z); },
                      {2, 4, 8, 8}, {2, 2, 8, 8});
    CHECK(allocations_after_warmup(std::ref(step), 2, 4) == 0);
    CHECK(step.losses.back() < step.losses.front());
  }
}

TEST_CASE("every op-table op allocates nothing per step after the warm-up step") {
  // Forward and backward of each case on a reused Graph. embedding's and cross_entropy's table
  // builds make their index vectors on every call (the caller's allocation, not the op's), so
  // cross_entropy gets its own step below with the targets made once.
  using namespace fieldlab::nn::op_table;
  for (const OpCase& c : all_cases()) {
    if (c.op == "embedding" || c.op == "cross_entropy") continue;
    CAPTURE(c.op);
    CAPTURE(c.variant);
    const std::vector<Tensor> inputs = make_inputs(c);
    Graph g;
    std::vector<Var> vs;
    vs.reserve(inputs.size());
    auto step = [&] {
      g.reset();
      vs.clear();
      for (const Tensor& t : inputs) vs.push_back(g.variable(t));
      g.backward(sum(c.build(g, vs)));
    };
    const long long allocations = allocations_after_warmup(step, 2, 3);
    CHECK(allocations == 0);
  }
  const Tensor logits = testing::random_tensor({160, 256}, 3);
  std::vector<std::int64_t> targets(160);
  for (std::int64_t r = 0; r < 160; ++r) targets[r] = r % 5 == 1 ? -100 : (r * 7) % 256;
  Graph g;
  auto step = [&] {
    g.reset();
    Var x = g.variable(logits);
    g.backward(cross_entropy(log_softmax(x), targets, -100, 0.1f));
  };
  CHECK(allocations_after_warmup(step, 2, 3) == 0);
}

TEST_CASE("transformer layer training steps (masks, dropout) allocate nothing after warm-up") {
  TransformerLayerConfig cfg;
  cfg.d_model = 8;
  cfg.heads = 2;
  cfg.dim_feedforward = 16;
  cfg.dropout = 0.1f;
  ParameterStore store;
  TransformerEncoderLayer enc(store, "encoder.", cfg);
  TransformerDecoderLayer dec(store, "decoder.", cfg);
  store.allocate();
  std::mt19937_64 init(2), dropout_rng(3);
  enc.initialise(init);
  dec.initialise(init);
  const std::vector<std::uint8_t> pad = {0, 0, 0, 0, 1, 0, 0, 0, 1, 1};  // B = 2, T = 5
  TrainingStep step(store,
                    [&](Graph& g, Var x) {
                      Var memory = enc.forward(g, x, AttentionMask{false, pad}, &dropout_rng);
                      return dec.forward(g, x, memory, AttentionMask{true, {}},
                                         AttentionMask{false, pad}, &dropout_rng);
                    },
                    {2, 5, 8}, {2, 5, 8});
  CHECK(allocations_after_warmup(std::ref(step), 2, 4) == 0);
  CHECK(step.losses.back() < step.losses.front());
}

TEST_CASE("steps through the generic TrainLoop allocate nothing after the warm-up step") {
  SineNet net(small_sinenet());
  net.initialise(21);
  const Tensor x = testing::random_tensor({2, 4, 8, 8}, 5);
  const Tensor target = testing::random_tensor({2, 2, 8, 8}, 6);
  Optimizer adamw(OptimizerConfig{OptimizerKind::adamw, 0.0f, 0.9f, 0.999f, 1e-8f, 1e-4f},
                  net.parameters().size());
  WarmupCosineSchedule schedule;
  schedule.warmup_steps = 2;
  schedule.total_steps = 8;
  TrainLoopOptions lo;
  lo.epochs = 8;  // FullBatch: one step per epoch, so every step also runs the epoch callback
  lo.clip = 1.0;
  lo.samples_per_step = 2;
  TrainLoop loop(net.parameters(), adamw, schedule, lo);
  FullBatch batches;
  Graph graph;
  const StepLoss step = [&](Graph& g) {
    Var xv = g.constant(Tensor::view(const_cast<float*>(x.data()), x.shape()));
    Var tv = g.constant(Tensor::view(const_cast<float*>(target.data()), target.shape()));
    return scaled_l2_loss(net.forward(g, xv), tv);
  };
  long long after_warmup = -1, at_end = -1;
  TrainLoopCallbacks cb;
  cb.after_step = [&](const StepRecord& r) {
    if (r.step == 3) after_warmup = g_allocations.load();
    if (r.step == 8) at_end = g_allocations.load();
  };
  cb.after_epoch = [](const TrainingPosition&, double) { return false; };
  const auto result = loop.run(batches, graph, step, {}, cb);
  REQUIRE(result.losses.size() == 8);
  CHECK(after_warmup > 0);
  CHECK(at_end == after_warmup);
  CHECK(result.losses.back() < result.losses.front());
}
