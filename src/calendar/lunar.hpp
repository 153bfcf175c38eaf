// The Chinese calendar (农历) as the official rules compute it, for the
// holidays of a year whose State Council schedule is not published yet.
//
// GB/T 33661-2017《农历的编算和颁行》 fixes the rules this file follows:
//   1. times are Beijing time (UTC+8, the meridian 120°E);
//   2. a lunar month begins on the (Beijing) day of a new moon (朔), computed
//      from an accurate lunar theory — the mean lunation is wrong by up to
//      ~14 hours, enough to move a festival by a day;
//   3. the month that contains the winter solstice (冬至, the Sun at apparent
//      longitude 270°) is month 11;
//   4. when 13 lunar months begin between two months 11 (a leap year), the
//      first month after the first month 11 that contains no principal term
//      (中气: the Sun at a multiple of 30°) is the leap month and takes the
//      number of the month before it;
//   5. the 24 solar terms are the instants the Sun's apparent geocentric
//      longitude reaches a multiple of 15°; 清明 is 15°.
//
// The astronomy (Jean Meeus, "Astronomical Algorithms", 2nd ed., 1998):
//   - new moons: ch. 49, with all periodic terms and the 14 planetary
//     corrections (Meeus: mean error a few seconds against ELP-2000/82);
//   - the Sun: ch. 25 "higher accuracy" — Earth's heliocentric position from
//     the truncated VSOP87D series of Appendix III (about 1″), the FK5
//     correction, nutation in longitude from the 63-term IAU 1980 series of
//     ch. 22 and annual aberration. 1″ of longitude is ~24 s of time, so solar
//     terms come out well inside a minute;
//   - ΔT = TT − UT: Espenak & Meeus (2006) polynomials (ch. 10 style), a few
//     seconds off the observed values in 1990–2025.
// What decides a date is whether an instant falls before or after Beijing
// midnight. New moons and terms come out within about 10 s of the published
// instants (ΔT being most of that), so only an event within seconds of
// midnight could go wrong; 春节 2027 itself hangs on a new moon at 23:56.
// tests/calendar/lunar_festivals.tsv checks 春节, 清明, 端午 and 中秋 of
// 1990–2100, leap_months.tsv every leap month, solar_terms.tsv the instants.
// (Before 1929 the official calendar used Beijing's local meridian, 116°25′E;
// this module does not model that: it is for the hall's years, 2000–2100.)
//
// Everything here is pure and thread-safe; results depend on the year only.
#pragma once

#include <optional>
#include <vector>

#include "calendar/model.hpp"

namespace hall::calendar::lunar {

// --- time scales -------------------------------------------------------------

// Julian Day of 0h UT of a date (e.g. 2000-01-01 → 2451544.5).
double julian_day(Date d);
// ΔT = TT − UT in seconds for a decimal year (2026.5 = mid-2026).
double delta_t_seconds(double decimal_year);
// The Beijing (UTC+8) calendar date of an instant given as a Julian Ephemeris
// Day (TT).
Date beijing_date(double jde);
// The same instant as UTC seconds since the Unix epoch (rounded).
std::int64_t unix_seconds(double jde);

// --- astronomy ---------------------------------------------------------------

// Meeus ch. 49: the JDE (TT) of new moon number k (k = 0: 2000-01-06).
double new_moon_jde(int k);
// The new moon number whose JDE is nearest to `jde`.
int new_moon_index_near(double jde);
// The Sun's apparent geocentric longitude in degrees [0, 360) at a JDE.
double apparent_solar_longitude(double jde);
// The JDE at which the Sun's apparent longitude reaches `longitude` degrees,
// the one nearest to `guess_jde` (within ± half a year).
double solar_longitude_jde(double longitude, double guess_jde);

// --- the calendar ------------------------------------------------------------

// One lunar month: its first day, its number 1–12, whether it is a leap month.
struct Month {
  Date first;
  int number = 0;
  bool leap = false;
  int days = 0;  // 29 or 30
};

// The lunar months from the month 11 that contains the winter solstice of
// `year − 1` up to, not including, the month 11 that contains the winter
// solstice of `year`: 12 or 13 months (rules 3 and 4 above). The months 1–10
// of the lunar year that begins in `year` are all in it.
std::vector<Month> months_of_cycle(int year);

// The Gregorian date of lunar (month, day) of the lunar year that begins in
// Gregorian `year` (month 1 day 1 = 春节), in the ordinary (not leap) month.
// nullopt when that month has no such day (day 30 of a 29-day month).
std::optional<Date> lunar_date(int year, int month, int day);

// The Beijing date of the solar term at `longitude` (a multiple of 15) that
// falls in Gregorian `year`; e.g. solar_term_date(2026, 15) is 清明 2026-04-05.
Date solar_term_date(int year, int longitude);

// The four festivals of a Gregorian year that the law makes holidays.
struct Festivals {
  Date new_years_eve;  // 除夕: the last day of month 12 (the day before 春节)
  Date spring;         // 春节: month 1 day 1
  Date qingming;       // 清明: the solar term at 15°
  Date dragon_boat;    // 端午: month 5 day 5
  Date mid_autumn;     // 中秋: month 8 day 15
};
Festivals festivals(int year);

}  // namespace hall::calendar::lunar
