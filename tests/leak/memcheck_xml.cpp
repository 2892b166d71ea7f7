#include "memcheck_xml.hpp"

namespace plumb::leak_test {

namespace {

// The text between the next <tag> and </tag> at or after `from`, advancing `from` past it.
bool next_element(const std::string& text, const std::string& tag, std::size_t& from, std::size_t end,
                  std::string& value) {
  const std::string open = "<" + tag + ">";
  const std::string close = "</" + tag + ">";
  const std::size_t begin = text.find(open, from);
  if (begin == std::string::npos || begin >= end) return false;
  const std::size_t stop = text.find(close, begin);
  if (stop == std::string::npos || stop > end) return false;
  value = text.substr(begin + open.size(), stop - begin - open.size());
  from = stop + close.size();
  return true;
}

}  // namespace

std::vector<MemcheckError> memcheck_errors(const std::string& xml) {
  std::vector<MemcheckError> errors;
  std::size_t position = 0;
  std::string body;
  while (next_element(xml, "error", position, xml.size(), body)) {
    MemcheckError error;
    std::size_t cursor = 0;
    next_element(body, "kind", cursor, body.size(), error.kind);
    std::string function;
    cursor = 0;
    while (next_element(body, "fn", cursor, body.size(), function)) error.functions.push_back(function);
    errors.push_back(std::move(error));
  }
  return errors;
}

bool mentions(const MemcheckError& error, const std::string& needle) {
  for (const std::string& function : error.functions) {
    if (function.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace plumb::leak_test
