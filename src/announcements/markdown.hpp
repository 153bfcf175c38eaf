// Safe rendering of announcement bodies (B6.4). Authors write plain text or a
// small Markdown subset; the output is HTML built only from our own tags, with
// every character of the author's text escaped — raw HTML in a body shows as
// text, never as markup, and links only ever point to http(s), mailto or
// same-site paths.
//
// Markdown subset: paragraphs (blank line), line breaks, "#", "##", "###"
// headings, "-", "*", "+" bullet lists, "1." numbered lists, "> " quotes,
// "---" rules; inline **bold**, *italic*, `code`, [text](url).
#pragma once

#include <string>
#include <string_view>

namespace hall::announcements {

std::string escape_html(std::string_view text);
std::string render_markdown(std::string_view text);
// Plain text: escaped, paragraphs on blank lines, <br> on single newlines.
std::string render_plain(std::string_view text);
// The first `max_chars` characters of the text, without Markdown markers, on one line.
std::string plain_excerpt(std::string_view text, std::size_t max_chars = 120);

}  // namespace hall::announcements
