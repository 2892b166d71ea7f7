#include "plumb/doctor/site_history.hpp"

#include <algorithm>

#include "plumb/analyze/frames.hpp"

namespace plumb::doctor {

namespace {

// The frame a stack allocates at: its innermost identity frame (user code, else library code),
// as every other finding names its site.
core::Frame site_frame(const std::vector<core::Frame>& stack) {
  const auto user = analyze::user_frames(stack);
  const auto identity = analyze::identity_frames(user);
  if (!identity.empty()) return *identity.front();
  if (!user.empty()) return user.front();
  return stack.empty() ? core::Frame{} : stack.front();
}

}  // namespace

SiteHistory::SiteHistory(const TraceReader& reader, double interval_ms, std::size_t max_samples)
    : reader_(reader), interval_ms_(std::max(interval_ms, 1.0)), max_samples_(std::max<std::size_t>(max_samples, 16)) {}

std::size_t SiteHistory::site_of(std::uint32_t trace) {
  if (trace >= site_of_trace_.size()) {
    site_of_trace_.resize(trace + 1, 0);
    bytes_of_trace_.resize(trace + 1, 0);
  }
  if (site_of_trace_[trace] == 0) {
    const std::string key = analyze::frame_identity(site_frame(reader_.stack(trace)));
    const auto [found, fresh] = index_of_key_.try_emplace(key, sites_.size());
    if (fresh) {
      SiteRecord site;
      site.key = key;
      site.live.assign(times_.size(), 0.0);
      sites_.push_back(std::move(site));
      stack_trace_of_site_.push_back(trace);
    }
    site_of_trace_[trace] = static_cast<std::uint32_t>(found->second) + 1;
  }
  return site_of_trace_[trace] - 1;
}

void SiteHistory::on_allocation(std::uint64_t size, std::uint32_t trace) {
  const std::size_t index = site_of(trace);
  auto& site = sites_[index];
  site.live_bytes += static_cast<std::int64_t>(size);
  ++site.allocations;
  site.allocated_bytes += size;
  bytes_of_trace_[trace] += size;
  if (bytes_of_trace_[trace] > bytes_of_trace_[stack_trace_of_site_[index]]) {
    stack_trace_of_site_[index] = trace;
  }
}

void SiteHistory::on_free(std::uint64_t size, std::uint32_t trace) {
  auto& site = sites_[site_of(trace)];
  site.live_bytes -= static_cast<std::int64_t>(size);
  ++site.frees;
}

void SiteHistory::sample(std::uint64_t ms) {
  times_.push_back(static_cast<double>(ms) / 1000.0);
  for (auto& site : sites_) {
    site.live.push_back(static_cast<double>(site.live_bytes));
  }
  if (times_.size() < max_samples_) return;
  // Too many: keep every other sample and sample half as often from now on.
  const auto thin = [](std::vector<double>& values) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < values.size(); i += 2) values[kept++] = values[i];
    values.resize(kept);
  };
  thin(times_);
  for (auto& site : sites_) thin(site.live);
  interval_ms_ *= 2;
}

void SiteHistory::on_time(std::uint64_t ms) {
  last_ms_ = ms;
  if (!any_time_) {
    any_time_ = true;
    next_ms_ = static_cast<double>(ms);
  }
  if (static_cast<double>(ms) + 1e-9 < next_ms_) return;
  sample(ms);
  next_ms_ = static_cast<double>(ms) + interval_ms_;
}

void SiteHistory::finish() {
  if (times_.empty() || times_.back() < static_cast<double>(last_ms_) / 1000.0) {
    times_.push_back(static_cast<double>(last_ms_) / 1000.0);
    for (auto& site : sites_) site.live.push_back(static_cast<double>(site.live_bytes));
  }
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    sites_[i].stack = reader_.stack(stack_trace_of_site_[i]);
    sites_[i].at = site_frame(sites_[i].stack);
  }
}

}  // namespace plumb::doctor
