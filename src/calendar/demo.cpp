#include "calendar/demo.hpp"

#include <optional>
#include <string>

#include "auth/store.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "db/optional.hpp"

namespace hall::calendar {

namespace {

struct ClosureSeed {
  const char *first, *last, *name, *kind, *note;
};
const ClosureSeed kClosures[] = {
    {"2026-07-11", "2026-08-30", "2026年暑假", "summer", "暑假期间大厅闭厅,急事请拨打值班电话 0731-22180000"},
    {"2026-12-18", "2026-12-18", "大厅消防设施检修", "other", "当日暂停现场服务,线上事项照常受理"},
    {"2027-01-16", "2027-02-28", "2027年寒假", "winter", "寒假期间大厅闭厅,开学前一周恢复服务"},
};

struct AnnouncementSeed {
  const char *title, *body;
  int from_days_ago;        // publish_from = now - days
  int until_days_from_now;  // 0: no end
  bool pinned, published;
};
const AnnouncementSeed kAnnouncements[] = {
    {"2027年寒假大厅开放安排",
     "各位同学:\n\n根据学校校历,学生事务服务大厅寒假期间安排如下:\n\n"
     "- **闭厅时间**:2027年1月16日至2月28日\n"
     "- **最后办理日**:2027年1月15日(周五)17:30 前\n"
     "- 寒假期间如需办理在读证明、成绩单,请使用线上服务\n\n"
     "急事请拨打值班电话 `0731-22180000`。\n\n学生事务中心",
     3, 90, true, true},
    {"学生证补办流程调整的通知",
     "自本通知发布之日起,学生证补办调整为:\n\n"
     "1. 在线提交补办申请并上传一寸证件照\n"
     "2. 学院审核(1 个工作日)\n"
     "3. 到 **5 号窗口** 领取新证,现场缴纳工本费 10 元\n\n"
     "原“先登报挂失”的要求取消。详见 [学生事务中心网站](https://xsc.hut.edu.cn/)。",
     12, 0, false, true},
    {"火车票优惠卡充磁通知",
     "寒假将至,需要为火车票学生优惠卡充磁的同学,请于 **12月1日至1月10日** 工作时间携带学生证"
     "和优惠卡到 2 号窗口办理。\n\n> 每学年仅可享受 4 次单程优惠,请合理安排行程。",
     5, 60, false, true},
    {"2026年暑假大厅开放安排",
     "2026年7月11日至8月30日暑假期间大厅闭厅,8月31日起恢复正常服务。",
     150, 0, false, true},
    {"(草稿)2027年春季学期开学报到安排", "内容待教务处确认后发布。", 0, 0, false, false},
};

}  // namespace

void seed_demo(soci::session& s, std::int64_t hall_id) {
  long long now = Clock::now(), hall = hall_id;
  for (const auto& c : kClosures)
    store::insert_closure(s, ClosureRecord{0, hall, Date::parse(c.first), Date::parse(c.last), c.name, c.kind, c.note, 0},
                          now);
  std::optional<long long> author;
  if (auto id = auth::store::find_user_id_by_login(s, "teacher")) author = *id;
  // The demo announcements are the announcements module's table (kept here from before
  // that module existed; its owner may move them to announcements' demo data).
  const long long day = 24LL * 3600 * 1000;
  for (const auto& a : kAnnouncements) {
    std::string title = a.title, body = a.body, format = "markdown";
    int published = a.published ? 1 : 0, pinned = a.pinned ? 1 : 0;
    std::optional<long long> from, until, h;
    if (a.published) from = now - a.from_days_ago * day;
    if (a.until_days_from_now) until = now + a.until_days_from_now * day;
    if (a.pinned) h = hall;  // the hall's own; the others concern every hall
    s << "INSERT INTO announcements (hall_id, title, body, format, published, publish_from, publish_until, pinned, "
         "author_id, created_at, updated_at) VALUES (:h, :t, :b, :f, :p, :pf, :pu, :pin, :a, :c, :u)",
        soci::use(h), soci::use(title), soci::use(body), soci::use(format), soci::use(published), soci::use(from),
        soci::use(until), soci::use(pinned), soci::use(author), soci::use(now), soci::use(now);
  }
}

}  // namespace hall::calendar
