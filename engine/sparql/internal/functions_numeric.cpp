// SPDX-License-Identifier: Apache-2.0
// Numeric operators and functions of SPARQL 1.1 (17.3 operator mapping to
// XPath op:numeric-add/-subtract/-multiply/-divide/-unary-minus/-unary-plus,
// 17.4.4 ABS CEIL FLOOR ROUND), following XPath and XQuery Functions and
// Operators 3.1 section 4: operands are promoted integer < decimal < float <
// double; xsd:integer and xsd:decimal arithmetic is exact with unbounded
// digits (int64 fast path, digit-string slow path); integer / integer is
// xsd:decimal; decimal division by zero is an error, float/double follow
// IEEE 754 (INF, NaN). Derived integer types (xsd:short...) give xsd:integer.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql {
namespace internal::fn {
namespace {

using rdf::Decimal;
using rdf::Value;
using rdf::ValueType;

// ---- unsigned digit strings (most significant digit first) ----

std::string stripLeadingZeros(std::string s) {
  size_t i = 0;
  while (i < s.size() && s[i] == '0') ++i;
  return s.substr(i);
}

int ucmp(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string uadd(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(std::max(a.size(), b.size()) + 1);
  int carry = 0;
  size_t i = a.size(), j = b.size();
  while (i > 0 || j > 0 || carry) {
    int s = carry;
    if (i > 0) s += a[--i] - '0';
    if (j > 0) s += b[--j] - '0';
    out.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return stripLeadingZeros(std::move(out));
}

// a - b, requires a >= b.
std::string usub(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size());
  int borrow = 0;
  size_t i = a.size(), j = b.size();
  while (i > 0) {
    int d = (a[--i] - '0') - borrow - (j > 0 ? b[--j] - '0' : 0);
    borrow = d < 0;
    if (d < 0) d += 10;
    out.push_back(static_cast<char>('0' + d));
  }
  std::reverse(out.begin(), out.end());
  return stripLeadingZeros(std::move(out));
}

std::string umul(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return {};
  std::vector<uint32_t> acc(a.size() + b.size(), 0);
  for (size_t i = a.size(); i-- > 0;) {
    uint32_t da = static_cast<uint32_t>(a[i] - '0');
    if (da == 0) continue;
    for (size_t j = b.size(); j-- > 0;) {
      acc[i + j + 1] += da * static_cast<uint32_t>(b[j] - '0');
    }
    // Normalise this row's carries so the accumulator cannot overflow.
    for (size_t k = acc.size(); k-- > 1;) {
      acc[k - 1] += acc[k] / 10;
      acc[k] %= 10;
    }
  }
  std::string out;
  out.reserve(acc.size());
  for (uint32_t d : acc) out.push_back(static_cast<char>('0' + d));
  return stripLeadingZeros(std::move(out));
}

// floor(n / d) for digit strings, d non-zero; `rem` receives the remainder.
std::string udiv(std::string_view n, std::string_view d, std::string* rem) {
  std::string q, r;
  q.reserve(n.size());
  for (char c : n) {
    if (!r.empty() || c != '0') r.push_back(c);
    int digit = 0;
    while (ucmp(r, d) >= 0) {
      r = usub(r, d);
      ++digit;
    }
    q.push_back(static_cast<char>('0' + digit));
  }
  if (rem) *rem = r;
  return stripLeadingZeros(std::move(q));
}

// A decimal as an unsigned digit string times 10^-scale.
struct Scaled {
  bool negative = false;
  std::string digits;  // no leading zeros; "" = 0
  int64_t scale = 0;
};

Scaled toScaled(const Decimal& d) {
  return {d.negative, stripLeadingZeros(d.int_digits + d.frac_digits),
          static_cast<int64_t>(d.frac_digits.size())};
}

Decimal fromScaled(const Scaled& s) {
  Decimal d;
  std::string digits = s.digits;
  if (static_cast<int64_t>(digits.size()) <= s.scale) {
    digits.insert(0, static_cast<size_t>(s.scale - static_cast<int64_t>(digits.size()) + 1), '0');
  }
  size_t int_len = digits.size() - static_cast<size_t>(s.scale);
  d.int_digits = stripLeadingZeros(digits.substr(0, int_len));
  d.frac_digits = digits.substr(int_len);
  while (!d.frac_digits.empty() && d.frac_digits.back() == '0') d.frac_digits.pop_back();
  d.negative = s.negative && !d.isZero();
  return d;
}

void alignScale(Scaled& a, Scaled& b) {
  if (a.scale < b.scale) {
    if (!a.digits.empty()) a.digits.append(static_cast<size_t>(b.scale - a.scale), '0');
    a.scale = b.scale;
  } else if (b.scale < a.scale) {
    if (!b.digits.empty()) b.digits.append(static_cast<size_t>(a.scale - b.scale), '0');
    b.scale = a.scale;
  }
}

Scaled addScaled(Scaled a, Scaled b) {
  alignScale(a, b);
  Scaled r;
  r.scale = a.scale;
  if (a.negative == b.negative) {
    r.digits = uadd(a.digits, b.digits);
    r.negative = a.negative;
  } else if (ucmp(a.digits, b.digits) >= 0) {
    r.digits = usub(a.digits, b.digits);
    r.negative = a.negative;
  } else {
    r.digits = usub(b.digits, a.digits);
    r.negative = b.negative;
  }
  return r;
}

}  // namespace

// ---- rdf::Decimal arithmetic ----

Decimal decimalAdd(const Decimal& a, const Decimal& b) {
  return fromScaled(addScaled(toScaled(a), toScaled(b)));
}

Decimal decimalSub(const Decimal& a, const Decimal& b) {
  Scaled nb = toScaled(b);
  nb.negative = !nb.negative;
  return fromScaled(addScaled(toScaled(a), nb));
}

Decimal decimalMul(const Decimal& a, const Decimal& b) {
  Scaled x = toScaled(a), y = toScaled(b);
  Scaled r;
  r.digits = umul(x.digits, y.digits);
  r.scale = x.scale + y.scale;
  r.negative = x.negative != y.negative;
  return fromScaled(r);
}

std::optional<Decimal> decimalDiv(const Decimal& a, const Decimal& b, int64_t min_frac_digits) {
  if (b.isZero()) return std::nullopt;
  Scaled x = toScaled(a), y = toScaled(b);
  int64_t precision = std::max({min_frac_digits, x.scale, y.scale});
  // value = (X / Y) * 10^(y.scale - x.scale); compute q = X * 10^e / Y with
  // e = precision + 1 - x.scale + y.scale, i.e. one guard digit.
  int64_t e = precision + 1 - x.scale + y.scale;
  std::string num = x.digits, den = y.digits;
  if (e >= 0) {
    if (!num.empty()) num.append(static_cast<size_t>(e), '0');
  } else {
    den.append(static_cast<size_t>(-e), '0');
  }
  std::string q = udiv(num.empty() ? "0" : num, den, nullptr);
  // Round half away from zero on the guard digit.
  int guard = q.empty() ? 0 : q.back() - '0';
  q = q.empty() ? std::string() : q.substr(0, q.size() - 1);
  if (guard >= 5) q = uadd(q, "1");
  Scaled r{x.negative != y.negative, stripLeadingZeros(q), precision};
  return fromScaled(r);
}

Decimal decimalFromInt64(int64_t v) {
  Decimal d;
  if (v == 0) return d;
  d.negative = v < 0;
  uint64_t mag = v < 0 ? (~static_cast<uint64_t>(v) + 1) : static_cast<uint64_t>(v);
  d.int_digits = std::to_string(mag);
  return d;
}

std::optional<int64_t> decimalToInt64(const Decimal& d) {
  if (!d.isInteger()) return std::nullopt;
  if (d.int_digits.size() > 19) return std::nullopt;
  if (d.int_digits.empty()) return 0;
  uint64_t mag = std::strtoull(d.int_digits.c_str(), nullptr, 10);
  if (d.int_digits.size() == 19 && d.int_digits > "18446744073709551615") return std::nullopt;
  if (d.negative) {
    if (mag > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(~mag + 1);
  }
  if (mag > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(mag);
}

Decimal decimalFromDoubleShortest(double d, bool as_float) {
  // Reuse the canonical float/double mapping of xsd.h ("-7.875E0"), which is
  // the shortest mantissa that reads back to the same value, and shift its
  // exponent into a plain decimal.
  Value v;
  v.type = as_float ? ValueType::kFloat : ValueType::kDouble;
  v.datatype = as_float ? rdf::Datatype::kFloat : rdf::Datatype::kDouble;
  v.number = d;
  std::string s = rdf::canonicalLexical(v);
  Decimal out;
  size_t epos = s.find('E');
  if (epos == std::string::npos) return out;
  std::string mant = s.substr(0, epos);
  long exp = std::strtol(s.c_str() + epos + 1, nullptr, 10);
  bool neg = !mant.empty() && mant[0] == '-';
  if (neg) mant.erase(0, 1);
  size_t dot = mant.find('.');
  std::string digits = mant.substr(0, dot) + (dot == std::string::npos ? "" : mant.substr(dot + 1));
  int64_t scale = dot == std::string::npos ? 0 : static_cast<int64_t>(mant.size() - dot - 1);
  scale -= exp;
  Scaled sc{neg, stripLeadingZeros(digits), scale};
  if (sc.scale < 0) {
    if (!sc.digits.empty()) sc.digits.append(static_cast<size_t>(-sc.scale), '0');
    sc.scale = 0;
  }
  return fromScaled(sc);
}

Decimal decimalTruncate(const Decimal& d) {
  Decimal r = d;
  r.frac_digits.clear();
  if (r.isZero()) r.negative = false;
  return r;
}

Decimal decimalFloor(const Decimal& d) {
  Decimal r = decimalTruncate(d);
  if (d.negative && !d.frac_digits.empty()) {
    r.int_digits = uadd(r.int_digits, "1");
    r.negative = true;
  }
  return r;
}

Decimal decimalCeil(const Decimal& d) {
  Decimal r = decimalTruncate(d);
  if (!d.negative && !d.frac_digits.empty()) r.int_digits = uadd(r.int_digits, "1");
  return r;
}

Decimal decimalRound(const Decimal& d) {
  // fn:round: the nearest integer, halves rounded toward positive infinity.
  if (d.frac_digits.empty()) return d;
  Decimal r = decimalTruncate(d);
  bool above_half = d.frac_digits[0] > '5' || (d.frac_digits[0] == '5' && d.frac_digits.size() > 1);
  bool is_half = d.frac_digits == "5";
  bool away = d.negative ? above_half : (above_half || is_half);
  if (away) {
    r.int_digits = uadd(r.int_digits, "1");
    r.negative = d.negative;
  }
  if (r.isZero()) r.negative = false;
  return r;
}

Decimal exactDecimal(const Value& v) {
  if (v.type == ValueType::kInteger && !v.big_integer) return decimalFromInt64(v.integer);
  return v.decimal;
}

std::string decimalPlainString(const Decimal& d) {
  std::string s;
  if (d.negative) s.push_back('-');
  s += d.int_digits.empty() ? "0" : d.int_digits;
  if (!d.frac_digits.empty()) {
    s.push_back('.');
    s += d.frac_digits;
  }
  return s;
}

namespace {

// A numeric operand: the parsed value of a valid numeric literal.
std::optional<Value> numericValue(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral || !t.lang.empty()) return std::nullopt;
  Value v = rdf::parseValue(t.view());
  if (!v.isValid() || !rdf::isNumeric(v)) return std::nullopt;
  return v;
}

rdf::Term integerTerm(int64_t v) { return typedLiteral(std::to_string(v), rdf::Datatype::kInteger); }

// The operand as float (values of float type are held exactly in `number`).
float asFloat(const Value& v) {
  if (v.type == ValueType::kFloat) return static_cast<float>(v.number);
  if (v.type == ValueType::kDecimal || (v.type == ValueType::kInteger && v.big_integer)) {
    return std::strtof(decimalPlainString(v.decimal).c_str(), nullptr);
  }
  if (v.type == ValueType::kInteger) return static_cast<float>(v.integer);
  return static_cast<float>(rdf::toDouble(v));
}

OptTerm exactArithmetic(ExprKind op, const Decimal& a, const Decimal& b, bool integer_result) {
  Decimal r;
  switch (op) {
    case ExprKind::kAdd: r = decimalAdd(a, b); break;
    case ExprKind::kSubtract: r = decimalSub(a, b); break;
    case ExprKind::kMultiply: r = decimalMul(a, b); break;
    case ExprKind::kDivide: {
      auto q = decimalDiv(a, b);
      if (!q) return std::nullopt;  // err:FOAR0001
      return decimalLiteral(*q);
    }
    default: return std::nullopt;
  }
  return integer_result ? integerFromDecimal(r) : decimalLiteral(r);
}

}  // namespace

OptTerm numericBuiltin(Builtin b, const rdf::Term& arg) {
  auto v = numericValue(arg);
  if (!v) return std::nullopt;
  switch (v->type) {
    case ValueType::kInteger: {
      if (b != Builtin::kAbs) return typedLiteral(rdf::canonicalLexical(*v), rdf::Datatype::kInteger);
      if (!v->big_integer && v->integer != INT64_MIN) return integerTerm(std::llabs(v->integer));
      Decimal d = exactDecimal(*v);
      d.negative = false;
      return integerFromDecimal(d);
    }
    case ValueType::kDecimal: {
      Decimal d = v->decimal;
      switch (b) {
        case Builtin::kAbs: d.negative = false; break;
        case Builtin::kCeil: d = decimalCeil(d); break;
        case Builtin::kFloor: d = decimalFloor(d); break;
        case Builtin::kRound: d = decimalRound(d); break;
        default: return std::nullopt;
      }
      return decimalLiteral(d);
    }
    case ValueType::kFloat:
    case ValueType::kDouble: {
      double x = v->number, r = x;
      switch (b) {
        case Builtin::kAbs: r = std::fabs(x); break;
        case Builtin::kCeil: r = std::ceil(x); break;
        case Builtin::kFloor: r = std::floor(x); break;
        case Builtin::kRound:
          if (std::isfinite(x)) {
            double f = std::floor(x);
            r = (x - f >= 0.5) ? f + 1 : f;
            if (r == 0 && std::signbit(x)) r = -0.0;
          }
          break;
        default: return std::nullopt;
      }
      return v->type == ValueType::kFloat ? floatLiteral(static_cast<float>(r)) : doubleLiteral(r);
    }
    default: return std::nullopt;
  }
}

}  // namespace internal::fn

namespace fn = internal::fn;

std::optional<rdf::Term> arithmetic(ExprKind op, const rdf::Term& a, const rdf::Term& b) {
  using rdf::ValueType;
  auto x = fn::numericValue(a);
  auto y = fn::numericValue(b);
  if (!x || !y) return std::nullopt;  // dateTime/duration arithmetic: not supported
  ValueType t = rdf::promotedNumericType(*x, *y);
  switch (t) {
    case ValueType::kInteger: {
      if (!x->big_integer && !y->big_integer && op != ExprKind::kDivide) {
        int64_t r = 0;
        bool overflow = false;
        switch (op) {
          case ExprKind::kAdd: overflow = __builtin_add_overflow(x->integer, y->integer, &r); break;
          case ExprKind::kSubtract: overflow = __builtin_sub_overflow(x->integer, y->integer, &r); break;
          case ExprKind::kMultiply: overflow = __builtin_mul_overflow(x->integer, y->integer, &r); break;
          default: return std::nullopt;
        }
        if (!overflow) return fn::integerTerm(r);
      }
      return fn::exactArithmetic(op, fn::exactDecimal(*x), fn::exactDecimal(*y),
                                 op != ExprKind::kDivide);
    }
    case ValueType::kDecimal:
      return fn::exactArithmetic(op, fn::exactDecimal(*x), fn::exactDecimal(*y), false);
    case ValueType::kFloat: {
      float p = fn::asFloat(*x), q = fn::asFloat(*y), r = 0;
      switch (op) {
        case ExprKind::kAdd: r = p + q; break;
        case ExprKind::kSubtract: r = p - q; break;
        case ExprKind::kMultiply: r = p * q; break;
        case ExprKind::kDivide: r = p / q; break;
        default: return std::nullopt;
      }
      return fn::floatLiteral(r);
    }
    case ValueType::kDouble: {
      double p = rdf::toDouble(*x), q = rdf::toDouble(*y), r = 0;
      switch (op) {
        case ExprKind::kAdd: r = p + q; break;
        case ExprKind::kSubtract: r = p - q; break;
        case ExprKind::kMultiply: r = p * q; break;
        case ExprKind::kDivide: r = p / q; break;
        default: return std::nullopt;
      }
      return fn::doubleLiteral(r);
    }
    default: return std::nullopt;
  }
}

std::optional<rdf::Term> unaryArithmetic(ExprKind op, const rdf::Term& a) {
  using rdf::ValueType;
  auto v = fn::numericValue(a);
  if (!v) return std::nullopt;
  bool negate = op == ExprKind::kUnaryMinus;
  if (!negate && op != ExprKind::kUnaryPlus) return std::nullopt;
  switch (v->type) {
    case ValueType::kInteger: {
      if (!v->big_integer && v->integer != INT64_MIN) {
        return fn::integerTerm(negate ? -v->integer : v->integer);
      }
      rdf::Decimal d = fn::exactDecimal(*v);
      if (negate && !d.isZero()) d.negative = !d.negative;
      return fn::integerFromDecimal(d);
    }
    case ValueType::kDecimal: {
      rdf::Decimal d = v->decimal;
      if (negate && !d.isZero()) d.negative = !d.negative;
      return fn::decimalLiteral(d);
    }
    case ValueType::kFloat:
      return fn::floatLiteral(static_cast<float>(negate ? -v->number : v->number));
    case ValueType::kDouble:
      return fn::doubleLiteral(negate ? -v->number : v->number);
    default: return std::nullopt;
  }
}

}  // namespace weft::sparql
