#include "plumb/analyze/baseline.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>

#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/json_text.hpp"

namespace plumb::analyze {
namespace {

using nlohmann::json;

// The line of each element of the fingerprint array (the root array, or the root object's
// "fingerprints" member): nlohmann::json keeps no positions, so a small scan finds them.
std::vector<long> element_lines(std::string_view text) {
  std::vector<long> lines;
  int depth = 0;
  int array_depth = -1;  // Depth inside the fingerprint array, once found.
  bool in_string = false;
  bool escaped = false;
  bool expect_element = false;
  std::string last_key;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        last_key = current;
      } else {
        current += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    if (expect_element && depth == array_depth && c != ']') {
      lines.push_back(core::line_of_offset(text, i));
      expect_element = false;
    }
    if (c == '"') {
      in_string = true;
      current.clear();
    } else if (c == '[' || c == '{') {
      ++depth;
      if (c == '[' && array_depth < 0 && (depth == 1 || (depth == 2 && last_key == "fingerprints"))) {
        array_depth = depth;
        expect_element = true;
      }
    } else if (c == ']' || c == '}') {
      if (depth == array_depth) {
        array_depth = -2;  // Done: later arrays are not the fingerprint array.
        expect_element = false;
      }
      --depth;
    } else if (c == ',' && depth == array_depth) {
      expect_element = true;
    }
  }
  return lines;
}

bool is_fingerprint(const std::string& text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

}  // namespace

Baseline parse_baseline(std::istream& in, const std::string& source_name) {
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const json document = core::parse_json_text(text, source_name);
  const json* entries = &document;
  if (document.is_object()) {
    for (const auto& [key, value] : document.items()) {
      if (key != "schema" && key != "identity" && key != "fingerprints") {
        throw core::UsageError(core::located_message(source_name, 1, "unknown baseline key \"" + key + "\""));
      }
    }
    if (document.contains("schema") && document["schema"] != std::string(kBaselineSchema) &&
        document["schema"] != std::string(kBaselineSchemaV1)) {
      throw core::UsageError(
          core::located_message(source_name, 1, "schema must be \"" + std::string(kBaselineSchema) + "\""));
    }
    if (!document.contains("fingerprints")) {
      throw core::UsageError(core::located_message(source_name, 1, "missing \"fingerprints\""));
    }
    entries = &document["fingerprints"];
  }
  if (!entries->is_array()) {
    throw core::UsageError(core::located_message(source_name, 1, "\"fingerprints\" must be an array"));
  }
  const auto lines = element_lines(text);
  Baseline baseline;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const json& entry = (*entries)[i];
    const long line = i < lines.size() ? lines[i] : 0;
    std::string value;
    if (entry.is_string()) {
      value = entry.get<std::string>();
    } else if (entry.is_object() && entry.contains("fingerprint") && entry["fingerprint"].is_string()) {
      value = entry["fingerprint"].get<std::string>();
    } else {
      throw core::UsageError(core::located_message(
          source_name, line,
          "each entry must be a fingerprint string or an object with a \"fingerprint\" string"));
    }
    if (!is_fingerprint(value)) {
      throw core::UsageError(
          core::located_message(source_name, line, "\"" + value + "\" is not a fingerprint (lowercase hex)"));
    }
    baseline.fingerprints.insert(value);
  }
  // Which identity rules made these fingerprints: schema 2 says; schema 1 and a bare list are 1.
  int identity = 1;
  if (document.is_object() && document.value("schema", "") == std::string(kBaselineSchema)) {
    identity = document.contains("identity") && document["identity"].is_number_integer()
                   ? document["identity"].get<int>()
                   : 0;
  }
  if (identity != kIdentityVersion && !entries->empty()) {
    throw core::UsageError(core::located_message(
        source_name, 1,
        "these fingerprints were made with identity version " + std::to_string(identity) +
            " and plumb now computes version " + std::to_string(kIdentityVersion) +
            ", so they would match no finding or the wrong one; rerun plumb (plumb run) and rewrite the "
            "baseline from that report with `plumb baseline update`, after reading what it accepts"));
  }
  return baseline;
}

Baseline load_baseline(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::UsageError(core::located_message(path.string(), 0, "cannot read baseline file"));
  }
  return parse_baseline(in, path.string());
}

std::string render_baseline(const core::Report& report) {
  if (report.identity != kIdentityVersion) {
    throw core::UsageError("the report's fingerprints are of identity version " +
                           std::to_string(report.identity) + ", not " + std::to_string(kIdentityVersion) +
                           ": rerun plumb to make a new report, then update the baseline from it");
  }
  std::map<std::string, const core::Finding*> accepted;
  for (const auto& finding : report.findings) {
    if (finding.status != core::FindingStatus::Suppressed && !finding.fingerprint.empty()) {
      accepted.emplace(finding.fingerprint, &finding);
    }
  }
  std::string out = "{\n  \"schema\": " + json(std::string(kBaselineSchema)).dump() +
                    ",\n  \"identity\": " + std::to_string(kIdentityVersion) + ",\n  \"fingerprints\": [";
  bool first = true;
  for (const auto& [fingerprint, finding] : accepted) {
    const core::Frame* at = core::at_frame(*finding);
    const std::string top = at == nullptr ? "" : normalize_function(at->function);
    out += first ? "\n" : ",\n";
    out +=
        "    " +
        json{{"fingerprint", fingerprint}, {"kind", core::to_string(finding->kind)}, {"top_frame", top}}.dump(
            -1, ' ', false, json::error_handler_t::replace);  // A symbol may hold any bytes.
    first = false;
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace plumb::analyze
