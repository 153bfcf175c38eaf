#include "documents/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace hall::documents {

namespace {

constexpr double kMarginX = 72;          // ≈ 25 mm
constexpr double kContentTop = 96;       // below the header
constexpr double kFooterTop = kA4Height - 118;
constexpr double kBodyPt = 14;           // 四号
constexpr double kLineSpacing = 1.5;
constexpr const char* kSerif = "Noto Serif CJK SC";
constexpr const char* kSans = "Noto Sans CJK SC";

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

}  // namespace

std::string chinese_number(std::size_t n) {
  static const char* const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n == 0 || n > 99) return std::to_string(n);
  if (n < 10) return digits[n];
  std::string s = n / 10 == 1 ? "" : digits[n / 10];
  s += "十";
  if (n % 10) s += digits[n % 10];
  return s;
}

std::string list_marker(std::size_t index) { return "（" + chinese_number(index + 1) + "）"; }

namespace {
// One font map for the process. pango_cairo_create_layout would use the
// calling thread's default font map, and Pango keeps one per thread, each with
// its own fontconfig sets and FreeType faces of the CJK fonts. Pango font maps
// are not thread-safe: this one is used only on the render thread below.
PangoFontMap* font_map() {
  static PangoFontMap* map = pango_cairo_font_map_new();  // lives as long as the process
  return map;
}

// pango_cairo_create_layout(cr) on the shared font map: a fresh, cheap context
// that takes the cairo context's transformation and font options.
PangoLayout* create_layout(cairo_t* cr) {
  PangoContext* ctx = pango_font_map_create_context(font_map());
  pango_cairo_update_context(cr, ctx);
  PangoLayout* l = pango_layout_new(ctx);
  g_object_unref(ctx);  // the layout keeps its own reference
  return l;
}


class Typesetter {
 public:
  Typesetter(cairo_t* cr, const RenderInfo& info, int total_pages) : cr_(cr), info_(info), total_(total_pages) {}

  void run(const Layout& layout) {
    start_page();
    title(layout.title);
    for (const Block& b : layout.blocks) block(b);
    finish_page();
  }
  int pages() const { return page_; }

 private:
  double width() const { return kA4Width - 2 * kMarginX; }

