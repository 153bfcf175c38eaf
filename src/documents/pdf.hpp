// The PDF renderer (B5: documents complete and legible): cairo's PDF surface
// with Pango and the Noto CJK fonts, A4 portrait. Every page carries the hall's
// header (hall name, document number), and a footer with the verification code,
// the verification address and a QR code (libqrencode) linking to it; a revoked
// document is stamped 已作废 on every page. The body is the template's layout
// (model.hpp), typeset with Chinese conventions: serif body text with the first
// line indented two characters, generous line spacing, the issuing unit and date
// right-aligned at the end.
#pragma once

#include <cstddef>
#include <string>

#include "documents/model.hpp"

namespace hall::documents {

struct RenderInfo {
  std::string hall_name;
  std::string number;      // HUT-ZM-2026-000123
  std::string code;        // the stored form (12 characters)
  std::string verify_url;  // https://hall.example/verify/<code>
  bool revoked = false;
};

// 1 → 一, 12 → 十二, 21 → 二十一 (1..99; others in Arabic digits).
std::string chinese_number(std::size_t n);
// A list's item marker. Lists sit inside the numbered sections (一、二、…), so
// they take the second level of Chinese official numbering: （一）（二）…
// (GB/T 9704), never the sections' own 一、 again.
std::string list_marker(std::size_t index);

// A4 in PostScript points.
inline constexpr double kA4Width = 595.2756, kA4Height = 841.8898;

// The PDF's bytes. Thread-safe: every document is typeset on one render thread
// of its own, one at a time (it is rare and quick), with one font map.
std::string render_pdf(const Layout& layout, const RenderInfo& info);
// Pages the document takes.
int count_pages(const Layout& layout, const RenderInfo& info);

}  // namespace hall::documents
