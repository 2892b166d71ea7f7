#include "plumb/reports/terminal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include <gtest/gtest.h>

#include "sample_reports.hpp"

namespace plumb::reports {
namespace {

// Sets an environment variable for one scope and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(Terminal, PlainSummaryListsVariantsNewFindingsVerdictAndReportDir) {
  const auto report = testing::realistic_report();
  const std::string text = render_terminal_summary(report, TerminalStyle{false}, "out/reports");
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  for (const auto& variant : report.variants) {
    EXPECT_NE(text.find(variant.name), std::string::npos) << variant.name;
  }
  EXPECT_NE(text.find("5 min 12 s"), std::string::npos);
  EXPECT_NE(text.find("failed"), std::string::npos);
  // Sites, not findings: copy_metadata's leak reached through two call paths is one site.
  EXPECT_NE(text.find("gating sites: leak.definite 1 leak.indirect 1 thread.leak 1 race 1 heap.growth 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("(3 not gating: canary, baseline, suppressed or kind)"), std::string::npos) << text;
  EXPECT_NE(text.find("verdict: FAIL\n"), std::string::npos);
  EXPECT_NE(text.find("reports: out/reports/report.html"), std::string::npos);
}

// The doctor samples seconds: its growth lines are per second, never per iteration.
TEST(Terminal, AGrowthLineSaysWhatItsSlopeIsPer) {
  const std::string doctor = render_terminal_summary(testing::doctor_report(), TerminalStyle{false}, "out");
  EXPECT_NE(doctor.find("growth: doctor rss +1.3 MiB/s > threshold +85.3 KiB/s\n"), std::string::npos) << doctor;
  EXPECT_EQ(doctor.find("/iter"), std::string::npos) << doctor;
  const std::string harness =
      render_terminal_summary(testing::realistic_report(), TerminalStyle{false}, "out");
  EXPECT_NE(harness.find("growth: native-stream heap +48 B/iter > threshold +8 B/iter\n"), std::string::npos)
      << harness;
}

TEST(Terminal, ColourOnlyWhenAsked) {
  const std::string colored =
      render_terminal_summary(testing::realistic_report(), TerminalStyle{true}, "out");
  EXPECT_NE(colored.find("\x1b[31mFAIL\x1b[0m"), std::string::npos);
  const std::string passed = render_terminal_summary(testing::clean_report(), TerminalStyle{true}, "out");
  EXPECT_NE(passed.find("\x1b[32mPASS\x1b[0m"), std::string::npos);
  EXPECT_NE(passed.find("gating sites: none"), std::string::npos);
}

TEST(Terminal, ToolTextCannotInjectEscapeSequences) {
  const std::string text = render_terminal_summary(testing::injection_report(), TerminalStyle{false}, "out");
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(Terminal, DetectsColourFromTtyTermAndNoColor) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  {
    ScopedEnv term("TERM", "xterm-256color");
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_FALSE(detect_terminal_style(pipe_fds[1]).color);  // a pipe is not a terminal
  }
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);

  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    GTEST_SKIP() << "no pseudo-terminal available";
  }
  const int tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(tty, 0);
  {
    ScopedEnv term("TERM", "xterm-256color");
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_TRUE(detect_terminal_style(tty).color);
    {
      ScopedEnv set("NO_COLOR", "1");
      EXPECT_FALSE(detect_terminal_style(tty).color);
    }
    {
      ScopedEnv dumb("TERM", "dumb");
      EXPECT_FALSE(detect_terminal_style(tty).color);
    }
    {
      ScopedEnv unset("TERM", nullptr);
      EXPECT_FALSE(detect_terminal_style(tty).color);
    }
  }
  ::close(tty);
  ::close(master);
}

}  // namespace
}  // namespace plumb::reports
