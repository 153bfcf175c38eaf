#include "wiring/openapi.hpp"

#include <stdexcept>

namespace hall {

namespace {
json::value merge() {
  json::object doc;
  json::object paths, schemas;
  for (const auto& part : embedded_openapi_parts()) {
    boost::system::error_code ec;
    json::value v = json::parse(part.content, ec);
    if (ec || !v.is_object())
      throw std::runtime_error(std::string("docs/openapi/") + part.file_name +
                               " is not valid JSON");
    for (auto& [key, value] : v.as_object()) {
      if (key == "paths") {
        for (auto& [path, ops] : value.as_object()) {
          auto& target = paths[path];
          if (target.is_null()) target = json::object{};
          for (auto& [method, op] : ops.as_object()) {
            if (target.as_object().contains(method))
              throw std::runtime_error("OpenAPI: " + std::string(method) + " " + std::string(path) +
                                       " described twice");
            target.as_object()[method] = op;
          }
        }
      } else if (key == "components") {
        if (auto* s = value.as_object().if_contains("schemas"))
          for (auto& [name, schema] : s->as_object()) schemas[name] = schema;
      } else {
        doc[key] = value;
      }
    }
  }
  doc["paths"] = paths;
  json::object components =
      doc.contains("components") ? doc["components"].as_object() : json::object{};
  json::object all_schemas =
      components.contains("schemas") ? components["schemas"].as_object() : json::object{};
  for (auto& [k, v] : schemas) all_schemas[k] = v;
  components["schemas"] = all_schemas;
  doc["components"] = components;
  return doc;
}
}  // namespace

const json::value& openapi_document() {
  static const json::value doc = merge();
  return doc;
}

}  // namespace hall
