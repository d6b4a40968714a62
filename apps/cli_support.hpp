#pragma once
// Shared command-line plumbing: YAML configuration files whose keys are the long option names,
// the effective configuration of a command as YAML, and the recorded command line.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace fieldlab::apps {

void record_command_line(int argc, char** argv);
const std::string& command_line();

// Adds --config FILE.yaml to a subcommand: every key of the file is one of the subcommand's long
// option names (without dashes); unknown keys and malformed YAML are usage errors. Values given
// on the command line win over the file; required options may come from the file.
void add_config_option(CLI::App* command);
// Applies the configuration file `path` to the command's options not given on the command line
// (CLI11 2.1 reads config files only for the root command, so subcommands do it here; called by
// --config's option callback).
void apply_config_file(CLI::App* command, const std::string& path);
// Sets the command's action.
void set_command(CLI::App* command, std::function<void()> run);

// The effective value of every option of a command (given or default) as a YAML mapping.
std::string effective_config_yaml(const CLI::App* command);

// Option helpers that keep the cmd_* files short.
void add_threads_option(CLI::App* command, int& threads);
void add_quiet_flag(CLI::App* command, bool& quiet);

}  // namespace fieldlab::apps
