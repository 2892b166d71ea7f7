// listener-accumulation: a listener is registered every iteration and never removed. Everything stays
// reachable from a global registry, so leak checkers are silent and only growth finds it.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "plumb/harness/defects.hpp"

namespace plumb::harness {

namespace {

// Per-listener state, as a UI or metrics subscriber would keep.
struct ListenerState {
  std::uint64_t total_matched = 0;
  std::array<std::uint64_t, 24> recent{};
};

std::vector<std::function<void(std::uint64_t)>>& scan_listeners() {
  // Never destroyed: the registry lives as long as the process, like a real event bus.
  static auto* listeners = new std::vector<std::function<void(std::uint64_t)>>();
  return *listeners;
}

}  // namespace

__attribute__((noinline)) void plant_listener_accumulation() {
  auto state = std::make_shared<ListenerState>();
  scan_listeners().emplace_back([state](std::uint64_t matched) {
    state->total_matched += matched;
    state->recent[state->total_matched % state->recent.size()] = matched;
  });
}

std::size_t notify_scan_listeners(std::uint64_t matched) {
  auto& listeners = scan_listeners();
  for (const auto& listener : listeners) listener(matched);
  return listeners.size();
}

}  // namespace plumb::harness
