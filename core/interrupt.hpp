#pragma once
// Cooperative interruption: the first Ctrl-C (SIGINT) or SIGTERM sets a flag that long loops poll
// between units of work, so they can stop with everything finished so far saved. A second signal
// terminates at once (the crash-safe file formats still hold every finished unit).

namespace fieldlab {

void install_interrupt_handler();
bool interrupt_requested();
void clear_interrupt();  // for tests

}  // namespace fieldlab
