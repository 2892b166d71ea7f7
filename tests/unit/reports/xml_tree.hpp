// A minimal DOM built with expat, so tests read renderer XML back the way CI tools do.
#pragma once

#include <expat.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace plumb::reports::testing {

// One XML element: its name, attributes, text and child elements.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<std::unique_ptr<XmlElement>> children;

  // Children named `child_name`.
  std::vector<const XmlElement*> all(const std::string& child_name) const {
    std::vector<const XmlElement*> out;
    for (const auto& child : children) {
      if (child->name == child_name) {
        out.push_back(child.get());
      }
    }
    return out;
  }

  // The attribute `key`, or "" when absent.
  std::string attr(const std::string& key) const {
    const auto it = attributes.find(key);
    return it == attributes.end() ? "" : it->second;
  }
};

// Parses `xml` with expat; throws std::runtime_error with expat's message and line on bad XML.
inline std::unique_ptr<XmlElement> parse_xml(const std::string& xml) {
  struct State {
    std::unique_ptr<XmlElement> root;
    std::vector<XmlElement*> stack;
  } state;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto& s = *static_cast<State*>(data);
        auto element = std::make_unique<XmlElement>();
        element->name = name;
        for (int i = 0; attributes[i] != nullptr; i += 2) {
          element->attributes[attributes[i]] = attributes[i + 1];
        }
        XmlElement* raw = element.get();
        if (s.stack.empty()) {
          s.root = std::move(element);
        } else {
          s.stack.back()->children.push_back(std::move(element));
        }
        s.stack.push_back(raw);
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->stack.pop_back(); });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
    auto& s = *static_cast<State*>(data);
    if (!s.stack.empty()) {
      s.stack.back()->text.append(text, static_cast<std::size_t>(length));
    }
  });
  const auto status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1);
  if (status != XML_STATUS_OK) {
    const std::string message = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                                std::to_string(XML_GetCurrentLineNumber(parser));
    XML_ParserFree(parser);
    throw std::runtime_error(message);
  }
  XML_ParserFree(parser);
  return std::move(state.root);
}

}  // namespace plumb::reports::testing