  LayoutPtr make(const std::string& markup, const char* family, double size, bool bold = false, double w = -1) {
    LayoutPtr l(create_layout(cr_));
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l.get(), fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l.get(), static_cast<int>((w < 0 ? width() : w) * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_markup(l.get(), markup.c_str(), -1);
    return l;
  }
  static double height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void start_page() {
    ++page_;
    y_ = kContentTop;
    // Header: the hall, the document number, a rule.
    cairo_set_source_rgb(cr_, 0.25, 0.25, 0.25);
    auto hall = make(esc(info_.hall_name), kSans, 9.5, false, width() / 2);
    cairo_move_to(cr_, kMarginX, 48);
    pango_cairo_show_layout(cr_, hall.get());
    auto no = make(esc("编号：" + info_.number), kSans, 9.5, false, width() / 2);
    pango_layout_set_alignment(no.get(), PANGO_ALIGN_RIGHT);
    cairo_move_to(cr_, kMarginX + width() / 2, 48);
    pango_cairo_show_layout(cr_, no.get());
    cairo_set_line_width(cr_, 0.8);
    cairo_move_to(cr_, kMarginX, 68);
    cairo_line_to(cr_, kA4Width - kMarginX, 68);
    cairo_stroke(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  void finish_page() {
    footer();
    if (info_.revoked) watermark();
    cairo_show_page(cr_);
  }

  void new_page() {
    finish_page();
    start_page();
  }

  // Starts a new page when h more points do not fit (unless the page is still empty).
  void need(double h) {
    if (y_ + h > kFooterTop - 12 && y_ > kContentTop + 0.5) new_page();
  }

  void title(const std::string& text) {
    if (text.empty()) return;
    auto l = make("<span letter_spacing=\"6144\">" + esc(text) + "</span>", kSerif, 24, true);
    pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
    y_ += 14;
    cairo_move_to(cr_, kMarginX, y_);
    pango_cairo_show_layout(cr_, l.get());
    y_ += height(l.get()) + 24;
  }

  // Draws a layout line by line, breaking to a new page between lines when needed.
  void flow(PangoLayout* l, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    double origin = y_;  // where the layout's top is on the current page
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double top = static_cast<double>(logical.y) / PANGO_SCALE;
      double bottom = static_cast<double>(logical.y + logical.height) / PANGO_SCALE;
      if (origin + bottom > kFooterTop - 12 && origin + top > kContentTop + 0.5) {
        new_page();
        origin = kContentTop - top;
      }
      double baseline = static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
      cairo_move_to(cr_, x + static_cast<double>(logical.x) / PANGO_SCALE, origin + baseline);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
      y_ = origin + bottom;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  void body(const std::string& markup, bool indent, double after = 8) {
    auto l = make(markup, kSerif, kBodyPt);
    pango_layout_set_line_spacing(l.get(), kLineSpacing);
    if (indent) pango_layout_set_indent(l.get(), static_cast<int>(2 * kBodyPt * PANGO_SCALE));
    pango_layout_set_justify(l.get(), TRUE);
    flow(l.get(), kMarginX);
    y_ += after;
  }

  void block(const Block& b) {
    switch (b.kind) {
      case Block::Kind::paragraph: body(b.markup, true); break;
      case Block::Kind::plain: body(b.markup, false); break;
      case Block::Kind::heading: {
        auto l = make(b.markup, kSans, 14.5, true);
        need(height(l.get()) + 40);  // keep a heading with what follows
        y_ += 6;
        flow(l.get(), kMarginX);
        y_ += 8;
        break;
      }
      case Block::Kind::note: {
        auto l = make(b.markup, kSans, 9.5);
        pango_layout_set_line_spacing(l.get(), 1.3);
        cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
        flow(l.get(), kMarginX);
        cairo_set_source_rgb(cr_, 0, 0, 0);
        y_ += 6;
        break;
      }
      case Block::Kind::spacer: y_ += b.points; break;
      case Block::Kind::list: {
        for (std::size_t i = 0; i < b.items.size(); ++i) {
          std::string prefix = list_marker(i);
          auto l = make(prefix + b.items[i], kSerif, kBodyPt);
          pango_layout_set_line_spacing(l.get(), kLineSpacing);
          // Hanging indent: wrapped lines start under the text, not the numeral.
          pango_layout_set_indent(l.get(), static_cast<int>(-2 * kBodyPt * PANGO_SCALE));
          flow(l.get(), kMarginX);
          y_ += 4;
        }
        y_ += 4;
        break;
      }
      case Block::Kind::fields: {
        std::vector<std::vector<std::string>> rows;
        for (const auto& [k, v] : b.fields) rows.push_back({k, v});
        grid({}, rows, {0.28, 0.72});
        break;
      }
      case Block::Kind::table: {
        std::vector<double> cols(std::max<std::size_t>(1, b.header.size()), 1.0 / std::max<std::size_t>(1, b.header.size()));
        grid(b.header, b.rows, cols);
        break;
      }
      case Block::Kind::signature: {
        need(76);
        y_ += 18;
        for (const std::string& line : {b.unit, b.date}) {
          if (line.empty()) continue;
          auto l = make(esc(line), kSerif, kBodyPt, false, width() - 2 * kBodyPt);
          pango_layout_set_alignment(l.get(), PANGO_ALIGN_RIGHT);
          cairo_move_to(cr_, kMarginX, y_);
          pango_cairo_show_layout(cr_, l.get());
          y_ += height(l.get()) + 8;
        }
        y_ += 10;
        break;
      }
    }
  }

  // A bordered table; the first column of a fields block is shaded as labels.
  void grid(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
            const std::vector<double>& fractions) {
    constexpr double pad = 5;
    bool label_column = header.empty();
    auto draw_row = [&](const std::vector<std::string>& cells, bool bold_row) {
      std::vector<LayoutPtr> ls;
      double h = 0;
      for (std::size_t c = 0; c < fractions.size(); ++c) {
        double w = width() * fractions[c] - 2 * pad;
        bool bold = bold_row || (label_column && c == 0);
        ls.push_back(make(esc(c < cells.size() ? cells[c] : ""), bold ? kSans : kSerif, 12, bold, w));
        pango_layout_set_line_spacing(ls.back().get(), 1.2);
        h = std::max(h, height(ls.back().get()));
      }
      double row_h = h + 2 * pad;
      need(row_h);
      double x = kMarginX;
      for (std::size_t c = 0; c < fractions.size(); ++c) {
        double w = width() * fractions[c];
        if (bold_row || (label_column && c == 0)) {
          cairo_set_source_rgb(cr_, 0.94, 0.94, 0.94);
          cairo_rectangle(cr_, x, y_, w, row_h);
          cairo_fill(cr_);
          cairo_set_source_rgb(cr_, 0, 0, 0);
        }
        cairo_set_line_width(cr_, 0.7);
        cairo_rectangle(cr_, x, y_, w, row_h);
        cairo_stroke(cr_);
        cairo_move_to(cr_, x + pad, y_ + pad);
        pango_cairo_show_layout(cr_, ls[c].get());
        x += w;
      }
      y_ += row_h;
    };
    if (!header.empty()) draw_row(header, true);
    for (const auto& r : rows) draw_row(r, false);
    y_ += 14;
  }

  void qr(double x, double y, double size) {
    QRcode* q = QRcode_encodeString(info_.verify_url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) throw std::runtime_error("QR encoding failed");
    double m = size / q->width;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    for (int r = 0; r < q->width; ++r)
      for (int c = 0; c < q->width; ++c)
        if (q->data[r * q->width + c] & 1) cairo_rectangle(cr_, x + c * m, y + r * m, m + 0.02, m + 0.02);
    cairo_fill(cr_);
    QRcode_free(q);
  }

  void footer() {
    double top = kFooterTop;
    cairo_set_source_rgb(cr_, 0.25, 0.25, 0.25);
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, kMarginX, top);
    cairo_line_to(cr_, kA4Width - kMarginX, top);
    cairo_stroke(cr_);
    constexpr double qr_size = 72;
    qr(kA4Width - kMarginX - qr_size, top + 12, qr_size);
    double text_w = width() - qr_size - 16;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    auto code = make("验证码：<b>" + esc(format_code(info_.code)) + "</b>",
                     kSans, 12, false, text_w);
    cairo_move_to(cr_, kMarginX, top + 14);
    pango_cairo_show_layout(cr_, code.get());
    double y = top + 14 + height(code.get()) + 4;
    cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
    auto how = make(esc("扫描右侧二维码，或访问 " + info_.verify_url +
                        " ，可核验本文件是否真实有效。本文件由系统根据登记记录生成，涂改无效。"),
                    kSans, 8.5, false, text_w);
    pango_layout_set_line_spacing(how.get(), 1.25);
    cairo_move_to(cr_, kMarginX, y);
    pango_cairo_show_layout(cr_, how.get());
    auto page = make(esc(fmt::format("第 {} 页，共 {} 页", page_, std::max(total_, page_))), kSans, 8.5, false, width());
    pango_layout_set_alignment(page.get(), PANGO_ALIGN_CENTER);
    cairo_move_to(cr_, kMarginX, kA4Height - 28);
    pango_cairo_show_layout(cr_, page.get());
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  void watermark() {
    cairo_save(cr_);
    cairo_translate(cr_, kA4Width / 2, kA4Height / 2);
    cairo_rotate(cr_, -0.5);
    auto l = make("<span letter_spacing=\"20480\">已作废</span>", kSans, 96, true, 600);
    pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
    cairo_set_source_rgba(cr_, 0.8, 0.1, 0.1, 0.35);
    cairo_move_to(cr_, -300, -height(l.get()) / 2);
    pango_cairo_show_layout(cr_, l.get());
    auto en = make("REVOKED", kSans, 28, true, 600);
    pango_layout_set_alignment(en.get(), PANGO_ALIGN_CENTER);
    cairo_move_to(cr_, -300, height(l.get()) / 2 + 6);
    pango_cairo_show_layout(cr_, en.get());
    cairo_restore(cr_);
  }

  cairo_t* cr_;
  const RenderInfo& info_;
  int total_;
  int page_ = 0;
  double y_ = 0;
};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Every PDF is typeset on one thread of its own, one document at a time, and
// the handler thread waits for it. Two reasons, both measured with
// bench/pdf_memory.sh (docs/benchmarks.md): Pango keeps a default font map per
// thread (see font_map()), and embedding a CJK font makes cairo read the whole
// font (tens of MB) into buffers that glibc's malloc keeps in the arena of the
// thread that used them. Rendered on each of the 16 handler threads, that was
// 16 arenas full of font buffers: 27 MB idle became about 690 MB. On one
// thread the buffers are reused from one arena.
class RenderThread {
 public:
  template <typename F>
  auto run(F&& job) -> decltype(job()) {
    using Result = decltype(job());
    auto task = std::make_shared<std::packaged_task<Result()>>(std::forward<F>(job));
    std::future<Result> done = task->get_future();
    {
      std::lock_guard lk(mu_);
      if (!started_) {
        std::thread([this] { loop(); }).detach();  // lives as long as the process
        started_ = true;
      }
      jobs_.push_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return done.get();  // rethrows what the job threw
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool started_ = false;
};

RenderThread& render_thread() {
  static RenderThread* t = new RenderThread;  // never destroyed: its thread outlives static destruction
  return *t;
}

// Renders into out, or (out == nullptr) onto a recording surface only to count
// the pages (no fonts embedded, so the counting pass is cheap); returns the number of pages.
int render(const Layout& layout, const RenderInfo& info, int total, std::string* out) {
  cairo_surface_t* surface;
  if (out) {
    surface = cairo_pdf_surface_create_for_stream(append, out, kA4Width, kA4Height);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, (layout.title + " " + info.number).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, info.hall_name.c_str());
  } else {
    cairo_rectangle_t extents{0, 0, kA4Width, kA4Height};
    surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
  }
  cairo_t* cr = cairo_create(surface);
  // Unhinted metrics on both surfaces, so the counting pass breaks pages exactly as the PDF does.
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
  int pages = 0;
  try {
    Typesetter t(cr, info, total);
    t.run(layout);
    pages = t.pages();
  } catch (...) {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    throw;
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t st = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("PDF rendering failed: ") + cairo_status_to_string(st));
  return pages;
}

}  // namespace

int count_pages(const Layout& layout, const RenderInfo& info) {
  return render_thread().run([&] { return render(layout, info, 0, nullptr); });
}

std::string render_pdf(const Layout& layout, const RenderInfo& info) {
  return render_thread().run([&] {
    int total = render(layout, info, 0, nullptr);
    std::string out;
    render(layout, info, total, &out);
    return out;
  });
}

}  // namespace hall::documents
