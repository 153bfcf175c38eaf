// The OpenAPI 3 description of the API is kept in docs/openapi/, one JSON file
// per capability ({"paths":…, "components":…}; 00-info.json holds the header),
// compiled into the binary and merged into one document served at
// /api/v1/openapi.json. A test checks that every registered route is described.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"

namespace hall {

struct EmbeddedFile {
  const char* file_name;
  const char* content;
};
const std::vector<EmbeddedFile>& embedded_openapi_parts();

// The merged document (throws if a fragment is not valid JSON or two fragments describe the same
// path+method).
const json::value& openapi_document();

}  // namespace hall
