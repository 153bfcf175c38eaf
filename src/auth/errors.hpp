// The errors of accounts and sign-in (issue #12 §5: listed once, thrown as errors::name()).
#pragma once

#include "core/error.hpp"

namespace hall::auth::errors {

// clang-format off
inline const ErrorSpec invalid_credentials{401, "invalid_credentials", {"登录名或密码错误", "Wrong login or password"}};
inline const ErrorSpec session_expired{401, "session_expired", {"登录已过期，请重新登录", "Your session has expired; please sign in again"}};
inline const ErrorSpec account_disabled{403, "account_disabled", {"该账户已停用，请联系管理员", "This account is disabled; contact an administrator"}};
inline const ErrorSpec wrong_password{400, "wrong_password", {"原密码不正确", "The current password is wrong"}};
inline const ErrorSpec user_not_found{404, "user_not_found", {"找不到该人员", "No such person"}};
// Password policy; {} is the rule broken (weak_length, weak_same_as_login, weak_one_character below).
inline const ErrorSpec weak_password{400, "weak_password", {"密码不符合要求：{}", "The password is too weak: {}"}};
// Sign-in and password-change limits; {} is what was tried too often, then the seconds to wait (Retry-After).
inline const ErrorSpec too_many_attempts{429, "too_many_attempts", {"{}次数过多，请 {} 秒后再试", "Too many {}; try again in {} seconds"}};
// clang-format on

// The parts of weak_password and too_many_attempts.
inline const Text weak_length{"长度应为 8 到 128 个字符", "it must have 8 to 128 characters"};
inline const Text weak_same_as_login{"不能与登录名相同", "it must differ from the login"};
inline const Text weak_one_character{"不能由同一个字符重复组成",
                                     "it must not repeat one character"};
inline const Text sign_in_attempts{"登录尝试", "sign-in attempts"};
inline const Text wrong_current_passwords{"原密码错误", "wrong current passwords"};

}  // namespace hall::auth::errors
