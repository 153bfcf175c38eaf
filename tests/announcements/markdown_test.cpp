// Safe rendering of announcement bodies (announcements/markdown.hpp, B6.4):
// the Markdown subset, HTML and script injection kept inert, plain excerpts.
#include <gtest/gtest.h>

#include <string>

#include "announcements/markdown.hpp"

namespace hall::announcements {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(AnnouncementsMarkdown, RendersTheSubset) {
  struct Row {
    const char *in, *out;
  } rows[] = {
      {"你好", "<p>你好</p>\n"},
      {"a\nb\n\nc", "<p>a<br>b</p>\n<p>c</p>\n"},
      {"# 标题", "<h2>标题</h2>\n"},
      {"### 小标题", "<h4>小标题</h4>\n"},
      {"#### 四级", "<p>#### 四级</p>\n"},
      {"- 一\n- 二", "<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n"},
      {"1. 一\n2. 二", "<ol>\n<li>一</li>\n<li>二</li>\n</ol>\n"},
      {"**粗** 和 *斜* 和 `代码`", "<p><strong>粗</strong> 和 <em>斜</em> 和 <code>代码</code></p>\n"},
      {"[网站](https://xsc.hut.edu.cn/)",
       "<p><a href=\"https://xsc.hut.edu.cn/\" rel=\"nofollow noopener noreferrer\">网站</a></p>\n"},
      {"[大厅](/hall/hours)", "<p><a href=\"/hall/hours\" rel=\"nofollow noopener noreferrer\">大厅</a></p>\n"},
      {"> 注意", "<blockquote>注意</blockquote>\n"},
      {"---", "<hr>\n"},
      {"2 * 3 * 4", "<p>2 * 3 * 4</p>\n"},
      {"snake_case_name", "<p>snake_case_name</p>\n"},
  };
  for (const auto& r : rows) EXPECT_EQ(render_markdown(r.in), r.out) << r.in;
}

TEST(AnnouncementsMarkdown, HtmlAndScriptInjectionIsInert) {
  const char* attacks[] = {
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "[点我](javascript:alert(1))",
      "[点我](JavaScript:alert(1))",
      "[点我](//evil.example/x)",
      "[点我](data:text/html;base64,PHNjcmlwdD4=)",
      "[x](https://a.example/\"onmouseover=\"alert(1))",
      "**<b onclick=alert(1)>粗</b>**",
      "`<script>`",
      "# <iframe src=https://evil.example>",
      "- <a href=\"javascript:alert(1)\">x</a>",
      "<<script>script>alert(1)<</script>/script>",
  };
  for (const char* a : attacks) {
    for (const std::string& html : {render_markdown(a), render_plain(a)}) {
      SCOPED_TRACE(std::string(a) + " → " + html);
      EXPECT_FALSE(has(html, "<script")) << html;
      EXPECT_FALSE(has(html, "<img")) << html;
      EXPECT_FALSE(has(html, "<iframe")) << html;
      EXPECT_FALSE(has(html, "<b ")) << html;
      EXPECT_FALSE(has(html, "href=\"javascript")) << html;
      EXPECT_FALSE(has(html, "href=\"JavaScript")) << html;
      EXPECT_FALSE(has(html, "href=\"//")) << html;
      EXPECT_FALSE(has(html, "href=\"data:")) << html;
      EXPECT_FALSE(has(html, "onmouseover=\"")) << html;
      // Every '<' in the output opens one of our own tags.
      for (std::size_t p = html.find('<'); p != std::string::npos; p = html.find('<', p + 1)) {
        std::string tag = html.substr(p, 12);
        bool ours = false;
        for (const char* t : {"<p>", "</p>", "<br>", "<h2>", "</h2>", "<h3>", "</h3>", "<h4>", "</h4>", "<ul>", "</ul>",
                              "<ol>", "</ol>", "<li>", "</li>", "<strong>", "</strong>", "<em>", "</em>", "<code>",
                              "</code>", "<blockquote>", "</blockquote>", "<hr>", "<a href=\"http", "</a>"})
          ours = ours || tag.rfind(t, 0) == 0;
        EXPECT_TRUE(ours) << tag;
      }
    }
  }
  EXPECT_TRUE(has(render_markdown("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(render_markdown("[点我](javascript:alert(1))"), "<p>点我</p>\n");
}

TEST(AnnouncementsMarkdown, ExcerptIsPlainAndShort) {
  EXPECT_EQ(announcements::plain_excerpt("# 标题\n\n**一**二三", 5), "标题 一二…");
  EXPECT_EQ(announcements::plain_excerpt("短", 10), "短");
}

}  // namespace
}  // namespace hall::announcements
