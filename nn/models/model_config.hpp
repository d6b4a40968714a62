#pragma once
// A model's configuration as a typed struct that describes its own keys. Each model family keeps
// its hyper-parameters in a plain struct (SineNetConfig, UNetConfig, MlpConfig, HqkanConfig) and
// lists them once, in a bind() function, as keys with a name, a help text, a valid range or a set
// of choices. From that one list come
//   * YAML text (`key: value` lines, the checkpoint's `model_config`) and reading it back,
//   * the command line's model options (apps/ registers one option per key; nothing is mirrored),
//   * usage errors that name the key and its valid range, and for an unknown key the valid ones.
// Cross-key rules (e.g. "a parameter needs conditioning") live in the struct's validate().
//
// ModelConfig is the polymorphic handle a Model returns from config(); ConfigOf<C> implements it
// for a struct C with `void bind(ConfigKeys&)` and `void validate() const`.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fieldlab::nn {

[[noreturn]] void fail_bad_choice(const std::string& owner, const std::string& name,
                                  const std::string& value, const std::vector<std::string>& valid);

// One key bound to a value of a live config struct.
struct ConfigKey {
  std::string name;    // YAML key
  std::string option;  // command-line long option without dashes (usually the name)
  std::string help;    // one line, including the valid range or choices
  bool flag = false;   // a switch: "--tangled" sets it to true
  // Accepted when read (old checkpoints, old command lines) but neither written nor listed: a key
  // the model no longer has, whose only valid value is the one it implies.
  bool legacy = false;
  std::function<std::string()> get;
  std::function<void(const std::string&)> set;  // a usage error naming the key on a bad value
};

// The builder a config struct's bind() fills; `owner` ("sinenet") prefixes every error.
class ConfigKeys {
 public:
  explicit ConfigKeys(std::string owner) : owner_(std::move(owner)) {}

  void integer(const std::string& name, int& value, int lo, int hi, const std::string& help);
  void real(const std::string& name, double& value, double lo, double hi, const std::string& help);
  void text(const std::string& name, std::string& value, const std::string& help);
  void flag(const std::string& name, bool& value, const std::string& help);
  // A list of positive integers, written "4,4" ([] in YAML is avoided: values stay scalars).
  void integers(const std::string& name, std::vector<int>& value, int lo, int hi,
                const std::string& help);
  // An enumeration by name: choices are {text, value} pairs; the first text of a value is written.
  template <typename E>
  void choice(const std::string& name, E& value, std::vector<std::pair<std::string, E>> choices,
              const std::string& help);
  void custom(ConfigKey key) { keys_.push_back(std::move(key)); }
  // Makes the value "0" of the last key added mean "the model's default" (run `reset`), as the
  // command-line form of older versions wrote it for options left unset (waves, mult, blocks).
  void zero_means_default(std::function<void()> reset);

  const std::string& owner() const { return owner_; }
  std::vector<ConfigKey>& keys() { return keys_; }

 private:
  std::string owner_;
  std::vector<ConfigKey> keys_;
};

class ModelConfig {
 public:
  virtual ~ModelConfig() = default;
  virtual std::unique_ptr<ModelConfig> clone() const = 0;
  // The family name used in messages ("sinenet").
  virtual const std::string& owner() const = 0;
  // Cross-key checks; a usage error naming the keys involved.
  virtual void validate() const = 0;

  // The keys bound to this object (written ones first, in YAML order, then legacy ones).
  std::vector<ConfigKey> keys();
  std::vector<ConfigKey> keys() const;  // bound to this object too; only get() may be called
  // Sets one key (by YAML name or command-line option name); an unknown key is a usage error
  // naming the valid ones.
  void set(const std::string& key, const std::string& value);
  std::string get(const std::string& key) const;
  bool has(const std::string& key) const;
  // Applies several keys in the config's key order (not the map's), so that a key whose setter
  // derives defaults for later keys (SineNet's waves -> preset multiplier) comes first; then
  // validates.
  void set_all(const std::map<std::string, std::string>& values);
  // "key: value" lines for every written key.
  std::string to_yaml() const;
  // Reads a YAML mapping of scalars (keys in `skip` ignored, e.g. "model"), through set_all.
  void read_yaml(const std::string& yaml, const std::vector<std::string>& skip = {"model"});
  // "fields, history, ..." for errors.
  std::string key_names() const;

 protected:
  virtual void bind(ConfigKeys& keys) = 0;
};

// The ModelConfig of a struct C with `void bind(ConfigKeys&)` and `void validate() const`.
template <typename C>
class ConfigOf final : public ModelConfig {
 public:
  ConfigOf(std::string owner, C value) : owner_(std::move(owner)), value(std::move(value)) {}
  std::unique_ptr<ModelConfig> clone() const override {
    return std::make_unique<ConfigOf<C>>(owner_, value);
  }
  const std::string& owner() const override { return owner_; }
  void validate() const override { value.validate(); }

 private:
  std::string owner_;

 public:
  C value;

 protected:
  void bind(ConfigKeys& keys) override { value.bind(keys); }
};

// The struct inside a ModelConfig of a known family; a usage error if it is another one.
template <typename C>
const C& config_as(const ModelConfig& config);
[[noreturn]] void fail_config_type(const ModelConfig& config);

// ---- implementation of the templates ----

template <typename E>
void ConfigKeys::choice(const std::string& name, E& value,
                        std::vector<std::pair<std::string, E>> choices, const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  std::vector<std::string> names;
  for (const auto& c : choices) names.push_back(c.first);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  k.help = help + " (" + list + ")";
  k.get = [&value, choices] {
    for (const auto& c : choices)
      if (c.second == value) return c.first;
    return std::string("?");
  };
  // Setters outlive this builder: they capture what they need by value.
  k.set = [owner = owner_, &value, choices, names, name](const std::string& v) {
    for (const auto& c : choices)
      if (c.first == v) {
        value = c.second;
        return;
      }
    fail_bad_choice(owner, name, v, names);
  };
  keys_.push_back(std::move(k));
}

template <typename C>
const C& config_as(const ModelConfig& config) {
  if (const auto* typed = dynamic_cast<const ConfigOf<C>*>(&config)) return typed->value;
  fail_config_type(config);
}

}  // namespace fieldlab::nn
