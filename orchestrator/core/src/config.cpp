#include "plumb/core/config.hpp"

#include "plumb/core/tools.hpp"

#include <algorithm>

#include <toml++/toml.h>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/text_file.hpp"

namespace plumb::core {
namespace {

// Reads one TOML document into the model, remembering the file name for messages.
class ConfigReader {
 public:
  explicit ConfigReader(std::string source) : source_(std::move(source)) {}

  Config read(const toml::table& document) {
    Config config;
    config.source = source_;
    config.gate.gating_kinds = default_gating_kinds();
    for (auto&& [key, node] : document) {
      const std::string name(key.str());
      if (name == "project") {
        read_project(table_of(node, "[project]"), config.project);
      } else if (name == "gate") {
        read_gate(table_of(node, "[gate]"), config.gate);
      } else if (name == "variant") {
        read_variants(node, config.variants);
      } else {
        fail(key.source(), "unknown key '" + name + "' (expected project, gate or variant)");
      }
    }
    std::set<std::string> seen;
    for (const VariantConfig& variant : config.variants) {
      for (const auto& [tier, settings] : variant.tiers) {
        if (seen.insert(tier).second) {
          config.tiers.push_back(tier);
        }
      }
    }
    if (!config.project.default_tier.empty() && seen.count(config.project.default_tier) == 0) {
      throw UsageError(located_message(source_, 0,
                                       "project.default_tier '" + config.project.default_tier +
                                           "' is not a tier of any variant (declared: " + tier_list(config) +
                                           ")"));
    }
    return config;
  }

  static std::string tier_list(const Config& config) {
    std::string list;
    for (const std::string& tier : config.tiers) {
      list += (list.empty() ? "" : ", ") + tier;
    }
    return list.empty() ? "none" : list;
  }

 private:
  [[noreturn]] void fail(const toml::source_region& where, const std::string& problem) const {
    throw UsageError(located_message(source_, static_cast<long>(where.begin.line), problem));
  }

  const toml::table& table_of(const toml::node& node, const std::string& what) const {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      fail(node.source(), what + " must be a table");
    }
    return *table;
  }

  std::string string_of(const toml::node& node, const std::string& what) const {
    const auto* value = node.as_string();
    if (value == nullptr) {
      fail(node.source(), what + " must be a string");
    }
    return value->get();
  }

  bool bool_of(const toml::node& node, const std::string& what) const {
    const auto* value = node.as_boolean();
    if (value == nullptr) {
      fail(node.source(), what + " must be true or false");
    }
    return value->get();
  }

  std::vector<std::string> strings_of(const toml::node& node, const std::string& what) const {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      fail(node.source(), what + " must be an array of strings");
    }
    std::vector<std::string> values;
    for (const toml::node& element : *array) {
      values.push_back(string_of(element, what + " entries"));
    }
    return values;
  }

  double seconds_of(const toml::node& node, const std::string& what) const {
    double seconds = 0;
    if (const auto* integer = node.as_integer()) {
      seconds = static_cast<double>(integer->get());
    } else if (const auto* floating = node.as_floating_point()) {
      seconds = floating->get();
    } else {
      fail(node.source(), what + " must be a number of seconds");
    }
    if (!(seconds > 0)) {
      fail(node.source(), what + " must be positive");
    }
    return seconds;
  }

