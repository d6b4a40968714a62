#include "nn/models/model_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "nn/yaml_strict.hpp"

namespace fieldlab::nn {
namespace {

template <typename T>
bool parse_number(const std::string& text, T& out) {
  const char* end = text.data() + text.size();
  if constexpr (std::is_floating_point_v<T>) {
    // std::from_chars for double is in libstdc++ 11+; strtod keeps older toolchains working.
    // Plain decimal only: strtod would also take blanks, hex (0x2) and nan / inf words.
    if (text.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
    char* stop = nullptr;
    out = std::strtod(text.c_str(), &stop);
    return !text.empty() && stop == end;
  } else {
    const auto r = std::from_chars(text.data(), end, out);
    return !text.empty() && r.ec == std::errc() && r.ptr == end;
  }
}

}  // namespace

void ConfigKeys::integer(const std::string& name, int& value, int lo, int hi,
                         const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  k.help = fmt::format("{} ({}..{})", help, lo, hi);
  k.get = [&value] { return fmt::format("{}", value); };
  k.set = [owner = owner_, &value, lo, hi, name](const std::string& v) {
    int parsed = 0;
    require(parse_number(v, parsed) && parsed >= lo && parsed <= hi,
            "{}: {} must be an integer in [{}, {}], got '{}'", owner, name, lo, hi, v);
    value = parsed;
  };
  keys_.push_back(std::move(k));
}

void ConfigKeys::real(const std::string& name, double& value, double lo, double hi,
                      const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  k.help = fmt::format("{} ({}..{})", help, lo, hi);
  // fmt's shortest round-trip form: 1.425 stays "1.425", so YAML text reads back exactly.
  k.get = [&value] { return fmt::format("{}", value); };
  k.set = [owner = owner_, &value, lo, hi, name](const std::string& v) {
    double parsed = 0;
    require(parse_number(v, parsed) && std::isfinite(parsed) && parsed >= lo && parsed <= hi,
            "{}: {} must be a number in [{}, {}], got '{}'", owner, name, lo, hi, v);
    value = parsed;
  };
  keys_.push_back(std::move(k));
}

void ConfigKeys::text(const std::string& name, std::string& value, const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  k.help = help;
  k.get = [&value] { return value; };
  k.set = [&value](const std::string& v) { value = v; };
  keys_.push_back(std::move(k));
}

void ConfigKeys::flag(const std::string& name, bool& value, const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  k.help = help;
  k.flag = true;
  k.get = [&value] { return std::string(value ? "true" : "false"); };
  k.set = [owner = owner_, &value, name](const std::string& v) {
    if (v == "true" || v == "1")
      value = true;
    else if (v == "false" || v == "0")
      value = false;
    else
      fail(ErrorKind::usage, "{}: {} must be true or false, got '{}'", owner, name, v);
  };
  keys_.push_back(std::move(k));
}

void ConfigKeys::integers(const std::string& name, std::vector<int>& value, int lo, int hi,
                          const std::string& help) {
  ConfigKey k;
  k.name = k.option = name;
  k.help = fmt::format("{} (comma-separated, each {}..{})", help, lo, hi);
  k.get = [&value] { return fmt::format("{}", fmt::join(value, ",")); };
  k.set = [owner = owner_, &value, lo, hi, name](const std::string& v) {
    std::vector<int> parsed;
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t comma = std::min(v.find(',', start), v.size());
      int x = 0;
      require(parse_number(v.substr(start, comma - start), x) && x >= lo && x <= hi,
              "{}: {} must be comma-separated integers in [{}, {}], got '{}'", owner, name, lo, hi,
              v);
      parsed.push_back(x);
      start = comma + 1;
    }
    value = std::move(parsed);
  };
  keys_.push_back(std::move(k));
}

void fail_bad_choice(const std::string& owner, const std::string& name, const std::string& value,
                     const std::vector<std::string>& valid) {
  fail(ErrorKind::usage, "{}: unknown {} '{}' (valid: {})", owner, name, value,
       fmt::join(valid, ", "));
}

void ConfigKeys::zero_means_default(std::function<void()> reset) {
  ConfigKey& key = keys_.back();
  key.set = [set = std::move(key.set), reset = std::move(reset)](const std::string& v) {
    if (v == "0")
      reset();
    else
      set(v);
  };
}

std::vector<ConfigKey> ModelConfig::keys() {
  ConfigKeys k(owner());
  bind(k);
  std::vector<ConfigKey> written, legacy;
  for (auto& key : k.keys()) (key.legacy ? legacy : written).push_back(std::move(key));
  written.insert(written.end(), legacy.begin(), legacy.end());
  return written;
}

std::vector<ConfigKey> ModelConfig::keys() const {
  // The bound setters are never called through a const config (only get()).
  return const_cast<ModelConfig*>(this)->keys();
}

std::string ModelConfig::key_names() const {
  std::string s;
  for (const auto& k : keys())
    if (!k.legacy) s += (s.empty() ? "" : ", ") + k.name;
  return s;
}

bool ModelConfig::has(const std::string& key) const {
  for (const auto& k : keys())
    if (k.name == key || k.option == key) return true;
  return false;
}

void ModelConfig::set(const std::string& key, const std::string& value) {
  for (auto& k : keys())
    if (k.name == key || k.option == key) return k.set(value);
  fail(ErrorKind::usage, "{}: unknown configuration key '{}' (valid: {})", owner(), key,
       key_names());
}

std::string ModelConfig::get(const std::string& key) const {
  for (const auto& k : keys())
    if (k.name == key || k.option == key) return k.get();
  fail(ErrorKind::usage, "{}: unknown configuration key '{}' (valid: {})", owner(), key,
       key_names());
}

void ModelConfig::set_all(const std::map<std::string, std::string>& values) {
  auto bound = keys();
  std::size_t used = 0;
  for (auto& k : bound) {
    auto it = values.find(k.name);
    if (it == values.end() && k.option != k.name) it = values.find(k.option);
    if (it == values.end()) continue;
    k.set(it->second);
    ++used;
  }
  if (used != values.size())
    for (const auto& [key, value] : values)
      if (!has(key))
        fail(ErrorKind::usage, "{}: unknown configuration key '{}' (valid: {})", owner(), key,
             key_names());
  validate();
}

std::string ModelConfig::to_yaml() const {
  std::string out;
  for (const auto& k : keys())
    if (!k.legacy) out += k.name + ": " + k.get() + "\n";
  return out;
}

void ModelConfig::read_yaml(const std::string& yaml, const std::vector<std::string>& skip) {
  const YAML::Node root = load_yaml_strict(yaml, owner() + " configuration");
  std::map<std::string, std::string> values;
  if (root.IsNull()) return set_all(values);
  require(root.IsMap(), "{} configuration: expected 'key: value' lines", owner());
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    require(entry.second.IsScalar() || entry.second.IsNull(),
            "{} configuration: '{}' must be a single value", owner(), key);
    // "parameter: " (nothing after the colon) is YAML null: the empty string.
    values[key] = entry.second.IsNull() ? std::string() : entry.second.as<std::string>();
  }
  set_all(values);
}

void fail_config_type(const ModelConfig& config) {
  fail(ErrorKind::usage, "a {} configuration was given to a model of another family",
       config.owner());
}

}  // namespace fieldlab::nn
