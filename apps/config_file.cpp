#include "apps/config_file.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/error.hpp"
#include "nn/yaml_strict.hpp"

namespace fieldlab::apps {

ConfigItems parse_config_yaml(const std::string& text, const std::string& path) {
  const std::string source = fmt::format("configuration file '{}'", path);
  const YAML::Node root = nn::load_yaml_strict(text, source);
  ConfigItems items;
  if (root.IsNull()) return items;
  require(root.IsMap(), "{} must be a mapping of option: value", source);
  for (const auto& entry : root) {
    const std::string name = entry.first.as<std::string>();
    std::vector<std::string> values;
    if (entry.second.IsSequence()) {
      for (const auto& v : entry.second) {
        require(v.IsScalar(),
                "configuration key '{}' in '{}' must hold a value or a list of values", name, path);
        values.push_back(v.as<std::string>());
      }
    } else if (entry.second.IsScalar()) {
      values.push_back(entry.second.as<std::string>());
    } else {
      // "key:" with nothing after it is YAML null: say so rather than apply an empty value.
      fail(ErrorKind::usage, "configuration key '{}' in '{}' must hold a value or a list", name,
           path);
    }
    items.emplace_back(name, std::move(values));
  }
  return items;
}

ConfigItems read_config_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    fail(ErrorKind::usage, "cannot read configuration file '{}'", path);
  require(std::filesystem::is_regular_file(status), "configuration file '{}' is not a regular file",
          path);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::usage, "cannot read configuration file '{}'", path);
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    require(text.size() <= kMaxConfigFileBytes,
            "configuration file '{}' is larger than {} KiB: not a configuration file?", path,
            kMaxConfigFileBytes / 1024);
  }
  if (in.bad()) fail(ErrorKind::usage, "cannot read configuration file '{}'", path);
  return parse_config_yaml(text, path);
}

}  // namespace fieldlab::apps
