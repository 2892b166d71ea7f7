// closure-holds-input: a completion callback stored in a long-lived registry captures a shared_ptr
// to the iteration's input buffer, so every input ever scanned stays alive (reachable, not leaked).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "plumb/harness/defects.hpp"

namespace plumb::harness {

namespace {

constexpr std::size_t kInputAnnouncements = 4;

std::vector<std::function<std::size_t()>>& completion_callbacks() {
  static auto* callbacks = new std::vector<std::function<std::size_t()>>();
  return *callbacks;
}

}  // namespace

__attribute__((noinline)) void plant_closure_holding_input(
    std::span<const spectre::Announcement> announcements, std::uint64_t iteration) {
  // This iteration's input page, as a fetcher would hand it to the scanner.
  const std::size_t begin =
      announcements.empty() ? 0 : (iteration * kInputAnnouncements) % announcements.size();
  const std::size_t end = std::min(begin + kInputAnnouncements, announcements.size());
  auto input = std::make_shared<const std::vector<spectre::Announcement>>(announcements.begin() + begin,
                                                                          announcements.begin() + end);
  completion_callbacks().emplace_back([input] { return input->size(); });
}

}  // namespace plumb::harness
