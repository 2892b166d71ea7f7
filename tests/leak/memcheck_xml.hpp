#pragma once
// A minimal reader of memcheck's --xml=yes output: each <error>'s kind and function names (test helper).

#include <string>
#include <vector>

namespace plumb::leak_test {

// One <error> record of a memcheck XML log.
struct MemcheckError {
  std::string kind;                    // e.g. Leak_DefinitelyLost
  std::vector<std::string> functions;  // <fn> of every frame, innermost first
};

// The <error> records of `xml`, in order.
std::vector<MemcheckError> memcheck_errors(const std::string& xml);

// True when some frame's function name contains `needle`.
bool mentions(const MemcheckError& error, const std::string& needle);

}  // namespace plumb::leak_test
