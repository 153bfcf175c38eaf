#include "demo/seed.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "auth/password.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "reports/service.hpp"
#include "wiring/app.hpp"

namespace hall::demo {

namespace {

struct UnitSeed {
  const char *code, *name, *name_en, *phone, *location;
};
// The resident units (入驻单位) of a typical Chinese university hall, plus the
// Student Affairs Center itself, which runs the hall (D1–D10).
const UnitSeed kUnits[] = {
    {"XSSW", "学生事务中心", "Student Affairs Center", "0731-22180001", "学生事务服务大厅 101"},
    {"JWC", "教务处", "Academic Affairs Office", "0731-22180110", "行政楼 305"},
    {"CWC", "财务处", "Finance Office", "0731-22180220", "行政楼 210"},
    {"XGB", "学生工作部", "Student Work Department", "0731-22180330", "行政楼 402"},
    {"BWC", "保卫处", "Security Office", "0731-22180440", "保卫楼 102"},
    {"ZSJY", "招生就业处", "Admissions and Careers Office", "0731-22180550", "就业指导中心 201"},
    {"HQBZ", "后勤保障处", "Logistics Office", "0731-22180660", "后勤楼 108"},
    {"ZZB", "党委组织部", "Party Organisation Department", "0731-22180770", "行政楼 501"},
    {"TW", "校团委", "Youth League Committee", "0731-22180880", "大学生活动中心 302"},
    {"YJSY", "研究生院", "Graduate School", "0731-22180990", "研究生楼 210"},
};

struct WindowSeed {
  int number;
  const char *name, *name_en, *unit_code;
  bool complaints;
};
const WindowSeed kWindows[] = {
    {1, "教务综合窗口", "Academic services", "JWC", false},
    {2, "成绩与证明窗口", "Transcripts and certificates", "JWC", false},
    {3, "财务窗口", "Finance", "CWC", false},
    {4, "资助窗口", "Financial aid", "XGB", false},
    {5, "户籍与证件窗口", "Residence and ID", "BWC", false},
    {6, "就业窗口", "Careers", "ZSJY", false},
    {7, "后勤窗口", "Housing and logistics", "HQBZ", false},
    {8, "党团组织窗口", "Party and League", "ZZB", false},
    {9, "综合咨询窗口", "General inquiries", "XSSW", false},
    {10, "投诉与建议窗口", "Complaints and suggestions", "XSSW", true},  // C2: window 10
};

struct CollegeSeed {
  const char *code, *name, *name_en;
  const char* majors[3];
};
const CollegeSeed kColleges[] = {
    {"JX",
     "机械工程学院",
     "School of Mechanical Engineering",
     {"机械设计制造及其自动化", "车辆工程", "工业设计"}},
    {"JSJ",
     "计算机学院",
     "School of Computer Science",
     {"计算机科学与技术", "软件工程", "网络工程"}},
    {"DQ",
     "电气与信息工程学院",
     "School of Electrical and Information Engineering",
     {"电气工程及其自动化", "自动化", "通信工程"}},
    {"JM",
     "经济与贸易学院",
     "School of Economics and Trade",
     {"国际经济与贸易", "金融学", "经济学"}},
    {"SX", "商学院", "Business School", {"工商管理", "会计学", "市场营销"}},
    {"BZ",
     "包装设计艺术学院",
     "School of Packaging Design and Art",
     {"视觉传达设计", "产品设计", "环境设计"}},
    {"WY", "外国语学院", "School of Foreign Languages", {"英语", "日语", "翻译"}},
    {"LX", "理学院", "School of Science", {"数学与应用数学", "应用物理学", "信息与计算科学"}},
    {"TM", "土木工程学院", "School of Civil Engineering", {"土木工程", "工程管理", "建筑学"}},
    {"FX", "法学院", "School of Law", {"法学", "社会工作", "知识产权"}},
};

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                           "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                           "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
const char* kGiven[] = {"子涵", "欣怡", "浩然", "梓萱", "宇轩", "诗涵", "俊杰", "雨桐",
                        "博文", "思远", "佳怡", "明轩", "晓彤", "嘉豪", "若曦", "天佑",
                        "静怡", "志强", "心怡", "文博", "雅婷", "泽宇", "可馨", "一鸣"};

struct StaffSeed {
  const char *login, *name, *role, *staff_no, *unit_code, *badge, *password;
};
const StaffSeed kStaff[] = {
    {"admin", "系统管理员", "admin", "A0001", "XSSW", "", "admin123"},
    {"teacher", "周敏", "teacher", "T0001", "XSSW", "XS-001", "teacher123"},
    {"staff01", "李娟", "staff", "S0101", "JWC", "JW-101", "staff123"},
    {"staff02", "王磊", "staff", "S0102", "JWC", "JW-102", "staff123"},
    {"staff03", "陈静", "staff", "S0103", "CWC", "CW-103", "staff123"},
    {"staff04", "刘洋", "staff", "S0104", "XGB", "XG-104", "staff123"},
    {"staff05", "赵强", "staff", "S0105", "BWC", "BW-105", "staff123"},
    {"staff06", "孙丽", "staff", "S0106", "ZSJY", "ZS-106", "staff123"},
    {"staff07", "吴刚", "staff", "S0107", "HQBZ", "HQ-107", "staff123"},
    {"staff08", "郑芳", "staff", "S0108", "ZZB", "ZZ-108", "staff123"},
    {"staff09", "黄婷", "staff", "S0109", "XSSW", "XS-109", "staff123"},
    {"staff10", "何明", "staff", "S0110", "XSSW", "XS-110", "staff123"},
    {"jwc_head", "杨建国", "unit_head", "H0201", "JWC", "JW-001", "head1234"},
};

constexpr int kStudentCount = 300;

}  // namespace

const std::vector<DemoLogin>& demo_logins() {
  static const std::vector<DemoLogin> all = {
      {"admin", "admin", "admin123", "管理员 Administrator"},
      {"teacher", "teacher", "teacher123", "大厅负责老师 Responsible teacher"},
      {"staff", "staff01", "staff123", "教务处窗口 1 (staff01…staff10)"},
      {"unit_head", "jwc_head", "head1234", "教务处负责人 Head of Academic Affairs"},
      {"student", "2023001001", "student123", "学生 (2023001001…2023001300)"},
  };
  return all;
}

const std::vector<DemoDevice>& demo_devices() {
  static const std::vector<DemoDevice> all = {
      {"kiosk", "大厅自助取号机", "demo-kiosk-token-0001-hall-main"},
      {"board", "大厅叫号显示屏", "demo-board-token-0001-hall-main"},
      {"rating_pad", "1号窗口评价器", "demo-ratingpad-token-0001-window1"},
      {"checkin", "预约签到终端", "demo-checkin-token-0001-hall-main"},
  };
  return all;
}

bool database_is_empty(db::Database& db) {
  return db.read([](soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM users", soci::into(n);
    return n == 0;
  });
}

void seed(db::Database& db) {
  if (!database_is_empty(db))
    throw std::runtime_error(
        "the database already holds people; demo data is only filled into an empty database");
  // One Argon2id hash per distinct demo password (hashing is deliberately slow).
  std::map<std::string, std::string> hashes;
  auto hash_of = [&](const std::string& pw) -> const std::string& {
    auto it = hashes.find(pw);
    if (it == hashes.end()) it = hashes.emplace(pw, auth::hash_password(pw)).first;
    return it->second;
  };
  for (const auto& s : kStaff) hash_of(s.password);
  hash_of("student123");

  db.write([&](soci::session& s) {
    long long now = Clock::now();
    long long hall_id = 0;
    s << "INSERT INTO halls (code, name, name_en, address, phone, created_at) VALUES ('main', "
         "'湖南工业大学学生事务服务大厅', 'HUT Student Affairs Service Hall', "
         "'河北校区学生活动中心一楼', "
         "'0731-22180000', :t) RETURNING id",
        soci::use(now), soci::into(hall_id);
    std::map<std::string, long long> units;
    for (const auto& u : kUnits) {
      long long id = 0;
      std::string code = u.code, name = u.name, en = u.name_en, phone = u.phone, loc = u.location;
      s << "INSERT INTO units (code, name, name_en, phone, location, created_at) VALUES (:c, :n, "
           ":e, :p, :l, :t) "
           "RETURNING id",
          soci::use(code), soci::use(name), soci::use(en), soci::use(phone), soci::use(loc),
          soci::use(now), soci::into(id);
      units[code] = id;
    }
    std::vector<long long> colleges;
    for (const auto& c : kColleges) {
      long long id = 0;
      std::string code = c.code, name = c.name, en = c.name_en;
      s << "INSERT INTO colleges (code, name, name_en, created_at) VALUES (:c, :n, :e, :t) "
           "RETURNING id",
          soci::use(code), soci::use(name), soci::use(en), soci::use(now), soci::into(id);
      colleges.push_back(id);
    }
    long long window1 = 0;
    for (const auto& w : kWindows) {
      long long id = 0;
      int number = w.number, complaints = w.complaints ? 1 : 0;
      std::string name = w.name, en = w.name_en;
      long long unit = units[w.unit_code];
      s << "INSERT INTO windows (hall_id, number, name, name_en, unit_id, is_complaints, active, "
           "created_at) "
           "VALUES (:h, :n, :name, :en, :u, :c, 1, :t) RETURNING id",
          soci::use(hall_id), soci::use(number), soci::use(name), soci::use(en), soci::use(unit),
          soci::use(complaints), soci::use(now), soci::into(id);
      if (number == 1) window1 = id;
    }
    for (const auto& st : kStaff) {
      auth::User u;
      u.login = st.login;
      u.name = st.name;
      u.role = st.role;
      u.is_demo = true;
      auth::StaffProfile p;
      p.staff_no = st.staff_no;
      p.unit_id = units[st.unit_code];
      p.badge_no = st.badge;
      p.phone = fmt::format("0731-2218{}", 1000 + (&st - kStaff));
      u.staff = p;
      auth::store::insert_user(s, u, hash_of(st.password));
    }
    for (int i = 1; i <= kStudentCount; ++i) {
      auth::User u;
      auth::StudentProfile p;
      int year = 2022 + (i - 1) % 4;
      p.student_no = fmt::format("{}001{:03d}", 2023, i);
      const auto& college = kColleges[(i - 1) % std::size(kColleges)];
      p.college_id = colleges[(i - 1) % colleges.size()];
      p.major = college.majors[(i / 10) % 3];
      p.class_name = fmt::format("{}{}{}班", p.major.substr(0, 6), year % 100, 1 + i % 3);
      p.phone = fmt::format("139{:08d}", 73100000 + i * 37);
      p.card_no = fmt::format("8{:09d}", 100000 + i);
      u.login = p.student_no;
      u.name = std::string(kSurnames[(i * 7) % std::size(kSurnames)]) +
               kGiven[(i * 11) % std::size(kGiven)];
      u.role = "student";
      u.is_demo = true;
      u.student = p;
      auth::store::insert_user(s, u, hash_of("student123"));
    }
    for (const auto& d : demo_devices()) {
      std::string kind = d.kind, name = d.name, digest = token_digest(d.token);
      std::optional<long long> window;
      if (kind == "rating_pad") window = window1;
      s << "INSERT INTO devices (hall_id, kind, name, window_id, token_digest, disabled, "
           "created_at) "
           "VALUES (:h, :k, :n, :w, :d, 0, :t)",
          soci::use(hall_id), soci::use(kind), soci::use(name), soci::use(window),
          soci::use(digest), soci::use(now);
    }
    // Each module's reference data (closures, catalog, documents, queue history), in module order.
    DemoContext ctx{DemoContext::Phase::reference, s, hall_id, now};
    for (const auto& m : make_modules()) m->seed_demo(ctx);
    std::string at = iso8601_utc(now);
    s << "INSERT INTO settings (key, value) VALUES ('demo_seeded', :v)", soci::use(at);
  });
}

void seed(App& app) {
  auto& calendar = app.service<calendar::CalendarService>();
  seed(*app.db);
  // The base seed wrote closures and hours directly: build the hall's calendar afresh.
  calendar.invalidate();
  std::int64_t hall = calendar.resolve_hall(0);
  if (!hall) return;
  long long now = Clock::now();
  int off = app.config.utc_offset_minutes;
  try {
    auto cal = calendar.for_hall(hall);
    app.db->write([&](soci::session& s) {
      DemoContext ctx{DemoContext::Phase::activity, s, hall, now, off, cal.get()};
      for (auto& m : app.modules) m->seed_demo(ctx);
    });
  } catch (const ApiError& e) {
    // Past dates the national calendar does not cover: no demo cases or complaints, the rest
    // stands.
    spdlog::warn("demo cases, complaints and ratings left out: {}", e.what());
  }
}

void refresh(App& app) {
  auto& calendar = app.service<calendar::CalendarService>();
  try {
    std::int64_t hall = calendar.resolve_hall(0);
    if (!hall) return;
    int off = static_cast<int>(calendar.utc_offset().count() / 60);
    auto cal = calendar.for_hall(hall);
    auto working = [cal](const std::string& date) {
      try {
        return cal->is_working_day(calendar::Date::parse(date));
      } catch (const std::exception&) {  // a year without holiday data: weekdays
        return calendar::Date::parse(date).iso_weekday() <= 5;
      }
    };
    int added = app.db->write([&](soci::session& s) {
      return reports::seed_demo_history(s, hall, Clock::now(), off, working);
    });
    if (added) spdlog::info("demo: added {} served tickets to the previous month's history", added);
  } catch (const std::exception& e) {
    spdlog::warn("demo: previous month's history not added: {}", e.what());
  }
}

}  // namespace hall::demo
