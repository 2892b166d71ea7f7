#include "plumb/run/harness_progress.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "plumb/run/scheduler.hpp"

namespace plumb::run {
namespace {

constexpr std::streamoff kTail = 64 * 1024;

nlohmann::json object_of(std::string_view line) {
  nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  return record.is_object() ? record : nlohmann::json();
}

}  // namespace

std::optional<std::string> harness_progress(const std::filesystem::path& samples_file) {
  std::ifstream in(samples_file, std::ios::binary);
  std::string first;
  if (!in || !std::getline(in, first)) {
    return std::nullopt;
  }
  const nlohmann::json meta = object_of(first);
  if (!meta.is_object() || meta.value("type", "") != "meta") {
    return std::nullopt;
  }
  in.clear();
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - kTail);
  in.seekg(start);
  std::string tail(static_cast<std::size_t>(size - start), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<std::size_t>(in.gcount()));
  // Only lines the harness finished (ending in '\n') count; the last one may be half written.
  const std::size_t end = tail.rfind('\n');
  if (end == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t begin = tail.rfind('\n', end == 0 ? 0 : end - 1);
  const std::string_view last(tail.data() + (begin == std::string::npos || end == 0 ? 0 : begin + 1),
                              end - (begin == std::string::npos || end == 0 ? 0 : begin + 1));
  const nlohmann::json sample = object_of(last);
  if (!sample.is_object() || sample.value("type", "") != "sample") {
    return std::nullopt;
  }
  const double iteration = sample.value("iteration", 0.0);
  const double iterations = meta.value("iterations", 0.0);
  const double elapsed = sample.value("t_s", 0.0);
  char text[96];
  std::snprintf(text, sizeof text, "iteration %.0f/%.0f, %.0f%%", iteration, iterations,
                iterations > 0 ? 100.0 * iteration / iterations : 0.0);
  std::string line = text;
  if (iteration > 0 && elapsed > 0 && iterations >= iteration) {
    line += ", ETA " + format_elapsed(elapsed / iteration * (iterations - iteration));
  }
  return line;
}

}  // namespace plumb::run
