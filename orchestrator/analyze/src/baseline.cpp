#include "plumb/analyze/baseline.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/json_text.hpp"

namespace plumb::analyze {
namespace {

using nlohmann::json;

// What one pass over the text finds that nlohmann::json does not keep: the line of each element of
// the fingerprint array (the root array, or the root object's "fingerprints" member), and the
// first key given twice in one object. Lines are counted as the scan goes: linear in the size.
struct TextScan {
  std::vector<long> element_lines;
  long duplicate_key_line = 0;
  std::string duplicate_key;
};

TextScan scan_text(std::string_view text) {
  TextScan scan;
  long line = 1;
  int depth = 0;
  int array_depth = -1;  // Depth inside the fingerprint array, once found.
  bool in_string = false;
  bool escaped = false;
  bool expect_element = false;
  std::string last_key;
  std::string current;
  std::vector<std::set<std::string>> keys;  // Per open object: the keys seen so far.
  std::vector<bool> is_object;              // Per open bracket.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        last_key = current;
        // A string followed by ':' is a key of the innermost object.
        std::size_t next = i + 1;
        while (next < text.size() && (text[next] == ' ' || text[next] == '\t' || text[next] == '\r' ||
                                      text[next] == '\n')) {
          ++next;
        }
        if (next < text.size() && text[next] == ':' && !keys.empty() && !is_object.empty() && is_object.back() &&
            !keys.back().insert(current).second && scan.duplicate_key_line == 0) {
          scan.duplicate_key_line = line;
          scan.duplicate_key = current;
        }
      } else {
        current += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    if (expect_element && depth == array_depth && c != ']') {
      scan.element_lines.push_back(line);
      expect_element = false;
    }
    if (c == '"') {
      in_string = true;
      current.clear();
    } else if (c == '[' || c == '{') {
      ++depth;
      is_object.push_back(c == '{');
      if (c == '{') {
        keys.emplace_back();
      }
      if (c == '[' && array_depth < 0 && (depth == 1 || (depth == 2 && last_key == "fingerprints"))) {
        array_depth = depth;
        expect_element = true;
      }
    } else if (c == ']' || c == '}') {
      if (depth == array_depth) {
        array_depth = -2;  // Done: later arrays are not the fingerprint array.
        expect_element = false;
      }
      if (!is_object.empty()) {
        if (is_object.back() && !keys.empty()) {
          keys.pop_back();
        }
        is_object.pop_back();
      }
      --depth;
    } else if (c == ',' && depth == array_depth) {
      expect_element = true;
    }
  }
  return scan;
}

std::uint64_t count_of(const json& entry, const char* key, const std::string& source_name, long line) {
  if (!entry.contains(key)) {
    return 0;
  }
  const json& value = entry.at(key);
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<long long>() >= 0)) {
    throw core::UsageError(
        core::located_message(source_name, line, std::string("\"") + key + "\" must be a whole number >= 0"));
  }
  return value.get<std::uint64_t>();
}

AcceptedAmount amount_of(const json& entry, const std::string& source_name, long line) {
  AcceptedAmount amount;
  amount.bytes = count_of(entry, "bytes", source_name, line);
  amount.blocks = count_of(entry, "blocks", source_name, line);
  if (entry.contains("variants")) {
    const json& variants = entry.at("variants");
    if (!variants.is_object()) {
      throw core::UsageError(
          core::located_message(source_name, line, "\"variants\" must be an object of variant: bytes"));
    }
    for (const auto& [name, bytes] : variants.items()) {
      amount.bytes_by_variant[name] = count_of(variants, name.c_str(), source_name, line);
    }
  }
  return amount;
}

bool is_leak(core::FindingKind kind) {
  return identity_family(kind) == "leak";
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
  const TextScan scan = scan_text(text);
  if (scan.duplicate_key_line != 0) {
    throw core::UsageError(core::located_message(
        source_name, scan.duplicate_key_line,
        "key \"" + scan.duplicate_key + "\" is given twice in one object (JSON keeps only the last)"));
  }
  const auto& lines = scan.element_lines;
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
    if (!baseline.fingerprints.insert(value).second) {
      throw core::UsageError(core::located_message(source_name, line, "fingerprint " + value + " is listed twice"));
    }
    if (entry.is_object() && entry.contains("bytes")) {
      baseline.amounts[value] = amount_of(entry, source_name, line);
    }
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
    json entry{{"fingerprint", fingerprint}, {"kind", core::to_string(finding->kind)}, {"top_frame", top}};
    if (is_leak(finding->kind)) {  // A leak is accepted up to the amount it had.
      const AcceptedAmount amount = leak_amount(report, fingerprint);
      entry["bytes"] = amount.bytes;
      entry["blocks"] = amount.blocks;
      if (amount.bytes_by_variant.size() > 1) {
        entry["variants"] = amount.bytes_by_variant;
      }
    }
    out += "    " + entry.dump(-1, ' ', false, json::error_handler_t::replace);  // A symbol may hold any bytes.
    first = false;
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace plumb::analyze

namespace plumb::analyze {

AcceptedAmount leak_amount(const core::Report& report, const std::string& fingerprint) {
  AcceptedAmount amount;
  for (const auto& finding : report.findings) {
    if (finding.fingerprint != fingerprint || !is_leak(finding.kind) ||
        finding.status == core::FindingStatus::Suppressed) {
      continue;
    }
    amount.bytes += finding.bytes;
    amount.blocks += finding.blocks;
    if (!finding.shares.empty()) {
      for (const auto& share : finding.shares) {
        for (const auto& variant : share.variants) {
          amount.bytes_by_variant[variant] += share.bytes;
        }
      }
    } else {
      for (const auto& variant : finding.variants) {
        amount.bytes_by_variant[variant] += finding.bytes;
      }
    }
  }
  return amount;
}

std::optional<Growth> grown(const AcceptedAmount& accepted, const AcceptedAmount& amount,
                            const BaselineTolerance& tolerance) {
  const auto allowed = [&](std::uint64_t bytes) {
    const auto share = static_cast<std::uint64_t>(static_cast<double>(bytes) * tolerance.percent / 100.0);
    return bytes + std::max(tolerance.bytes, share);
  };
  if (amount.bytes > allowed(accepted.bytes)) {
    return Growth{accepted.bytes, amount.bytes};
  }
  for (const auto& [variant, bytes] : amount.bytes_by_variant) {
    const auto it = accepted.bytes_by_variant.find(variant);
    const std::uint64_t reference = it == accepted.bytes_by_variant.end() ? accepted.bytes : it->second;
    if (bytes > allowed(reference)) {
      return Growth{reference, bytes};
    }
  }
  return std::nullopt;
}

}  // namespace plumb::analyze
