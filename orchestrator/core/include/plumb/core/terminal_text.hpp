// Text from outside (test names, tool output, paths) made safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace plumb::core {

// `text` with every control character shown escaped, so none reaches a terminal raw: \n, \r, \t
// and \x1b-style escapes for the C0 controls and DEL, \xc2\x9b-style for the C1 controls (U+0080 to
// U+009F) and for each byte that is not valid UTF-8. A newline can then never forge a line.
std::string terminal_safe(std::string_view text);

}  // namespace plumb::core
