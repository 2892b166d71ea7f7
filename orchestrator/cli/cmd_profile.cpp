// plumb profile: fold profiler output into stacks and render flame graphs (plain and differential).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/profile/flame_graph.hpp"
#include "plumb/profile/load.hpp"

namespace plumb::cli {

namespace {

struct ProfileInput {
  std::string format = "folded";
  std::string event;
  std::string snapshot = "peak";
  bool no_kernel = false;
};

void add_input_options(CLI::App& command, ProfileInput& input) {
  command
      .add_option("--from", input.format,
                  "Input format: folded, perf (perf script output), callgrind, massif")
      ->check(CLI::IsMember({"folded", "perf", "callgrind", "massif"}))
      ->capture_default_str();
  command.add_option("--event", input.event, "callgrind: the event to fold (default: the file's first, Ir)");
  command.add_option("--snapshot", input.snapshot, "massif: peak, last, or a snapshot number")
      ->capture_default_str();
  command.add_flag("--no-kernel", input.no_kernel, "perf: drop kernel frames");
}

profile::LoadedProfile load(const ProfileInput& input, const std::string& path) {
  profile::LoadOptions options;
  options.callgrind_event = input.event;
  options.perf_kernel = !input.no_kernel;
  if (input.snapshot == "last") {
    options.massif_last = true;
  } else if (input.snapshot != "peak") {
    try {
      options.massif_snapshot = std::stoi(input.snapshot);
    } catch (const std::exception&) {
      throw core::UsageError("--snapshot must be peak, last or a number, not '" + input.snapshot + "'");
    }
  }
  return profile::load_profile(profile::parse_input_format(input.format), path, options);
}

void emit(const std::string& out, const std::string& content) {
  if (out.empty() || out == "-") {
    std::cout << content;
    return;
  }
  const std::filesystem::path path(out);
  if (path.has_parent_path()) {
    core::ensure_writable_directory(path.parent_path());
  }
  core::write_file_atomically(path, content);
  std::cerr << "plumb profile: wrote " << out << "\n";
}

struct ProfileArgs {
  ProfileInput input;
  std::string file, base, change, out, title, unit, subtitle;
  double min_width = 0.1;
};

profile::FlameGraphOptions graph_options(const ProfileArgs& args, const std::string& unit,
                                         const std::string& title) {
  profile::FlameGraphOptions options;
  options.title = args.title.empty() ? title : args.title;
  options.unit = args.unit.empty() ? unit : args.unit;
  options.subtitle = args.subtitle;
  options.min_width = args.min_width;
  return options;
}

}  // namespace

void add_profile_command(CLI::App& app, Action& selected) {
  auto* command = app.add_subcommand("profile", "Fold profiles into stacks and render flame graphs");
  command->require_subcommand(1);
  auto args = std::make_shared<ProfileArgs>();

  auto* fold =
      command->add_subcommand("fold", "Convert perf script, callgrind or massif output to folded stacks");
  add_input_options(*fold, args->input);
  fold->add_option("FILE", args->file, "The profile to fold")->required();
  fold->add_option("-o,--out", args->out, "Where to write the folded stacks (default: standard output)");
  fold->callback([args, &selected] {
    selected = [args] {
      emit(args->out, profile::to_folded_text(load(args->input, args->file).folded));
      return int{core::kExitPass};
    };
  });

  auto* flame =
      command->add_subcommand("flame", "Render one profile as a self-contained flame graph HTML file");
  add_input_options(*flame, args->input);
  flame->add_option("FILE", args->file, "The profile to draw")->required();
  flame->add_option("-o,--out", args->out, "The HTML file to write (default: standard output)");
  flame->add_option("--title", args->title, "Page title");
  flame->add_option("--subtitle", args->subtitle, "A line under the title, e.g. the command profiled");
  flame->add_option("--unit", args->unit, "What a count is (default: from the format)");
  flame
      ->add_option("--min-width", args->min_width,
                   "Frames narrower than this many of 1200 units are not drawn")
      ->capture_default_str();
  flame->callback([args, &selected] {
    selected = [args] {
      const auto loaded = load(args->input, args->file);
      const auto title = "Flame graph: " + std::filesystem::path(args->file).filename().string();
      emit(args->out, profile::render_flame_graph(loaded.folded, graph_options(*args, loaded.unit, title)));
      return int{core::kExitPass};
    };
  });

  auto* diff =
      command->add_subcommand("diff", "Render a differential flame graph of a baseline and a change");
  add_input_options(*diff, args->input);
  diff->add_option("BASELINE", args->base, "The profile before the change")->required();
  diff->add_option("CHANGE", args->change, "The profile after the change")->required();
  diff->add_option("-o,--out", args->out, "The HTML file to write (default: standard output)");
  diff->add_option("--title", args->title, "Page title");
  diff->add_option("--subtitle", args->subtitle, "A line under the title");
  diff->add_option("--unit", args->unit, "What a count is (default: from the format)");
  diff->add_option("--min-width", args->min_width,
                   "Frames narrower than this many of 1200 units are not drawn")
      ->capture_default_str();
  diff->callback([args, &selected] {
    selected = [args] {
      const auto before = load(args->input, args->base);
      const auto after = load(args->input, args->change);
      const auto title =
          "Differential flame graph: " + std::filesystem::path(args->base).filename().string() + " → " +
          std::filesystem::path(args->change).filename().string();
      emit(args->out, profile::render_diff_flame_graph(before.folded, after.folded,
                                                       graph_options(*args, after.unit, title)));
      return int{core::kExitPass};
    };
  });
}

}  // namespace plumb::cli
