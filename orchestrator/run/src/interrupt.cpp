#include "plumb/run/interrupt.hpp"

#include <csignal>

namespace plumb::run {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void remember_interrupt(int) {
  g_interrupted = 1;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = remember_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);  // a closed terminal or CI runner stops the run the same way
}

bool interrupt_requested() {
  return g_interrupted != 0;
}

}  // namespace plumb::run