  void read_project(const toml::table& table, ProjectConfig& project) const {
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (name == "build_dir") {
        project.build_dir = string_of(node, "project.build_dir");
      } else if (name == "suppressions") {
        project.suppressions = string_of(node, "project.suppressions");
      } else if (name == "baseline") {
        project.baseline = string_of(node, "project.baseline");
      } else if (name == "native_suppressions") {
        project.native_suppressions = string_of(node, "project.native_suppressions");
      } else if (name == "report_dir") {
        project.report_dir = string_of(node, "project.report_dir");
      } else if (name == "default_tier") {
        project.default_tier = string_of(node, "project.default_tier");
      } else if (name == "max_findings_per_kind") {
        const auto value = node.value<std::int64_t>();
        if (!value || *value < 0) {
          fail(node.source(),
               "project.max_findings_per_kind must be an integer >= 0 (0: list every finding)");
        }
        project.max_findings_per_kind = static_cast<long>(*value);
      } else if (name == "wrappers") {
        project.wrappers = strings_of(node, "project.wrappers");
      } else {
        fail(key.source(),
             "unknown key 'project." + name +
                 "' (expected build_dir, suppressions, baseline, native_suppressions, report_dir, "
                 "default_tier, max_findings_per_kind or wrappers)");
      }
    }
    if (project.build_dir.empty()) {
      fail(table.source(), "project.build_dir must not be empty");
    }
  }

  void read_gate(const toml::table& table, GateConfig& gate) const {
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (name == "kinds") {
        gate.gating_kinds.clear();
        const toml::array* array = node.as_array();
        if (array == nullptr) {
          fail(node.source(), "gate.kinds must be an array of finding kinds");
        }
        for (const toml::node& element : *array) {
          const std::string text = string_of(element, "gate.kinds entries");
          const auto kind = parse_finding_kind(text);
          if (!kind) {
            fail(element.source(), "unknown finding kind '" + text + "' in gate.kinds");
          }
          gate.gating_kinds.insert(*kind);
        }
      } else if (name == "fail_on_growth") {
        gate.fail_on_growth = bool_of(node, "gate.fail_on_growth");
      } else if (name == "baseline_tolerance_bytes") {
        const auto value = node.value<std::int64_t>();
        if (!node.is_integer() || !value || *value < 0) {
          fail(node.source(), "gate.baseline_tolerance_bytes must be an integer >= 0");
        }
        gate.baseline_tolerance_bytes = static_cast<long>(*value);
      } else if (name == "baseline_tolerance_percent") {
        const auto value = node.value<double>();
        if (!(node.is_integer() || node.is_floating_point()) || !value || *value < 0) {
          fail(node.source(), "gate.baseline_tolerance_percent must be a number >= 0");
        }
        gate.baseline_tolerance_percent = *value;
      } else {
        fail(key.source(), "unknown key 'gate." + name +
                               "' (expected kinds, fail_on_growth, baseline_tolerance_bytes or "
                               "baseline_tolerance_percent)");
      }
    }
  }

  void read_variants(const toml::node& node, std::vector<VariantConfig>& variants) const {
    const toml::array* array = node.as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      fail(node.source(), "variant must be written as [[variant]] tables");
    }
    std::set<std::string> names;  // O(n log n) over the variants, not a scan per variant
    for (const VariantConfig& variant : variants) {
      names.insert(variant.name);
    }
    for (const toml::node& element : *array) {
      VariantConfig variant = read_variant(*element.as_table());
      if (!names.insert(variant.name).second) {
        throw UsageError(
            located_message(source_, variant.line, "duplicate variant name '" + variant.name + "'"));
      }
      variants.push_back(std::move(variant));
    }
  }

  VariantConfig read_variant(const toml::table& table) const {
    VariantConfig variant;
    variant.line = static_cast<long>(table.source().begin.line);
    bool has_tool = false;
    bool has_target = false;
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (name == "name") {
        variant.name = string_of(node, "variant.name");
        try {
          check_path_name(variant.name, "variant.name");
        } catch (const UsageError& error) {
          fail(node.source(), error.what());
        }
      } else if (name == "description") {
        variant.description = string_of(node, "variant.description");
      } else if (name == "preset") {
        variant.preset = string_of(node, "variant.preset");
      } else if (name == "tool") {
        const std::string tool = string_of(node, "variant.tool");
        has_tool = true;
        const std::optional<Tool> known = tool_named(tool);
        if (!known || !spec_of(*known).runs_programs) {
          fail(node.source(), "unknown tool '" + tool + "' (expected " + spelled_list(tool_names()) + ")");
        }
        variant.tool = *known;
      } else if (name == "target") {
        variant.target = string_of(node, "variant.target");
        has_target = !variant.target.empty();
        if (!has_target) {
          fail(node.source(), "variant.target must not be empty");
        }
      } else if (name == "tiers") {
        read_tiers(table_of(node, "variant.tiers"), variant.tiers);
      } else if (name == "env") {
        for (auto&& [env_key, env_value] : table_of(node, "variant.env")) {
          variant.env[std::string(env_key.str())] =
              string_of(env_value, "variant.env." + std::string(env_key.str()));
        }
      } else if (name == "canary") {
        variant.canary = bool_of(node, "variant.canary");
      } else if (name == "exit_code_only") {
        variant.exit_code_only = bool_of(node, "variant.exit_code_only");
      } else if (name == "allow_disabled_detection") {
        variant.allow_disabled_detection = bool_of(node, "variant.allow_disabled_detection");
      } else if (name == "tool_args") {
        variant.tool_args = strings_of(node, "variant.tool_args");
      } else if (name == "cwd") {
        variant.cwd = string_of(node, "variant.cwd");
      } else if (name == "program") {
        variant.program = string_of(node, "variant.program");
        if (variant.program.empty()) {
          fail(node.source(), "variant.program must not be empty");
        }
      } else if (name == "ctest") {
        variant.ctest = read_ctest(node);
      } else {
        fail(key.source(), "unknown key 'variant." + name +
                               "' (expected name, description, preset, tool, target, program, ctest, tiers, "
                               "env, canary, exit_code_only, tool_args, allow_disabled_detection or cwd)");
      }
    }
    if (variant.name.empty()) {
      fail(table.source(), "variant has no name");
    }
    if (!has_tool) {
      fail(table.source(), "variant '" + variant.name + "' has no tool");
    }
    if (variant.ctest) {
      check_ctest_variant(table, variant);
    } else if (!has_target) {
      fail(table.source(),
           "variant '" + variant.name + "' has no target (or ctest = true to run its CTest suite)");
    } else if (!variant.program.empty() && variant.preset.empty()) {
      fail(table.source(),
           "variant '" + variant.name + "' sets program but no preset whose build tree holds it");
    }
    if (variant.tiers.empty()) {
      fail(table.source(), "variant '" + variant.name +
                               "' has no tier: add one [variant.tiers.NAME] table (e.g. [variant.tiers.pr])");
    }
    return variant;
  }

  // ctest = true, or ctest = { label = "...", regex = "...", exclude = "..." }.
  CtestSelection read_ctest(const toml::node& node) const {
    CtestSelection selection;
    if (const auto* flag = node.as_boolean()) {
      if (!flag->get()) {
        fail(node.source(), "variant.ctest = false: leave the key out instead");
      }
      return selection;
    }
    for (auto&& [key, value] : table_of(node, "variant.ctest")) {
      const std::string name(key.str());
      std::string* field = name == "label"     ? &selection.label
                           : name == "regex"   ? &selection.regex
                           : name == "exclude" ? &selection.exclude
                                               : nullptr;
      if (field == nullptr) {
        fail(key.source(), "unknown key 'variant.ctest." + name + "' (expected label, regex or exclude)");
      }
      *field = string_of(value, "variant.ctest." + name);
    }
    return selection;
  }

  // A CTest variant runs every test of its preset's build tree: it needs the preset, and the
  // per-run settings that belong to a single program make no sense for it.
  void check_ctest_variant(const toml::table& table, const VariantConfig& variant) const {
    const std::string what = "variant '" + variant.name + "' runs its CTest suite";
    if (variant.preset.empty()) {
      fail(table.source(), what + " but has no preset whose build tree holds the tests");
    }
    if (!variant.target.empty() || !variant.program.empty()) {
      fail(table.source(), what +
                               ": target and program name one program; leave them out (the tests' "
                               "commands come from CTest)");
    }
    if (variant.canary) {
      fail(table.source(),
           what + ": a canary is one program with a planted defect; make it a target variant");
    }
    if (!variant.cwd.empty()) {
      fail(table.source(), what + ": each test runs in its own WORKING_DIRECTORY; leave cwd out");
    }
    for (const auto& [tier, settings] : variant.tiers) {
      if (!settings.args.empty()) {
        fail(table.source(), what + ": tier '" + tier +
                                 "' gives args, but each test's command comes from "
                                 "CTest; select tests with ctest = { label, regex, exclude }");
      }
    }
  }

  void read_tiers(const toml::table& table, std::map<std::string, TierSettings>& tiers) const {
    for (auto&& [key, node] : table) {
      const std::string tier(key.str());
      const bool valid =
          !tier.empty() && tier.size() <= 40 && std::all_of(tier.begin(), tier.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                   c == '_';
          });
      if (!valid) {
        fail(key.source(), "tier name '" + tier + "' must be 1 to 40 letters, digits, '-' or '_'");
      }
      TierSettings settings;
      for (auto&& [setting_key, setting] : table_of(node, "variant.tiers." + tier)) {
        const std::string name(setting_key.str());
        if (name == "args") {
          settings.args = strings_of(setting, "variant.tiers." + tier + ".args");
        } else if (name == "timeout_s") {
          settings.timeout_s = seconds_of(setting, "variant.tiers." + tier + ".timeout_s");
        } else {
          fail(setting_key.source(),
               "unknown key '" + name + "' in variant.tiers." + tier + " (expected args or timeout_s)");
        }
      }
      tiers[tier] = std::move(settings);
    }
  }

  std::string source_;
};

}  // namespace

