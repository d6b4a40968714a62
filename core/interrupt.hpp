#pragma once
// DEPRECATED, kept only so that nn/trainer.cpp compiles until it takes a StopToken from its
// TrainingSetup (issue 11, h-train): a process-wide flag set by a SIGINT/SIGTERM handler that
// install_interrupt_handler() installs and never restores. Nothing else may use it: library code
// polls a StopToken (core/stop_token.hpp) and the CLI opens an apps::InterruptScope
// (apps/interrupt.hpp), which installs the handler for one command and restores the previous one.
// Delete this file, interrupt.cpp and its line in core/CMakeLists.txt once the trainer is switched.

namespace fieldlab {

void install_interrupt_handler();
bool interrupt_requested();
void clear_interrupt();  // for tests

}  // namespace fieldlab
