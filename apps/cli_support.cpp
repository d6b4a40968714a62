#include "apps/cli_support.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <utility>

#include "apps/config_file.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::apps {
namespace {

std::string& recorded_command_line() {
  static std::string line;
  return line;
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

// The file is applied from --config's own option callback: CLI11 runs it while it processes the
// options, before it checks required ones, so a required option (--out) can come from the file
// and every command that has --config applies it, whatever its callback. Options whose callbacks
// run later see their results already given and are not run twice.
void add_config_option(CLI::App* command) {
  command->add_option(
      "--config",
      [command](const CLI::results_t& results) {
        apply_config_file(command, results.back());
        return true;
      },
      "YAML file whose keys are this command's long option names");
}

void apply_config_file(CLI::App* command, const std::string& path) {
  for (const auto& [name, values] : read_config_file(path)) {
    CLI::Option* option = command->get_option_no_throw("--" + name);
    if (!option && command->get_option_no_throw(name) != nullptr)
      fail(ErrorKind::usage,
           "key '{}' in configuration file '{}' is a positional argument: give it on the "
           "command line",
           name, path);
    require(option != nullptr && name != "config" && name != "help",
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
  // --config is applied while CLI11 processes the options (add_config_option).
  command->callback(std::move(run));
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
