// fieldlab_nn_parity: runs one nn module forward and backward on weights and an input written by
// tests/python/test_torch_parity.py, for comparison with PyTorch on the same numbers.
//
//   fieldlab_nn_parity WEIGHTS.h5 CASE.h5 OUT.h5
//
// WEIGHTS.h5 is a fieldlab checkpoint (nn/checkpoint.hpp: /parameters/<name>, root attributes
// format, step, config, parameter_count). CASE.h5 holds the module description as root
// attributes (module = conv2d | bicubic | group_norm | layer_norm | attention | sinenet | unet,
// plus that module's settings), the input /x, the output weights /output_grad (the objective is
// sum(output * output_grad)) and, for a conditioned SineNet, /dt and /parameter. OUT.h5 receives
// /output, /input_grad and /parameter_grads/<name>.

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "nn/checkpoint.hpp"
#include "nn/layers/attention.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/models/unet.hpp"
#include "nn/ops.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;
using io::H5Handle;

namespace {

struct Case {
  H5Handle file;
  long long integer(const std::string& name, long long fallback) const {
    return io::has_attribute(file.id(), name) ? io::read_integer_attribute(file.id(), name)
                                              : fallback;
  }
  double real(const std::string& name, double fallback) const {
    return io::has_attribute(file.id(), name) ? io::read_double_attribute(file.id(), name)
                                              : fallback;
  }
  std::string text(const std::string& name, const std::string& fallback) const {
    return io::has_attribute(file.id(), name) ? io::read_string_attribute(file.id(), name)
                                              : fallback;
  }
  bool has(const std::string& name) const { return io::has_object(file.id(), name); }
  Tensor tensor(const std::string& name) const {
    H5Handle d = io::open_dataset(file.id(), name);
    const auto info = io::dataset_info(d.id());
    Tensor t(Shape(info.shape.begin(), info.shape.end()));
    io::read_block(d.id(), std::vector<hsize_t>(info.shape.size(), 0), info.shape, t.data());
    return t;
  }
};

void write_tensor(hid_t location, const std::string& name, const float* data, const Shape& shape) {
  const std::vector<double> values(data, data + numel(shape));
  io::write_dataset(location, name, values, std::vector<hsize_t>(shape.begin(), shape.end()),
                    H5T_IEEE_F32LE);
}

int run(const std::string& weights, const std::string& case_path, const std::string& out_path) {
  std::lock_guard lock(io::hdf5_mutex());
  Case c{io::open_file(case_path, false)};
  const std::string module = c.text("module", "");
  const Tensor x = c.tensor("x");
  const Tensor output_grad = c.tensor("output_grad");
  ParameterStore own;  // for the op-level modules
  ParameterStore* store = &own;
  std::unique_ptr<SineNet> sinenet;
  std::unique_ptr<UNet> unet;
  std::unique_ptr<MultiheadAttention> attention;
  const Padding padding = parse_padding(c.text("padding", "zeros"));
  std::function<Var(Graph&, Var)> forward;
  if (module == "conv2d") {
    const int cin = static_cast<int>(c.integer("cin", 0)), cout = c.integer("cout", 0),
              k = c.integer("kernel", 3);
    own.add("weight", {cout, cin, k, k});
    own.add("bias", {cout});
    forward = [&, padding](Graph& g, Var in) {
      return conv2d(in, g.parameter(own, "weight"), g.parameter(own, "bias"), padding);
    };
  } else if (module == "bicubic") {
    forward = [padding](Graph&, Var in) { return upsample_bicubic2x(in, padding); };
  } else if (module == "group_norm") {
    const int channels = c.integer("channels", 0), groups = c.integer("groups", 1);
    own.add("weight", {channels});
    own.add("bias", {channels});
    forward = [&, groups](Graph& g, Var in) {
      return group_norm(in, groups, g.parameter(own, "weight"), g.parameter(own, "bias"));
    };
  } else if (module == "layer_norm") {
    const int dim = c.integer("dim", 0);
    own.add("weight", {dim});
    own.add("bias", {dim});
    forward = [&](Graph& g, Var in) {
      return layer_norm(in, g.parameter(own, "weight"), g.parameter(own, "bias"));
    };
  } else if (module == "attention") {
    attention = std::make_unique<MultiheadAttention>(own, "", c.integer("embed_dim", 0),
                                                     c.integer("heads", 1));
    forward = [&](Graph& g, Var in) { return attention->forward(g, in); };
  } else if (module == "sinenet" || module == "unet") {
    const int fields = c.integer("fields", 1), history = c.integer("history", 1);
    if (module == "sinenet") {
      SineNetConfig cfg;
      cfg.fields = fields;
      cfg.history = history;
      cfg.waves = c.integer("waves", 1);
      cfg.mult = c.real("mult", 2.0);
      cfg.hidden = c.integer("hidden", 64);
      cfg.levels = c.integer("levels", 4);
      cfg.blocks = c.integer("blocks", 1);
      cfg.padding = padding;
      cfg.conditioning = parse_conditioning(c.text("conditioning", "none"));
      cfg.parameter_conditioning = c.integer("parameter_conditioning", 0) != 0;
      sinenet = std::make_unique<SineNet>(cfg);
      store = &sinenet->parameters();
    } else {
      UNetConfig cfg;
      cfg.fields = fields;
      cfg.history = history;
      cfg.mult = c.real("mult", 1.425);
      cfg.hidden = c.integer("hidden", 64);
      cfg.levels = c.integer("levels", 4);
      cfg.blocks = c.integer("blocks", 8);
      cfg.padding = padding;
      unet = std::make_unique<UNet>(cfg);
      store = &unet->parameters();
    }
    std::vector<float> dt, parameter;
    if (c.has("dt")) dt = c.tensor("dt").to_vector();
    if (c.has("parameter")) parameter = c.tensor("parameter").to_vector();
    forward = [&, dt, parameter](Graph& g, Var in) {
      if (unet) return unet->forward(g, in);
      return dt.empty() ? sinenet->forward(g, in) : sinenet->forward(g, in, dt, parameter);
    };
  } else {
    fail(ErrorKind::usage, "{}: unknown module '{}'", case_path, module);
  }
  store->allocate();
  if (store->size() > 0) load_checkpoint(weights, *store, nullptr);

  Graph g;
  Var in = g.variable(x);
  Var out = forward(g, in);
  require(out.shape() == output_grad.shape(), "output {} but output_grad {}",
          to_string(out.shape()), to_string(output_grad.shape()));
  g.backward(sum(mul(out, g.constant(output_grad))));

  H5Handle file = io::create_file(out_path);
  write_tensor(file.id(), "output", out.value().data(), out.shape());
  write_tensor(file.id(), "input_grad", in.grad().data(), x.shape());
  H5Handle grads = io::create_group(file.id(), "parameter_grads");
  for (const auto& p : store->parameters())
    write_tensor(grads.id(), p.name, store->grads().data() + p.offset, p.shape);
  io::write_attribute(file.id(), "parameter_count", static_cast<long long>(store->size()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: fieldlab_nn_parity WEIGHTS.h5 CASE.h5 OUT.h5\n");
    return 2;
  }
  try {
    return run(argv[1], argv[2], argv[3]);
  } catch (const Error& e) {
    std::fprintf(stderr, "fieldlab_nn_parity: %s\n", e.what());
    return e.exit_code();
  }
}
