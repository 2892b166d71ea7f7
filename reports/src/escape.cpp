#include "plumb/reports/escape.hpp"

#include "plumb/core/utf8.hpp"

#include <array>
#include <cstdint>

namespace plumb::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Code points that XML 1.0 forbids (controls but tab, newline and return; U+FFFE, U+FFFF) or
// discourages (DEL and the C1 controls, the noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of
// every plane). Replacing them keeps every writer's output well-formed and displayable.
bool is_unwanted(std::uint32_t code) {
  if (code < 0x20) {
    return code != '\t' && code != '\n' && code != '\r';
  }
  return (code >= 0x7F && code <= 0x9F) || (code >= 0xFDD0 && code <= 0xFDEF) || (code & 0xFFFE) == 0xFFFE;
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    std::uint32_t code = 0;
    const std::size_t length = core::utf8_sequence_length(text, at, code);
    if (length == 0) {
      out += kReplacement;
      ++at;
      continue;
    }
    if (is_unwanted(code)) {
      out += kReplacement;
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

namespace {

// How one markup language spells what may not stand as itself.
struct Markup {
  std::string_view apostrophe;  // HTML 4 has no &apos;: "&#39;"; XML: "&apos;".
  bool attribute_whitespace;    // Newlines and tabs as references, which an XML attribute needs to keep them.
  bool carriage_return;         // A CR as "&#13;", which an XML parser would otherwise drop.
};

std::string escape_markup(std::string_view text, const Markup& markup) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : sanitize_utf8(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += markup.apostrophe;
        break;
      case '\n':
        out += markup.attribute_whitespace ? "&#10;" : "\n";
        break;
      case '\r':
        out += markup.carriage_return ? "&#13;" : "\r";
        break;
      case '\t':
        out += markup.attribute_whitespace ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  return escape_markup(text, Markup{"&#39;", false, false});
}

std::string escape_xml(std::string_view text, bool for_attribute) {
  return escape_markup(text, Markup{"&apos;", for_attribute, true});
}

std::string json_for_script_block(nlohmann::json document) {
  const std::string text = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  document = nullptr;
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (text.compare(at, 3, "\xE2\x80\xA8") == 0) {
      out += "\\u2028";
      at += 2;
    } else if (text.compare(at, 3, "\xE2\x80\xA9") == 0) {
      out += "\\u2029";
      at += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~' || byte == '/';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::optional<std::string> relative_href(std::string_view path) {
  if (path.empty()) {
    return std::nullopt;
  }
  // Every ':' is encoded, so the result never has a scheme; a leading "//" would be a
  // network-path reference, so it is prefixed with "./" to stay a path.
  std::string href = percent_encode_path(path);
  if (href.starts_with("//")) {
    href = "./" + href;
  }
  return href;
}

}  // namespace plumb::reports
