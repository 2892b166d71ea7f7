// Escaping tool-derived text for HTML, XML, inline JSON and link targets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace plumb::reports {

// `text` as valid UTF-8 holding only characters XML 1.0 allows and does not discourage: invalid
// bytes (lone surrogates and overlong forms included), controls but tab, newline and carriage
// return, DEL and C1 controls, and noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) become
// U+FFFD, so every output format stays well-formed.
std::string sanitize_utf8(std::string_view text);

// `text` safe inside HTML element content and quoted attribute values (& < > " ' escaped).
std::string escape_html(std::string_view text);

// `text` safe inside XML 1.0 content and attributes; characters XML forbids become U+FFFD.
// Newlines are kept in content; pass `for_attribute` to encode them as &#10; so they survive.
std::string escape_xml(std::string_view text, bool for_attribute = false);

// `document` serialized for a <script type="application/json"> block: < > & U+2028 U+2029 are
// \u-escaped so no string in it can end the block or start markup. Taken by value: a document
// moved in is freed once serialized, before its text is escaped.
std::string json_for_script_block(nlohmann::json document);

// A relative link target for a log path, percent-encoded so it can carry no scheme
// (no javascript: URL), or nullopt when the path is empty.
std::optional<std::string> relative_href(std::string_view path);

// `path` percent-encoded for a URI reference (SARIF artifact locations); '/' is kept.
std::string percent_encode_path(std::string_view path);

}  // namespace plumb::reports
