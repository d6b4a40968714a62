#include "apps/cli_support.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <utility>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::apps {
namespace {

std::string& recorded_command_line() {
  static std::string line;
  return line;
}

// Reads a flat YAML mapping {option-name: value | [values]} into (name, values) pairs.
std::vector<std::pair<std::string, std::vector<std::string>>> read_yaml_options(
    const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    fail(ErrorKind::usage, "cannot read configuration file '{}'", path);
  } catch (const YAML::Exception& e) {
    fail(ErrorKind::usage, "malformed YAML in '{}' at line {}: {}", path, e.mark.line + 1, e.msg);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> items;
  if (root.IsNull()) return items;
  require(root.IsMap(), "configuration file '{}' must be a mapping of option: value", path);
  for (const auto& entry : root) {
    const std::string name = entry.first.as<std::string>();
    std::vector<std::string> values;
    if (entry.second.IsSequence()) {
      for (const auto& v : entry.second) values.push_back(v.as<std::string>());
    } else if (entry.second.IsScalar()) {
      values.push_back(entry.second.as<std::string>());
    } else {
      fail(ErrorKind::usage, "configuration key '{}' in '{}' must hold a value or a list", name,
           path);
    }
    items.emplace_back(name, std::move(values));
  }
  return items;
}

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
  command->add_option("--config", "YAML file whose keys are this command's long option names");
}

void apply_config_file(CLI::App* command) {
  const CLI::Option* config = command->get_option_no_throw("--config");
  if (!config || config->count() == 0) return;
  const std::string path = config->as<std::string>();
  for (const auto& [name, values] : read_yaml_options(path)) {
    CLI::Option* option = command->get_option_no_throw("--" + name);
    require(option != nullptr && name != "config",
            "unknown key '{}' in configuration file '{}' (keys are the long option names of "
            "this command)",
            name, path);
    if (option->count() > 0) continue;  // the command line wins over the file
    try {
      for (const auto& v : values) option->add_result(v);
      option->run_callback();
    } catch (const CLI::Error& e) {
      fail(ErrorKind::usage, "configuration key '{}' in '{}': {}", name, path, e.what());
    }
  }
}

void set_command(CLI::App* command, std::function<void()> run) {
  command->callback([command, run = std::move(run)] {
    apply_config_file(command);
    run();
  });
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
  // Bounded here (and again in set_threads) so a huge count is refused before any output file
  // is created; CLI11 prefixes the message with "--threads: ".
  const CLI::Validator bounded(
      [](std::string& text) -> std::string {
        long long value = -1;
        try {
          std::size_t used = 0;
          value = std::stoll(text, &used);
          if (used != text.size()) value = -1;
        } catch (const std::exception&) {
        }
        const int limit = thread_limit();
        if (value >= 0 && value <= limit) return {};
        return fmt::format("must be between 0 (all cores) and {} on this machine, got {}", limit,
                           text);
      },
      "0..N");
  command->add_option("--threads", threads, "OpenMP threads (0: all cores)")->check(bounded);
}

void add_quiet_flag(CLI::App* command, bool& quiet) {
  command->add_flag("--quiet", quiet, "no progress output");
}

}  // namespace fieldlab::apps
