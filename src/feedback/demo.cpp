#include "feedback/demo.hpp"

#include <sstream>

#include "cases/demo.hpp"
#include "core/clock.hpp"
#include "db/optional.hpp"
#include "feedback/model.hpp"
#include "feedback/ratings.hpp"

namespace hall::feedback {

namespace {

struct ItemSeed {
  const char *kind, *category, *channel;
  int created_back, created_hour;  // working days before today, local hour
  const char* student_no;          // "" when not a student of the hall
  const char *contact_name, *contact_phone, *openid;
  const char* entered_by;  // login of the staff member at window 10 or on the phone line, or ""
  const char *target_unit, *target_college;
  int target_window;
  const char* target_staff;
  // The workflow as the desk, the student and the teacher drove it: assign:<login>,
  // start, answer, accept, dispute, close.
  const char* steps;
  const char* content;
  const char *findings, *handling;  // the (first) answer
  int upheld;                       // complaints: 1 / 0; -1 none
  const char* dispute_reason;
  const char *findings2, *handling2;  // the answer after the dispute
  int upheld2;
};

// clang-format off
const ItemSeed kItems[] = {
    {"complaint", "hall", "window", 8, 10, "2023001021", "", "", "", "staff09", "", "", 3, "staff03",
     "assign:staff09 start answer accept", "3 号窗口办理缴费证明时，工作人员答复不耐烦，让我自己去网上查。",
     "经调查并调阅当日录像，3 号窗口工作人员答复确有不耐心之处，情况属实。",
     "已对该工作人员进行提醒教育并纳入当月考核，缴费证明已为您补办完成，感谢您的监督。", 1, "", "", "", -1},
    {"complaint", "teaching", "web", 3, 14, "2023001022", "", "", "", "", "JWC", "", 0, "",
     "assign:staff10 start answer", "重修报名系统在截止日前一天无法登录，导致我错过报名。",
     "经与教务处核实，系统当日 14:00–16:00 升级维护，已在教务处网站提前公告。",
     "教务处已为当日受影响的同学开放补报名通道，您可于本周五前在系统中补报。", 0, "", "", "", -1},
    {"suggestion", "logistics", "wechat", 2, 11, "", "", "", "oDemoWechatUser0001", "", "HQBZ", "", 0, "",
     "assign:staff09 start", "建议学生宿舍区增设几处自助洗衣机，并支持校园卡支付。", "", "", -1, "", "", "", -1},
    {"complaint", "departments", "phone", 1, 9, "", "张女士", "13900001234", "", "staff10", "", "JSJ", 0, "",
     "assign:staff10", "家长来电：计算机学院通知补交的材料清单前后不一致，孩子跑了三趟。", "", "", -1, "", "", "",
     -1},
    {"suggestion", "hall", "web", 1, 16, "2023001023", "", "", "", "", "", "", 0, "", "",
     "建议大厅中午 12:00–13:00 保留一个综合窗口不休息，方便上午有课的同学。", "", "", -1, "", "", "", -1},
    {"complaint", "hall", "web", 10, 10, "2023001024", "", "", "", "", "", "", 5, "staff05",
     "assign:staff09 start answer dispute assign:teacher answer close",
     "5 号窗口办理户籍迁移时，材料清单上没写要派出所证明，第二次去才告知。",
     "经核实，当日工作人员已按清单告知，所需证明属于个案补充材料。", "请您按补充材料清单办理，如有疑问可来电咨询。", 0,
     "第一次去时工作人员确实没有告知，清单上也没有这项材料。",
     "经负责老师复查一次性告知书存档，首次告知遗漏派出所证明，情况属实。",
     "已责成 5 号窗口更新材料清单并对工作人员进行约谈，向您致歉，后续事项由负责老师跟进。", 1},
    // About window 9 and staff09 of 学生事务中心, the unit at window 10: the teacher's (C3).
    {"praise", "hall", "wechat", 5, 15, "", "", "", "oDemoWechatUser0002", "", "", "", 9, "staff09",
     "assign:teacher answer accept", "9 号窗口的黄老师耐心帮我查到了转专业的政策，点赞！",
     "已将您的表扬转达 9 号窗口及学生事务中心。", "感谢您的肯定，我们会继续努力提供更好的服务。", -1, "", "", "",
     -1},
    {"complaint", "other", "phone", 4, 15, "", "李先生", "13800005678", "", "staff10", "", "", 0, "", "",
     "来电反映校门口快递点周末排队时间过长，希望增加人手。", "", "", -1, "", "", "", -1},
    {"suggestion", "teaching", "window", 6, 11, "2023001025", "", "", "", "staff09", "JWC", "", 0, "",
     "assign:staff10 start answer accept", "建议成绩单打印支持一次打印中英文两个版本。",
     "教务处已采纳该建议，自助打印机将于下月升级支持中英文成绩单。", "感谢您的建议，升级完成后将在大厅公告。", -1, "",
     "", "", -1},
    {"complaint", "logistics", "web", 7, 9, "2023001026", "", "", "", "", "HQBZ", "", 7, "", "assign:staff09 start answer dispute",
     "宿舍报修三次热水器仍未修好，后勤窗口一直说已派单。", "经查，维修单已派至物业公司，因配件缺货延迟。",
     "配件到货后物业将优先安排维修，预计三个工作日内完成。", 0, "已经等了两周，物业电话一直打不通，希望负责老师跟进。", "",
     "", -1},
};
// clang-format on

long long millis(calendar::Instant t) {
  return static_cast<long long>(t.time_since_epoch().count()) * 1000;
}
calendar::Instant instant(long long ms) {
  return calendar::Instant(std::chrono::seconds(ms / 1000));
}

std::optional<long long> id_where(soci::session& s, const std::string& sql,
                                  const std::string& key) {
  if (key.empty()) return std::nullopt;
  long long id = 0;
  s << sql, soci::use(key), soci::into(id);
  if (!s.got_data()) return std::nullopt;
  return id;
}

void event(soci::session& s, long long item, long long at, std::optional<long long> actor,
           const std::string& action, const std::string& note) {
  s << "INSERT INTO feedback_events (item_id, at, actor_id, action, note) VALUES (:i, :a, :u, :c, "
       ":n)",
      soci::use(item), soci::use(at), soci::use(actor), soci::use(action), soci::use(note);
}

}  // namespace

void seed_demo(soci::session& s, const calendar::HallCalendar& cal, std::int64_t now, int off,
               const std::vector<std::int64_t>& completed_cases) {
  auto user = [&](const std::string& login) {
    return id_where(s, "SELECT id FROM users WHERE login = :l", login);
  };
  int n = 0;
  for (const auto& it : kItems) {
    ++n;
    long long created =
        millis(cases::working_day_at(cal, now, it.created_back, it.created_hour * 3600));
    if (created >= now) continue;
    // C3 deadlines in working days from the creation, as FeedbackService::create computes them.
    long long ack_due = millis(cal.deadline_after_working_days(instant(created), kAckWorkingDays));
    long long fb_due =
        millis(cal.deadline_after_working_days(instant(created), kFeedbackWorkingDays));
    std::string kind = it.kind, category = it.category, channel = it.channel, content = it.content;
    std::optional<long long> student =
        id_where(s, "SELECT user_id FROM students WHERE student_no = :n", it.student_no);
    std::string name = it.contact_name, phone = it.contact_phone;
    if (student)
      s << "SELECT phone FROM students WHERE user_id = :u", soci::use(*student), soci::into(phone);
    std::optional<std::string> openid;
    if (*it.openid) openid = it.openid;
    auto unit = id_where(s, "SELECT id FROM units WHERE code = :c", it.target_unit);
    auto college = id_where(s, "SELECT id FROM colleges WHERE code = :c", it.target_college);
    std::optional<long long> window;
    if (it.target_window) {
      long long w = 0;
      s << "SELECT MIN(id) FROM windows WHERE number = :n", soci::use(it.target_window),
          soci::into(w);
      window = w;
    }
    auto staff = user(it.target_staff);
    auto entered_by = user(it.entered_by);
    std::string tracking =
        tracking_number(kind, local_date(created, off),
                        (static_cast<std::uint64_t>(n) * 0x9E3779B97F4A7C15ull) >> 14);
    std::string status = "received";
    s << "INSERT INTO feedback_items (tracking_no, kind, category, channel, status, content, "
         "student_id, contact_name, "
         "contact_phone, wechat_openid, target_unit_id, target_college_id, target_window_id, "
         "target_staff_id, "
         "entered_by, created_at, ack_due_at, feedback_due_at) VALUES (:t, :k, :c, :ch, :s, :co, "
         ":st, :n, :p, :o, :u, "
         ":cl, :w, :sf, :e, :now, :ad, :fd)",
        soci::use(tracking), soci::use(kind), soci::use(category), soci::use(channel),
        soci::use(status), soci::use(content), soci::use(student), soci::use(name),
        soci::use(phone), soci::use(openid), soci::use(unit), soci::use(college), soci::use(window),
        soci::use(staff), soci::use(entered_by), soci::use(created), soci::use(ack_due),
        soci::use(fb_due);
    long long id = 0;
    s << "SELECT id FROM feedback_items WHERE tracking_no = :t", soci::use(tracking),
        soci::into(id);
    event(s, id, created, entered_by ? entered_by : student, "received", "");

    // The workflow, step by step, through the same transition rule as the service.
    std::vector<std::string> steps;
    std::istringstream in(it.steps);
    for (std::string w; in >> w;) steps.push_back(w);
    long long at = created;
    bool disputed = false;
    int answers = 0;
    std::optional<long long> handler;
    for (const auto& step : steps) {
      // Each step two working hours after the last (within opening hours), never in the future.
      at = millis(cal.add_working_seconds(instant(at), 2 * 3600));
      if (at >= now) break;
      std::string verb = step.substr(0, step.find(':'));
      Action a = verb == "assign"    ? Action::assign
                 : verb == "start"   ? Action::start
                 : verb == "answer"  ? Action::answer
                 : verb == "accept"  ? Action::accept
                 : verb == "dispute" ? Action::dispute
                                     : Action::close;
      auto next = next_status(status, a, disputed);
      if (!next) break;  // a step the workflow does not allow: the data stops where the flow would
      if (a == Action::assign) {
        handler = user(step.substr(step.find(':') + 1));
        std::string st = status == "investigating" ? status : *next;
        s << "UPDATE feedback_items SET status = :s, handler_id = :h, acknowledged_at = "
             "COALESCE(acknowledged_at, :t) "
             "WHERE id = :i",
            soci::use(st), soci::use(handler), soci::use(at), soci::use(id);
        event(s, id, at, handler, "assigned", "");
        status = st;
        continue;
      }
      if (a == Action::start) {
        s << "UPDATE feedback_items SET status = :s WHERE id = :i", soci::use(*next), soci::use(id);
        event(s, id, at, handler, "investigating", "");
      } else if (a == Action::answer) {
        ++answers;
        std::string findings = answers == 1 ? it.findings : it.findings2;
        std::string handling = answers == 1 ? it.handling : it.handling2;
        int up = answers == 1 ? it.upheld : it.upheld2;
        std::optional<int> upheld;
        if (up >= 0) upheld = up;
        s << "UPDATE feedback_items SET status = :s, findings = :f, handling = :h, upheld = :u, "
             "answered_at = :t, "
             "handler_id = COALESCE(handler_id, :me), acknowledged_at = COALESCE(acknowledged_at, "
             ":t2) WHERE id = :i",
            soci::use(*next), soci::use(findings), soci::use(handling), soci::use(upheld),
            soci::use(at), soci::use(handler), soci::use(at), soci::use(id);
        event(s, id, at, handler, "answered", "");
      } else if (a == Action::accept) {
        std::string outcome = "accepted";
        s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i",
            soci::use(*next), soci::use(outcome), soci::use(at), soci::use(id);
        event(s, id, at, student, "accepted", "");
      } else if (a == Action::dispute) {
        // C3: disputed once → reopened, escalated to the teacher, a new feedback deadline.
        std::string reason = it.dispute_reason;
        long long due = millis(cal.deadline_after_working_days(instant(at), kFeedbackWorkingDays));
        s << "UPDATE feedback_items SET status = :s, disputed = 1, escalated = 1, dispute_reason = "
             ":r, handler_id = "
             "NULL, feedback_due_at = :d WHERE id = :i",
            soci::use(*next), soci::use(reason), soci::use(due), soci::use(id);
        event(s, id, at, student, "disputed", reason);
        disputed = true;
        handler.reset();
      } else {
        std::string outcome = "closed_after_dispute";
        auto teacher = user("teacher");
        s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i",
            soci::use(*next), soci::use(outcome), soci::use(at), soci::use(id);
        event(s, id, at, teacher, "closed", "");
      }
      status = *next;
    }
  }

  // B5: ratings of the completed demo cases but the latest, given in the portal two hours after
  // completion.
  const int levels[] = {2, 1, 1, 4, 3};
  for (std::size_t i = 0; i + 1 < completed_cases.size() && i < std::size(levels); ++i) {
    auto row = case_rating_row(s, completed_cases[i]);
    if (!row) continue;
    long long completed = 0;
    s << "SELECT completed_at FROM cases WHERE id = :i", soci::use(completed_cases[i]),
        soci::into(completed);
    row->level = levels[i];
    row->channel = "portal";
    row->created_at = std::min<long long>(completed + 2 * 3600000LL, now - 3600000LL);
    if (row->level == 4) {
      row->comment = "宿舍调换等了一周才有结果，希望能更快一些。";
      row->tags = "efficiency";
    } else if (row->level == 1) {
      row->tags = "attitude,efficiency";
    }
    long long visit_due =
        millis(cal.deadline_after_working_days(instant(row->created_at), kReturnVisitWorkingDays));
    insert_rating(s, *row, visit_due);
  }
}

}  // namespace hall::feedback
