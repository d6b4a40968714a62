#include "apps/cli_support.hpp"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "core/error.hpp"

namespace fieldlab::apps {
namespace {

std::string& recorded_command_line() {
  static std::string line;
  return line;
}

// CLI11 reads configuration files through a formatter; this one reads a flat YAML mapping.
class YamlConfig : public CLI::Config {
 public:
  std::string to_config(const CLI::App* app, bool, bool, std::string) const override {
    return effective_config_yaml(app);
  }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    YAML::Node root;
    try {
      root = YAML::Load(input);
    } catch (const YAML::Exception& e) {
      throw CLI::ConversionError(fmt::format("malformed YAML configuration: {}", e.msg));
    }
    std::vector<CLI::ConfigItem> items;
    if (root.IsNull()) return items;
    if (!root.IsMap())
      throw CLI::ConversionError("YAML configuration must be a mapping of option: value");
    for (const auto& entry : root) {
      CLI::ConfigItem item;
      item.name = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      if (value.IsSequence()) {
        for (const auto& v : value) item.inputs.push_back(v.as<std::string>());
      } else if (value.IsScalar()) {
        item.inputs.push_back(value.as<std::string>());
      } else {
        throw CLI::ConversionError(
            fmt::format("configuration key '{}' must hold a value or a list", item.name));
      }
      items.push_back(std::move(item));
    }
    return items;
  }
};

}  // namespace

void record_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i) line += ' ';
    line += argv[i];
  }
  recorded_command_line() = line;
}

const std::string& command_line() { return recorded_command_line(); }

void add_config_option(CLI::App* command) {
  command->config_formatter(std::make_shared<YamlConfig>());
  command->set_config("--config", "", "YAML file whose keys are this command's long option names");
  command->allow_config_extras(CLI::config_extras_mode::error);
}

std::string effective_config_yaml(const CLI::App* command) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const CLI::Option* option : command->get_options()) {
    const std::string name = option->get_single_name();
    if (option->get_lnames().empty() || name == "help" || name == "config") continue;
    // Flags take no value (expected_max 0); everything else is shown as given or defaulted.
    const bool is_flag = option->get_expected_max() == 0;
    std::string value;
    if (option->count() > 0) {
      const auto& results = option->results();
      for (size_t i = 0; i < results.size(); ++i) value += (i ? "," : "") + results[i];
      if (is_flag) value = "true";
    } else {
      value = option->get_default_str();
      if (is_flag && value.empty()) value = "false";
      // Vector defaults print as "[a,b]"; store them as the comma list the option accepts.
      if (value.size() >= 2 && value.front() == '[' && value.back() == ']')
        value = value.substr(1, value.size() - 2);
    }
    out << YAML::Key << name << YAML::Value << value;
  }
  out << YAML::EndMap;
  return out.c_str();
}

void add_threads_option(CLI::App* command, int& threads) {
  command->add_option("--threads", threads, "OpenMP threads (0: all cores)")
      ->check(CLI::NonNegativeNumber);
}

void add_quiet_flag(CLI::App* command, bool& quiet) {
  command->add_flag("--quiet", quiet, "no progress output");
}

}  // namespace fieldlab::apps
