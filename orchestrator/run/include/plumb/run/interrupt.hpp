// SIGINT/SIGTERM to plumb: remember the request so the scheduler can stop children cleanly.
#pragma once

namespace plumb::run {

// Installs handlers for SIGINT and SIGTERM that only set a flag.
void install_interrupt_handlers();

// Whether SIGINT or SIGTERM arrived since the handlers were installed.
bool interrupt_requested();

}  // namespace plumb::run
