// SOCI 4.0 (Debian 12) knows boost::optional but not std::optional: this
// teaches it, so NULL columns read into std::optional<T> and std::nullopt
// binds as NULL.
#pragma once

#include <soci/soci.h>

#include <optional>

namespace soci {

template <typename T>
struct type_conversion<std::optional<T>> {
  typedef typename type_conversion<T>::base_type base_type;

  static void from_base(base_type const& in, indicator ind, std::optional<T>& out) {
    if (ind == i_null) {
      out.reset();
    } else {
      T tmp = T();
      type_conversion<T>::from_base(in, ind, tmp);
      out = tmp;
    }
  }

  static void to_base(std::optional<T> const& in, base_type& out, indicator& ind) {
    if (in) {
      type_conversion<T>::to_base(*in, out, ind);
    } else {
      ind = i_null;
    }
  }
};

}  // namespace soci