std::set<FindingKind> default_gating_kinds() {
  std::set<FindingKind> kinds(std::begin(kAllFindingKinds), std::end(kAllFindingKinds));
  kinds.erase(FindingKind::LeakReachable);
  return kinds;
}

Config parse_config(std::string_view text, const std::string& source) {
  toml::table document;
  try {
    document = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw UsageError(located_message(source, static_cast<long>(error.source().begin.line),
                                     std::string(error.description())));
  }
  return ConfigReader(source).read(document);
}

Config load_config(const std::filesystem::path& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) {
    throw UsageError(located_message(path.string(), 0, "cannot read the configuration file"));
  }
  Config config = parse_config(*text, path.string());
  config.root = std::filesystem::absolute(path).parent_path();
  return config;
}

std::string default_tier(const Config& config) {
  if (!config.project.default_tier.empty()) {
    return config.project.default_tier;
  }
  if (std::find(config.tiers.begin(), config.tiers.end(), "pr") != config.tiers.end() ||
      config.tiers.empty()) {
    return "pr";
  }
  return config.tiers.front();
}

const VariantConfig* find_variant(const Config& config, std::string_view name) {
  for (const VariantConfig& variant : config.variants) {
    if (variant.name == name) {
      return &variant;
    }
  }
  return nullptr;
}

}  // namespace plumb::core
