#include "plumb/doctor/proc_sample.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

namespace plumb::doctor {

namespace {

std::vector<std::string_view> fields(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t position = 0;
  while (true) {
    const auto begin = text.find_first_not_of(" \t\n", position);
    if (begin == std::string_view::npos) {
      break;
    }
    const auto end = text.find_first_of(" \t\n", begin);
    out.push_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) {
      break;
    }
    position = end;
  }
  return out;
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::optional<std::uint64_t> count_entries(const std::filesystem::path& dir) {
  std::error_code error;
  std::uint64_t count = 0;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    ++count;
  }
  if (error) {
    return std::nullopt;
  }
  return count;
}

}  // namespace

std::optional<std::uint64_t> parse_statm_resident_pages(std::string_view statm) {
  const auto words = fields(statm);
  if (words.size() < 2) {
    return std::nullopt;
  }
  return number(words[1]);
}

std::optional<StatFields> parse_stat(std::string_view stat) {
  // "pid (comm) state ppid ...": comm may contain ") ", so the fields start after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  const auto words = fields(stat.substr(close + 1));
  // After comm: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
  if (words.size() < 13 || words[0].size() != 1) {
    return std::nullopt;
  }
  const auto user = number(words[11]);
  const auto system = number(words[12]);
  if (!user || !system) {
    return std::nullopt;
  }
  return StatFields{words[0][0], *user + *system};
}

std::optional<ProcSample> read_proc_sample(pid_t pid, double seconds) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  const auto stat_text = slurp(proc / "stat");
  const auto statm_text = slurp(proc / "statm");
  if (!stat_text || !statm_text) {
    return std::nullopt;
  }
  const auto stat = parse_stat(*stat_text);
  const auto pages = parse_statm_resident_pages(*statm_text);
  if (!stat || !pages || stat->state == 'Z' || stat->state == 'X') {
    return std::nullopt;
  }
  const auto threads = count_entries(proc / "task");
  const auto fds = count_entries(proc / "fd");
  if (!threads || !fds) {
    return std::nullopt;
  }
  ProcSample sample;
  sample.seconds = seconds;
  sample.rss_bytes = *pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  sample.threads = *threads;
  sample.fds = *fds;
  sample.cpu_ticks = stat->cpu_ticks;
  return sample;
}

bool can_observe(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  return count_entries(proc / "fd").has_value() && slurp(proc / "stat").has_value();
}

}  // namespace plumb::doctor
