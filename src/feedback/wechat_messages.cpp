// The WeChat channel's use cases (C2): one verified message in, the reply out; the protocol is in
// wechat.hpp.
#include "feedback/items.hpp"

namespace hall::feedback {

using namespace detail;

// --- WeChat -------------------------------------------------------------------

std::string FeedbackService::wechat_message(const std::map<std::string, std::string>& msg,
                                            const std::string& nonce) {
  auto field = [&](const char* k) {
    auto it = msg.find(k);
    return it == msg.end() ? std::string() : it->second;
  };
  std::string openid = field("FromUserName");
  std::string type = field("MsgType");
  long long now = Clock::now();
  auth::Caller caller;
  caller.principal.login = "wechat:" + openid.substr(0, 64);
  caller.address = "wechat";
  return deps_.db->write([&](soci::session& s) -> std::string {
    // Replay protection: the nonce is remembered for the timestamp window.
    long long horizon = now - 2LL * deps_.config.wechat.timestamp_window_seconds * 1000;
    s << "DELETE FROM wechat_nonces WHERE seen_at < :h", soci::use(horizon);
    long long seen = 0;
    s << "SELECT COUNT(*) FROM wechat_nonces WHERE nonce = :n", soci::use(nonce), soci::into(seen);
    if (seen) throw errors::replayed_nonce();
    s << "INSERT INTO wechat_nonces (nonce, seen_at) VALUES (:n, :t)", soci::use(nonce),
        soci::use(now);

    if (openid.empty() || openid.size() > 128) return "";
    if (type == "event") {
      if (field("Event") == "subscribe")
        return "欢迎关注学生事务服务大厅！发送“投诉+内容”或“建议+内容”提交投诉建议，发送“查询 "
               "追踪号”查询进度。";
      return "";
    }
    if (type != "text")
      return "您好！本公众号可受理文字投诉和建议：发送“投诉+内容”或“建议+内容”，发送“查询 "
             "追踪号”查询进度。";
    WechatIntent in = classify_wechat_text(field("Content"));
    std::optional<long long> student;
    {
      long long sid = 0;
      soci::indicator ind;
      s << "SELECT student_id FROM wechat_bindings WHERE openid = :o", soci::use(openid),
          soci::into(sid, ind);
      if (s.got_data()) student = sid;
    }
    switch (in.kind) {
      case WechatIntent::complaint:
      case WechatIntent::suggestion: {
        if (in.text.empty() || !is_valid_utf8(in.text) || utf8_length(in.text) > 2000)
          return in.kind == WechatIntent::complaint
                     ? "请在“投诉”后写明投诉内容，例如：投诉 某窗口工作人员态度不好。"
                     : "请在“建议”后写明建议内容，例如：建议 延长中午开放时间。";
        std::string clean;
        for (char ch : in.text)
          if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\n' || ch == '\t') clean += ch;
        std::string kind = in.kind == WechatIntent::complaint ? "complaint" : "suggestion";
        std::string phone = student ? student_phone(s, *student) : std::string();
        auto created = create(s, caller, kind, "other", "wechat", clean, student, "", phone, openid,
                              nullptr, nullptr, now);
        std::string no = created.at("tracking_no").as_string().c_str();
        return fmt::format(
            "已收到您的{}，追踪号：{}。我们将在 {} 个工作日内反馈，发送“查询 {}”可查看进度。",
            kind == "complaint" ? "投诉" : "建议", no, kFeedbackWorkingDays, no);
      }
      case WechatIntent::query: {
        auto it = load(s, "f.tracking_no = :t", {normalize_tracking_no(in.text)});
        std::optional<std::string> owner;
        if (it)
          s << "SELECT wechat_openid FROM feedback_items WHERE id = :i", soci::use(it->id),
              soci::into(owner);
        // Only the sender (or the bound student who filed it) may query.
        if (!it || !((owner && *owner == openid) || (student && it->student_id == student)))
          return "未找到该追踪号对应的投诉建议，请核对后再试。";
        static const std::map<std::string, std::string> names = {{"received", "已受理"},
                                                                 {"assigned", "已分派处理人"},
                                                                 {"investigating", "调查处理中"},
                                                                 {"answered", "已反馈"},
                                                                 {"closed", "已办结"}};
        std::string text = "追踪号 " + it->tracking_no + "：" + names.at(it->status) + "。";
        if (it->findings) text += "\n调查结果：" + *it->findings;
        if (it->handling) text += "\n处理意见：" + *it->handling;
        return text;
      }
      case WechatIntent::bind: {
        // Six digits: guesses are limited per WeChat account, and codes live kBindCodeLifetimeMs.
        if (std::int64_t wait = bind_by_openid_.retry_after_ms(openid, now); wait > 0)
          return fmt::format("绑定码错误次数过多，请 {} 分钟后再试。", (wait + 59999) / 60000);
        long long sid = 0;
        soci::indicator ind;
        s << "DELETE FROM wechat_bind_codes WHERE expires_at < :n", soci::use(now);
        s << "SELECT student_id FROM wechat_bind_codes WHERE code = :c AND expires_at >= :n",
            soci::use(in.text), soci::use(now), soci::into(sid, ind);
        if (!s.got_data() || in.text.empty()) {
          bind_by_openid_.record_failure(openid, now);
          return "绑定码无效或已过期，请在网上服务大厅重新获取。";
        }
        bind_by_openid_.clear(openid);
        s << "DELETE FROM wechat_bind_codes WHERE code = :c", soci::use(in.text);
        s << "DELETE FROM wechat_bindings WHERE openid = :o", soci::use(openid);
        s << "INSERT INTO wechat_bindings (openid, student_id, bound_at) VALUES (:o, :s, :t)",
            soci::use(openid), soci::use(sid), soci::use(now);
        auth::audit(s, caller, "wechat.bind", "user", std::to_string(sid));
        return "绑定成功！此后您通过公众号提交的投诉建议将关联到您的账户。";
      }
      case WechatIntent::help:
        break;
    }
    return "您好！发送“投诉+内容”或“建议+内容”提交投诉建议，发送“查询 追踪号”查询进度，发送“绑定 "
           "绑定码”关联学生账户。";
  });
}

}  // namespace hall::feedback
