// A minimal std::expected for toolchains whose headers lack it.
//
// Why it exists: the fuzz targets are built with clang 14 (libFuzzer comes
// with clang; Debian 12 has no libFuzzer for g++). clang 14 with libstdc++ 12
// compiles `<expected>` to nothing: libstdc++ guards it with
// `__cpp_concepts >= 202002L`, and clang 14 lacks the conditionally trivial
// special members (P0848) it needs. This header supplies the subset of
// std::expected / std::unexpected that the project uses, with the same
// spelling, so product code stays unchanged. g++ 12 never includes it.
//
// NOTE: declaring names in namespace std is formally undefined; it is done
// only when the standard library does not declare them itself (checked with
// __cpp_lib_expected), and only the fuzz build is in that situation.
#pragma once

#include <version>

#if !defined(__cpp_lib_expected)

#include <exception>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>
#include <variant>

namespace std {

template <typename E>
class unexpected {
 public:
  template <typename Err = E>
    requires(!is_same_v<remove_cvref_t<Err>, unexpected> && is_constructible_v<E, Err>)
  constexpr explicit unexpected(Err&& error) : m_error(std::forward<Err>(error)) {}

  constexpr const E& error() const& noexcept { return m_error; }
  constexpr E& error() & noexcept { return m_error; }
  constexpr E&& error() && noexcept { return std::move(m_error); }

 private:
  E m_error;
};

template <typename E>
unexpected(E) -> unexpected<E>;

struct unexpect_t {
  explicit unexpect_t() = default;
};
inline constexpr unexpect_t unexpect{};

template <typename E>
class bad_expected_access : public exception {
 public:
  explicit bad_expected_access(E error) : m_error(std::move(error)) {}
  const char* what() const noexcept override { return "bad access to std::expected without value"; }
  const E& error() const& noexcept { return m_error; }

 private:
  E m_error;
};

namespace expected_detail {
struct void_value {};
}  // namespace expected_detail

// Storage is a std::variant: not as lean as the standard one, but correct for
// every value and error type, and only the fuzz build pays for it.
template <typename T, typename E>
class expected {
  using stored_value = conditional_t<is_void_v<T>, expected_detail::void_value, T>;

 public:
  using value_type = T;
  using error_type = E;
  using unexpected_type = unexpected<E>;

  constexpr expected()
    requires(is_void_v<T> || is_default_constructible_v<T>)
      : m_storage(in_place_index<0>) {}

  template <typename U = stored_value>
    requires(!is_void_v<T> && !is_same_v<remove_cvref_t<U>, expected> &&
             !is_same_v<remove_cvref_t<U>, in_place_t> &&
             !is_same_v<remove_cvref_t<U>, unexpected<E>> && is_constructible_v<stored_value, U>)
  constexpr expected(U&& value) : m_storage(in_place_index<0>, std::forward<U>(value)) {}

  template <typename G>
    requires is_constructible_v<E, const G&>
  constexpr expected(const unexpected<G>& error) : m_storage(in_place_index<1>, error.error()) {}

  template <typename G>
    requires is_constructible_v<E, G>
  constexpr expected(unexpected<G>&& error)
      : m_storage(in_place_index<1>, std::move(error).error()) {}

  template <typename... Args>
  constexpr explicit expected(in_place_t, Args&&... args)
      : m_storage(in_place_index<0>, std::forward<Args>(args)...) {}

  template <typename... Args>
  constexpr explicit expected(unexpect_t, Args&&... args)
      : m_storage(in_place_index<1>, std::forward<Args>(args)...) {}

