// Demo catalog: the service items a Chinese university's one-stop hall offers,
// with realistic materials, time limits (B6.3), fees, referral contacts (B6.1)
// and application periods (B6.2 (3)). Deterministic: same data every time.
#include "catalog/demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "catalog/pinyin.hpp"
#include "catalog/store.hpp"

namespace hall::catalog {

namespace {

struct M {
  const char* name;
  int originals, copies;
  const char* spec;
  const char* condition = nullptr;  // non-null: conditional material
};
struct Q {
  const char *q, *a;
};
struct P {
  const char *from, *to, *note;
};
struct DemoItem {
  const char *code, *unit, *name, *name_en, *category, *mode, *windows, *eligibility;
  int days;
  int fee_fen;
  const char *fee_text, *policy, *person, *phone, *location, *prefix;
  int quota;  // 0: none
  std::vector<P> periods;
  std::vector<Q> faq;
  std::vector<M> materials;
};

const char* kIdCard = "学生本人身份证";
const char* kStudentCard = "学生证";
const char* kOnline = "https://ehall.hut.edu.cn";

const std::vector<DemoItem>& demo_items() {
  static const std::vector<DemoItem> all = {
      // ---- 教务处 JWC ----
      {"JWC-001", "JWC", "在读证明", "Certificate of Enrollment", "证明开具", "both", "2,9", "全日制在籍本科生", 0, 0, "",
       "《普通高等学校学生管理规定》（教育部令第41号）", "李娟", "0731-22180111", "学生事务服务大厅 2 号窗口", "A", 0, {},
       {{"在读证明可以开英文版吗？", "可以，在申请时注明需要英文版，当场打印并盖章。"},
        {"可以委托同学代办吗？", "可以，代办人需携带委托书、双方学生证或身份证。"}},
       {{kStudentCard, 1, 0, "须已完成本学期注册"}, {kIdCard, 1, 1, "复印件 A4 纸正反面"},
        {"委托书", 1, 0, "本人签字", "委托他人代办时提交"}}},
      {"JWC-002", "JWC", "成绩单打印", "Academic Transcript", "证明开具", "both", "2", "在校生及毕业五年内的毕业生", 0, 0,
       "每学年前 5 份免费，超出部分 ¥2/份", "《学籍档案管理办法》", "王磊", "0731-22180112", "学生事务服务大厅 2 号窗口", "A", 200,
       {},
       {{"成绩单上会显示补考成绩吗？", "会，按教务系统记录如实打印，并注明“补考”。"},
        {"中英文成绩单都能打印吗？", "可以，英文成绩单需提前一个工作日在网上申请。"}},
       {{kStudentCard, 1, 0, "在校生提交"}, {"毕业证书", 1, 1, "A4 复印件", "已毕业学生提交"}}},
      {"JWC-003", "JWC", "学生证补办", "Student ID Card Replacement", "证件办理", "on_site", "1", "学生证遗失或损坏的在校生", 5, 1000,
       "工本费", "《学生证管理办法》", "李娟", "0731-22180111", "学生事务服务大厅 1 号窗口", "A", 0, {},
       {{"补办期间需要用证怎么办？", "可在 1 号窗口开具临时在读证明。"},
        {"火车票优惠信息会保留吗？", "会，新证由窗口重新写入优惠区间，需另行充磁。"}},
       {{kIdCard, 1, 1, "A4 复印件"}, {"近期一寸免冠彩色照片", 1, 0, "蓝底，2 张"},
        {"原学生证", 1, 0, "损坏换证时交回", "学生证损坏（非遗失）时提交"}}},
      {"JWC-004", "JWC", "火车票优惠卡充磁", "Train Discount Card Top-up", "证件办理", "on_site", "1",
       "家庭居住地与学校不在同一城市的全日制本专科生", 0, 0, "", "《铁路学生票优惠办法》", "李娟", "0731-22180111",
       "学生事务服务大厅 1 号窗口", "A", 300, {},
       {{"每年可以买几次优惠票？", "每学年 4 个单程，充磁后在 12306 核验使用。"}},
       {{kStudentCard, 1, 0, "含火车票优惠卡（磁条或芯片）"}}},
      {"JWC-005", "JWC", "火车票优惠区间变更", "Train Discount Route Change", "证件办理", "on_site", "1",
       "家庭居住地发生变化的学生", 3, 0, "", "《铁路学生票优惠办法》", "李娟", "0731-22180111", "学生事务服务大厅 1 号窗口", "A", 0,
       {},
       {{"变更后需要重新充磁吗？", "需要，变更完成后窗口会通知您来充磁。"}},
       {{kStudentCard, 1, 0, ""}, {"户口本或家庭住址变更证明", 1, 1, "户口本首页及本人页"}}},
      {"JWC-006", "JWC", "毕业证明书补办", "Graduation Certificate Reissue", "证明开具", "on_site", "1",
       "毕业证书遗失的本校毕业生", 10, 0, "", "《高等学校学历证书管理规定》", "王磊", "0731-22180112", "行政楼 305 教务处学籍科", "A",
       0, {},
       {{"毕业证书能补发原件吗？", "不能，按规定只出具毕业证明书，与原证书具有同等效力。"}},
       {{kIdCard, 1, 1, "A4 复印件"}, {"毕业证书遗失声明", 1, 0, "省级以上报纸刊登"},
        {"近期二寸免冠照片", 2, 0, "白底"}}},
      {"JWC-007", "JWC", "学位证明开具", "Degree Certificate Letter", "证明开具", "on_site", "1", "已获得学士学位的毕业生", 5, 0, "",
       "《中华人民共和国学位条例》", "王磊", "0731-22180112", "行政楼 305 教务处学籍科", "A", 0, {}, {},
       {{kIdCard, 1, 1, "A4 复印件"}, {"学位证书遗失声明", 1, 0, "省级以上报纸刊登", "学位证书遗失时提交"}}},
      {"JWC-008", "JWC", "缓考申请", "Deferred Examination Application", "考试", "on_site", "1",
       "因病或特殊原因不能参加期末考试的学生", 3, 0, "", "《本科生课程考核管理办法》", "王磊", "0731-22180112",
       "学生事务服务大厅 1 号窗口", "A", 0,
       {{"2025-12-22", "2026-01-09", "秋季学期期末考试前两周"}, {"2026-06-15", "2026-07-03", "春季学期期末考试前两周"}},
       {{"考试当天生病怎么办？", "请在考试结束后 3 个工作日内补交医院证明，逾期不予受理。"}},
       {{"缓考申请表", 1, 0, "学院签署意见"}, {"二级甲等以上医院诊断证明", 1, 0, "加盖医院公章", "因病申请时提交"}}},
      {"JWC-009", "JWC", "转专业申请", "Change of Major Application", "学籍管理", "both", "1", "一年级本科生", 10, 0, "",
       "《本科生转专业管理办法》", "杨建国", "0731-22180110", "行政楼 305 教务处", "A", 0,
       {{"2026-03-02", "2026-03-13", "春季学期开学前两周"}},
       {{"转专业需要考试吗？", "由接收学院组织考核，时间另行通知。"}},
       {{"转专业申请表", 1, 0, "本人签字"}, {"第一学年成绩单", 1, 0, "教务处盖章"}}},
      {"JWC-010", "JWC", "休学/复学申请", "Suspension or Resumption of Study", "学籍管理", "on_site", "1", "在籍本科生", 5, 0, "",
       "《普通高等学校学生管理规定》第二十九条", "王磊", "0731-22180112", "行政楼 305 教务处学籍科", "A", 0, {},
       {{"休学最长多久？", "一般以一年为期，累计不超过两年；应征入伍的按国家规定执行。"}},
       {{"休学/复学申请表", 1, 0, "学院与家长签字"}, {"医院诊断证明", 1, 0, "", "因病休学或复学时提交"},
        {kStudentCard, 1, 0, ""}}},
      {"JWC-011", "JWC", "英语四六级成绩证明", "CET Score Certificate", "考试", "both", "2", "参加过全国大学英语四六级考试的学生", 0, 0,
       "", "全国大学英语四六级考试委员会相关规定", "李娟", "0731-22180111", "学生事务服务大厅 2 号窗口", "A", 0, {},
       {{"成绩单丢了能补吗？", "成绩报告单不补发，可在此开具成绩证明。"}}, {{kIdCard, 1, 0, ""}, {"准考证", 1, 0, "或准考证号", "忘记准考证号时提供考试年份与场次"}}},
      // ---- 财务处 CWC ----
      {"CWC-001", "CWC", "学费发票开具", "Tuition Invoice", "财务缴费", "both", "3", "已缴纳学费的学生", 0, 0, "",
       "《财政票据管理办法》", "陈静", "0731-22180221", "学生事务服务大厅 3 号窗口", "B", 0, {},
       {{"电子票据在哪里下载？", "缴费成功后 3 个工作日内可在财务网上服务大厅下载。"}},
       {{kStudentCard, 1, 0, ""}, {"缴费凭证", 1, 0, "银行回单或网上缴费截图", "系统未查到缴费记录时提交"}}},
      {"CWC-002", "CWC", "退费申请", "Fee Refund Application", "财务缴费", "on_site", "3", "退学、休学或多缴费用的学生", 10, 0, "",
       "《学生收费管理办法》", "陈静", "0731-22180221", "行政楼 210 财务处", "B", 0, {},
       {{"退费多久到账？", "审批完成后 10 个工作日内退回本人银行卡。"}},
       {{"退费申请表", 1, 0, "学院签字盖章"}, {"本人银行卡", 0, 1, "一类卡复印件"}, {kIdCard, 0, 1, "A4 复印件"},
        {"休学或退学批准文件", 0, 1, "", "因休学或退学申请退费时提交"}}},
      {"CWC-003", "CWC", "学费缓缴申请", "Tuition Deferral", "财务缴费", "on_site", "3", "家庭经济困难、暂时无法缴纳学费的学生", 5, 0,
       "", "《学生收费管理办法》", "陈静", "0731-22180221", "行政楼 210 财务处", "B", 0,
       {{"2025-09-01", "2025-09-30", "秋季学期开学一个月内"}}, {},
       {{"缓缴申请表", 1, 0, "辅导员与学院签字"}, {"家庭经济困难认定结果", 0, 1, ""}}},
      // ---- 学生工作部 XGB ----
      {"XGB-001", "XGB", "生源地助学贷款回执提交", "Student Loan Receipt", "学生资助", "on_site", "4", "办理了生源地信用助学贷款的学生", 0,
       0, "", "《国家助学贷款管理办法》", "刘洋", "0731-22180331", "学生事务服务大厅 4 号窗口", "C", 0,
       {{"2025-09-01", "2025-10-20", "秋季学期回执提交期"}},
       {{"回执丢了怎么办？", "登录国家开发银行学生在线服务系统重新打印。"}},
       {{"受理证明（回执）", 1, 0, "含回执校验码"}, {kStudentCard, 1, 0, ""}}},
      {"XGB-002", "XGB", "国家助学金申请", "National Grant Application", "学生资助", "on_site", "4", "经认定的家庭经济困难学生", 10, 0, "",
       "《普通本科高校、高等职业学校国家助学金管理办法》", "刘洋", "0731-22180331", "学生事务服务大厅 4 号窗口", "C", 0,
       {{"2025-09-15", "2025-10-15", "每学年秋季学期"}},
       {{"助学金分几档？", "分一、二、三档，由学院评议小组根据困难程度评定。"}},
       {{"国家助学金申请表", 1, 0, "本人签字"}, {"家庭经济困难认定表", 0, 1, ""}}},
      {"XGB-003", "XGB", "临时困难补助申请", "Emergency Hardship Grant", "学生资助", "on_site", "4", "遭遇突发变故、生活暂时困难的学生", 5,
       0, "", "《学生临时困难补助办法》", "刘洋", "0731-22180331", "学生事务服务大厅 4 号窗口", "C", 0, {},
       {{"可以加急吗？", "情况紧急的可走绿色通道（B6.5），当天审批。"}},
       {{"临时困难补助申请表", 1, 0, "辅导员签字"}, {"困难情况证明", 1, 1, "医院、村（居）委会等出具"}}},
      {"XGB-004", "XGB", "勤工助学岗位申请", "Work-Study Position Application", "学生资助", "both", "4", "在校本科生、研究生", 5, 0, "",
       "《高等学校勤工助学管理办法》", "刘洋", "0731-22180331", "学生事务服务大厅 4 号窗口", "C", 0,
       {{"2025-09-01", "2025-09-14", "秋季学期开学两周内"}, {"2026-02-23", "2026-03-06", "春季学期开学两周内"}},
       {{"每周工作多少小时？", "原则上每周不超过 8 小时，每月不超过 40 小时。"}},
       {{"勤工助学申请表", 1, 0, ""}, {kStudentCard, 1, 0, ""}}},
      {"XGB-005", "XGB", "医保参保登记", "Medical Insurance Enrollment", "后勤服务", "both", "4", "全日制在校学生", 0, 38000,
       "城乡居民医保个人缴费（按年度标准）", "《城乡居民基本医疗保险办法》", "刘洋", "0731-22180331", "学生事务服务大厅 4 号窗口", "C", 0,
       {{"2025-09-01", "2025-12-31", "年度集中参保期"}},
       {{"已在老家参保还要交吗？", "不需要，提交家乡参保证明即可免于在校参保。"},
        {"医保报销去哪里办？", "门诊在校医院直接结算，住院报销到 4 号窗口。"}},
       {{kIdCard, 0, 1, "A4 复印件"}, {"家乡参保证明", 1, 0, "", "已在户籍地参保时提交"}}},
      // ---- 保卫处 BWC ----
      {"BWC-001", "BWC", "户口迁移（迁出）", "Residence Transfer Out", "户籍档案", "on_site", "5", "户口在学校集体户的毕业生及退学学生", 5,
       0, "", "《中华人民共和国户口登记条例》", "赵强", "0731-22180441", "保卫楼 102 户籍室", "D", 0, {},
       {{"毕业后户口可以继续留在学校吗？", "可以保留两年，期满须迁出。"}},
       {{"户口迁移证申请表", 1, 0, ""}, {"报到证或接收函", 1, 1, ""}, {kIdCard, 1, 1, ""}}},
      {"BWC-002", "BWC", "集体户口借用", "Borrowing the Collective Household Register", "户籍档案", "on_site", "5", "户口在学校集体户的学生",
       0, 0, "", "学校集体户口管理规定", "赵强", "0731-22180441", "保卫楼 102 户籍室", "D", 0, {},
       {{"借用多久要归还？", "一般 7 天内归还，逾期影响下次借用。"}},
       {{kIdCard, 1, 0, ""}, {"借用用途说明", 1, 0, "写明用途与归还日期"}, {kStudentCard, 1, 0, ""}}},
      {"BWC-003", "BWC", "校园出入证办理", "Campus Access Pass", "证件办理", "on_site", "5", "需驾车进出校园的学生", 3, 0, "",
       "《校园交通安全管理规定》", "赵强", "0731-22180441", "学生事务服务大厅 5 号窗口", "D", 0, {}, {},
       {{"行驶证", 1, 1, ""}, {kStudentCard, 1, 0, ""}}},
      // ---- 招生就业处 ZSJY ----
      {"ZSJY-001", "ZSJY", "就业协议书领取", "Employment Agreement", "就业服务", "on_site", "6", "应届毕业生", 0, 0, "",
       "《普通高等学校毕业生就业工作暂行规定》", "孙丽", "0731-22180551", "学生事务服务大厅 6 号窗口", "E", 0, {},
       {{"协议书丢了能补吗？", "需提交遗失说明并经学院签字后补领。"}},
       {{kStudentCard, 1, 0, ""}, {"协议书遗失说明", 1, 0, "学院签字", "补领时提交"}}},
      {"ZSJY-002", "ZSJY", "报到证改派", "Employment Registration Reassignment", "就业服务", "on_site", "6", "毕业两年内的毕业生", 10, 0, "",
       "《高校毕业生就业报到证管理办法》", "孙丽", "0731-22180551", "就业指导中心 201", "E", 0, {}, {},
       {{"原报到证", 1, 0, ""}, {"新单位接收函", 1, 0, ""}, {"解约函", 1, 0, "", "原单位已签约时提交"}}},
      {"ZSJY-003", "ZSJY", "档案转递", "Student File Transfer", "户籍档案", "on_site", "6", "毕业生", 5, 0, "", "《干部人事档案工作条例》",
       "孙丽", "0731-22180551", "就业指导中心 201", "E", 0, {},
       {{"档案可以自己带走吗？", "不可以，档案必须通过机要渠道转递。"}},
       {{"档案接收函", 1, 0, "接收单位人事部门出具"}, {kIdCard, 0, 1, ""}}},
      // ---- 后勤保障处 HQBZ ----
      {"HQBZ-001", "HQBZ", "宿舍调换申请", "Dormitory Change", "后勤服务", "on_site", "7", "在校住宿学生", 5, 0, "", "《学生公寓管理办法》",
       "吴刚", "0731-22180661", "后勤楼 108 公寓中心", "F", 0, {},
       {{"调换需要交费吗？", "同标准宿舍调换不收费；调整到高标准宿舍补交差价。"}},
       {{"宿舍调换申请表", 1, 0, "辅导员签字"}, {"对方同意书", 1, 0, "", "与他人互换床位时提交"}}},
      {"HQBZ-002", "HQBZ", "校园卡挂失/补办", "Campus Card Loss and Replacement", "证件办理", "on_site", "7", "全体在校学生", 0, 2000,
       "补卡工本费", "《校园一卡通管理办法》", "吴刚", "0731-22180661", "学生事务服务大厅 7 号窗口", "F", 0, {},
       {{"挂失后余额会丢吗？", "不会，余额转入新卡。"}, {"找到旧卡还能用吗？", "补办新卡后旧卡作废。"}},
       {{kIdCard, 1, 0, ""}}},
      // ---- 党委组织部 ZZB ----
      {"ZZB-001", "ZZB", "党组织关系转接", "Party Membership Transfer", "党团事务", "both", "8", "中共党员（含预备党员）", 3, 0, "",
       "《中国共产党党员组织关系转接办法》", "郑芳", "0731-22180771", "行政楼 501 党委组织部", "G", 0, {},
       {{"转出后多久要报到？", "应在介绍信有效期内（一般 3 个月）到接收党组织报到。"}},
       {{"党员组织关系介绍信申请表", 1, 0, "党支部签字"}, {"接收党组织联系方式", 1, 0, "", "转往省外时提交"}}},
      {"ZZB-002", "ZZB", "党员证明开具", "Party Membership Certificate", "党团事务", "on_site", "8", "学生党员", 0, 0, "",
       "党员管理相关规定", "郑芳", "0731-22180771", "行政楼 501 党委组织部", "G", 0, {}, {}, {{kStudentCard, 1, 0, ""}}},
      // ---- 校团委 TW ----
      {"TW-001", "TW", "团组织关系转接", "Youth League Membership Transfer", "党团事务", "both", "8", "共青团员", 3, 0, "",
       "《中国共产主义青年团团员组织关系转接办法》", "郑芳", "0731-22180881", "大学生活动中心 302 校团委", "G", 0, {},
       {{"智慧团建系统里怎么操作？", "由本人在系统中发起转接，团支部和校团委依次审核。"}},
       {{"团员证", 1, 0, ""}}},
      {"TW-002", "TW", "志愿服务时长证明", "Volunteer Hours Certificate", "证明开具", "online", "", "注册志愿者", 3, 0, "",
       "《志愿服务条例》", "郑芳", "0731-22180881", "大学生活动中心 302 校团委", "", 0, {}, {}, {}},
      // ---- 研究生院 YJSY ----
      {"YJSY-001", "YJSY", "研究生学籍证明", "Graduate Enrollment Certificate", "研究生事务", "both", "2", "在籍研究生", 0, 0, "",
       "《研究生学籍管理规定》", "黄婷", "0731-22180991", "研究生楼 210 研究生院培养办", "A", 0, {}, {},
       {{"研究生证", 1, 0, ""}, {kIdCard, 0, 1, ""}}},
      {"YJSY-002", "YJSY", "研究生成绩单打印", "Graduate Transcript", "研究生事务", "on_site", "2", "在籍及已毕业研究生", 0, 0, "",
       "《研究生学籍管理规定》", "黄婷", "0731-22180991", "研究生楼 210 研究生院培养办", "A", 0, {}, {},
       {{"研究生证", 1, 0, "", "在读研究生提交"}, {"毕业证书", 0, 1, "", "已毕业研究生提交"}}},
      // ---- 学生事务中心 XSSW ----
      {"XSSW-001", "XSSW", "综合咨询与事项引导", "General Inquiries and Referral", "综合服务", "on_site", "9", "全体学生", 0, 0, "",
       "《学生事务中心首问责任制》（B6.1）", "黄婷", "0731-22180001", "学生事务服务大厅 9 号窗口", "H", 0, {},
       {{"不知道去哪个窗口怎么办？", "先到 9 号窗口咨询，首问工作人员负责引导或转介。"}}, {}},
      {"XSSW-002", "XSSW", "投诉与建议受理", "Complaints and Suggestions", "综合服务", "both", "10", "全体学生", 5, 0, "",
       "《学生事务中心投诉与建议处理办法》（C1–C3）", "何明", "0731-22180002", "学生事务服务大厅 10 号窗口", "J", 0, {},
       {{"投诉多久有答复？", "调查核实后 5 个工作日内反馈处理情况。"}}, {}},
  };
  return all;
}

}  // namespace

void seed_demo(soci::session& s, std::int64_t now) {
  auto ref = store::load_reference(s);
  const auto* hall = ref.hall_by_code("main");
  if (!hall) throw std::runtime_error("catalog demo: hall 'main' is missing");
  const PinyinTable& table = pinyin_table();
  for (const auto& d : demo_items()) {
    const auto* unit = ref.unit_by_code(d.unit);
    if (!unit) throw std::runtime_error(std::string("catalog demo: unit ") + d.unit + " is missing");
    ItemContent c;
    c.unit_id = unit->id;
    c.name = d.name;
    c.name_en = d.name_en;
    c.category = d.category;
    c.handling_mode = parse_handling_mode(d.mode).value();
    if (c.handling_mode != HandlingMode::on_site) c.online_url = kOnline;
    std::string windows = d.windows;
    for (std::size_t pos = 0; pos < windows.size();) {
      std::size_t comma = windows.find(',', pos);
      int number = std::stoi(windows.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      const auto* w = ref.window_by_number(hall->id, number);
      if (!w) throw std::runtime_error(fmt::format("catalog demo: window {} is missing", number));
      c.window_ids.push_back(w->id);
      pos = comma == std::string::npos ? windows.size() : comma + 1;
    }
    std::sort(c.window_ids.begin(), c.window_ids.end());
    c.eligibility = d.eligibility;
    for (const auto& p : d.periods) c.periods.push_back({p.from, p.to, p.note});
    c.time_limit_days = d.days;
    c.fee_fen = d.fee_fen;
    c.fee_text = d.fee_text;
    c.policy_basis = d.policy;
    for (const auto& q : d.faq) c.faq.push_back({q.q, q.a});
    c.contact = {unit->name + (std::string(d.location).find("大厅") != std::string::npos ? "（大厅窗口）" : ""), d.person, d.phone,
                 d.location};
    c.queue_prefix = d.prefix;
    if (d.quota) c.daily_quota = d.quota;
    for (const auto& m : d.materials) {
      Material mat;
      mat.name = m.name;
      mat.originals = m.originals;
      mat.copies = m.copies;
      mat.spec = m.spec;
      mat.required = m.condition == nullptr;
      mat.condition = m.condition ? m.condition : "";
      c.materials.push_back(mat);
    }
    check_content(c);  // the demo obeys the same rules as everyone
    PinyinName py = to_pinyin(c.name, table);
    std::int64_t id = store::insert_item(s, d.code, c.unit_id, now);
    std::int64_t vid = store::insert_version(s, id, 1, c, py.spaced, py.initials, "初始数据", std::nullopt, now);
    store::set_current_version(s, id, vid, c.unit_id, now);
  }
}

}  // namespace hall::catalog
