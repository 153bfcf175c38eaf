// The forbidden phrasings Hall ships with: the five of B1 with their variants,
// "I don't know" (B6.1: the first responder names the office instead) and a few
// common brush-offs (B2). Filled into courtesy_phrases once per database.
#pragma once

#include <string>
#include <vector>

#include "courtesy/model.hpp"

namespace hall::courtesy {

struct BuiltinPhrase {
  Phrase phrase;
  std::string clause;  // the regulation clause
  std::string note;
};

const std::vector<BuiltinPhrase>& builtin_phrases();

}  // namespace hall::courtesy