  constexpr bool has_value() const noexcept { return m_storage.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  template <typename U = T>
    requires(!is_void_v<U>)
  constexpr U& operator*() & noexcept { return std::get<0>(m_storage); }
  template <typename U = T>
    requires(!is_void_v<U>)
  constexpr const U& operator*() const& noexcept { return std::get<0>(m_storage); }
  template <typename U = T>
    requires(!is_void_v<U>)
  constexpr U&& operator*() && noexcept { return std::get<0>(std::move(m_storage)); }
  template <typename U = T>
    requires(!is_void_v<U>)
  constexpr U* operator->() noexcept { return &std::get<0>(m_storage); }
  template <typename U = T>
    requires(!is_void_v<U>)
  constexpr const U* operator->() const noexcept { return &std::get<0>(m_storage); }

  constexpr void operator*() const noexcept
    requires is_void_v<T>
  {}

  constexpr decltype(auto) value() & {
    check();
    if constexpr (!is_void_v<T>) return std::get<0>(m_storage);
  }
  constexpr decltype(auto) value() const& {
    check();
    if constexpr (!is_void_v<T>) return std::get<0>(m_storage);
  }
  constexpr decltype(auto) value() && {
    check();
    if constexpr (!is_void_v<T>) return std::get<0>(std::move(m_storage));
  }

  template <typename U>
    requires(!is_void_v<T>)
  constexpr T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(m_storage) : static_cast<T>(std::forward<U>(fallback));
  }
  template <typename U>
    requires(!is_void_v<T>)
  constexpr T value_or(U&& fallback) && {
    return has_value() ? std::get<0>(std::move(m_storage)) : static_cast<T>(std::forward<U>(fallback));
  }

  constexpr const E& error() const& noexcept { return std::get<1>(m_storage); }
  constexpr E& error() & noexcept { return std::get<1>(m_storage); }
  constexpr E&& error() && noexcept { return std::get<1>(std::move(m_storage)); }

  template <typename F>
  constexpr auto and_then(F&& f) & {
    if constexpr (is_void_v<T>) {
      using R = remove_cvref_t<invoke_result_t<F>>;
      return has_value() ? std::invoke(std::forward<F>(f)) : R(unexpect, error());
    } else {
      using R = remove_cvref_t<invoke_result_t<F, T&>>;
      return has_value() ? std::invoke(std::forward<F>(f), **this) : R(unexpect, error());
    }
  }
  template <typename F>
  constexpr auto and_then(F&& f) && {
    if constexpr (is_void_v<T>) {
      using R = remove_cvref_t<invoke_result_t<F>>;
      return has_value() ? std::invoke(std::forward<F>(f)) : R(unexpect, std::move(error()));
    } else {
      using R = remove_cvref_t<invoke_result_t<F, T&&>>;
      return has_value() ? std::invoke(std::forward<F>(f), std::move(**this))
                         : R(unexpect, std::move(error()));
    }
  }

  template <typename F>
  constexpr auto transform(F&& f) && {
    if constexpr (is_void_v<T>) {
      using U = remove_cv_t<invoke_result_t<F>>;
      if (!has_value()) return expected<U, E>(unexpect, std::move(error()));
      if constexpr (is_void_v<U>) {
        std::invoke(std::forward<F>(f));
        return expected<U, E>();
      } else {
        return expected<U, E>(in_place, std::invoke(std::forward<F>(f)));
      }
    } else {
      using U = remove_cv_t<invoke_result_t<F, T&&>>;
      if (!has_value()) return expected<U, E>(unexpect, std::move(error()));
      if constexpr (is_void_v<U>) {
        std::invoke(std::forward<F>(f), std::move(**this));
        return expected<U, E>();
      } else {
        return expected<U, E>(in_place, std::invoke(std::forward<F>(f), std::move(**this)));
      }
    }
  }

  template <typename F>
  constexpr auto transform_error(F&& f) && {
    using G = remove_cv_t<invoke_result_t<F, E&&>>;
    if (has_value()) {
      if constexpr (is_void_v<T>) return expected<T, G>();
      else return expected<T, G>(in_place, std::move(**this));
    }
    return expected<T, G>(unexpect, std::invoke(std::forward<F>(f), std::move(error())));
  }

  template <typename F>
  constexpr auto or_else(F&& f) && {
    using R = remove_cvref_t<invoke_result_t<F, E&&>>;
    if (!has_value()) return std::invoke(std::forward<F>(f), std::move(error()));
    if constexpr (is_void_v<T>) return R();
    else return R(in_place, std::move(**this));
  }

 private:
  constexpr void check() const {
    if (!has_value()) throw bad_expected_access<E>(error());
  }

  variant<stored_value, E> m_storage;
};

}  // namespace std

#endif  // !defined(__cpp_lib_expected)
