// SPDX-License-Identifier: Apache-2.0
// The CSV / TSV logical source (RML-IO reference formulation rml:CSV, with the
// CSVW dialect of "Metadata Vocabulary for Tabular Data" section 5.9:
// delimiter, quoteChar, header, trim). Records follow RFC 4180 section 2:
// fields separated by the delimiter, records by CRLF, LF or a lone CR; a
// field starting with the quote character runs to the matching quote, may
// hold delimiters and line breaks, and writes a quote as two quotes.
//
// Choices where RFC 4180 is silent or strict:
//  - a quote inside an unquoted field is an ordinary character;
//  - after a closing quote only the delimiter, a line break or the end may
//    follow (blanks too when trimming), else a syntax error;
//  - an empty line (no bytes between two line breaks) is skipped, as
//    Python's csv.DictReader does; a line of delimiters is a record;
//  - every record must have as many fields as the header (the first record
//    when there is no header row): ragged rows are an error naming the file,
//    the row and the line;
//  - an empty field is the empty string, NOT null, unless "" is among
//    spec.nulls (RML-IO test RMLSTC0004a expects "" literals for an empty
//    field when no rml:null is given; 0004b lists rml:null "");
//  - values are kString: CSV has no types;
//  - without a header row, columns are named "_col.N" (CSVW section 5.1.6
//    default column names, N from 1) or plainly "N";
//  - an empty file (not even a header) has no records, and any reference
//    compiles, so mappings over an empty export produce nothing.
// position() counts data records from 1 ("friends.csv row 3"); errors add
// the line number of the record's first line.
//
// Streaming: the input is read in chunks (1 MiB) into one buffer; a record is
// parsed into (offset, length) pairs pointing into that buffer, or, for a
// quoted field, into a scratch string holding its unescaped text. Neither
// buffer is reallocated once warm, so a record costs no allocation. A record
// cut by the end of the buffer is parsed again after the next read (the read
// size doubles while the record keeps growing, so that is linear).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sources/input.h"
#include "engine/sources/internal/csv_reader.h"
#include "engine/sources/internal/input_stream.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace internal {
namespace {

class CsvSource : public Source {
 public:
  CsvSource(const SourceSpec& spec, std::unique_ptr<InputStream> in, std::string name, const CsvOptions& opt)
      : in_(std::move(in)),
        name_(std::move(name)),
        delim_(spec.delimiter),
        quote_(spec.quote),
        header_(spec.header),
        trim_(spec.trim),
        nulls_(spec.nulls),
        max_record_(std::max<size_t>(spec.max_record_bytes, 1)),
        chunk_(std::max<size_t>(opt.chunk_bytes, 1)) {
    std::memset(stop_, 0, sizeof stop_);
    stop_[static_cast<unsigned char>(delim_)] = true;
    stop_[static_cast<unsigned char>('\n')] = true;
    stop_[static_cast<unsigned char>('\r')] = true;
  }

  // Reads the header row (or, without one, the first record for its width).
  Status start() {
    bool has = false;
    WEFT_TRY(parseNext(&has));
    if (!has) {
      empty_ = true;
      return Status::ok();
    }
    ncols_ = fields_.size();
    if (header_) {
      columns_.reserve(ncols_);
      for (size_t i = 0; i < ncols_; ++i) columns_.emplace_back(field(i));
    } else {
      pending_first_ = true;
    }
    return Status::ok();
  }

  Status compile(std::string_view reference, RefId* id) override {
    size_t col = kNoColumn;
    if (header_) {
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == reference) {
          col = i;
          break;
        }
      }
    } else {
      std::string_view digits = reference;
      if (digits.substr(0, 5) == "_col.") digits.remove_prefix(5);
      size_t n = 0;
      bool ok = !digits.empty() && digits.size() < 10;
      for (char c : digits) {
        if (c < '0' || c > '9') ok = false;
        n = n * 10 + static_cast<size_t>(c - '0');
      }
      if (ok && n >= 1 && n <= ncols_) col = n - 1;
    }
    if (col == kNoColumn && !empty_) return unknownColumn(reference);
    *id = static_cast<RefId>(refs_.size());
    refs_.push_back(col);
    return Status::ok();
  }

  Status next(bool* has) override {
    *has = false;
    if (empty_) return Status::ok();
    if (pending_first_) {
      pending_first_ = false;
      *has = true;
      ++row_;
      return Status::ok();
    }
    WEFT_TRY(parseNext(has));
    if (!*has) return Status::ok();
    ++row_;
    if (fields_.size() != ncols_) {
      *has = false;
      return Status::syntaxError(where() + ": " + std::to_string(fields_.size()) + " field" +
                                 (fields_.size() == 1 ? "" : "s") + ", but the " +
                                 (header_ ? "header has " : "first record has ") + std::to_string(ncols_) +
                                 (ncols_ == 1 ? " column" : " columns"));
    }
    return Status::ok();
  }

  Status values(RefId id, std::vector<Value>* out) override {
    if (id >= refs_.size()) return Status::invalidArgument(name_ + ": reference id " + std::to_string(id) + " was not compiled");
    size_t col = refs_[id];
    if (row_ == 0 || col >= fields_.size()) return Status::ok();  // no record yet
    std::string_view v = field(col);
    for (const std::string& n : nulls_) {
      if (n == v) return Status::ok();
    }
    out->emplace_back();
    out->back().text.assign(v.data(), v.size());
    return Status::ok();
  }

  std::string position() const override { return name_ + " row " + std::to_string(row_); }

 private:
  static constexpr size_t kNoColumn = ~size_t{0};

  struct Field {
    size_t off;
    size_t len;
    bool scratch;  // in scratch_ (an unescaped quoted field), else in buf_
  };

  enum class Outcome { kRecord, kBlank, kNeedMore, kEnd };

  std::string_view field(size_t i) const {
    const Field& f = fields_[i];
    return f.scratch ? std::string_view(scratch_).substr(f.off, f.len) : std::string_view(buf_).substr(f.off, f.len);
  }

  std::string where() const {
    return name_ + " row " + std::to_string(row_) + " (line " + std::to_string(line_) + ")";
  }

  Status unknownColumn(std::string_view reference) const {
    std::string msg = name_ + ": unknown column '" + std::string(reference) + "'";
    if (header_) {
      msg += "; the columns are: ";
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0) msg += ", ";
        msg += "'" + columns_[i] + "'";
      }
    } else {
      msg += "; the file has no header row, so columns are _col.1 .. _col." + std::to_string(ncols_);
    }
    return Status::invalidArgument(std::move(msg));
  }

  // Parses the next record into fields_, reading more input as needed.
  Status parseNext(bool* has) {
    *has = false;
    for (;;) {
      Outcome out = Outcome::kEnd;
      size_t lines = 0;
      size_t end = 0;
      WEFT_TRY(parseAt(&out, &end, &lines));
      if (out == Outcome::kNeedMore) {
        if (buf_.size() - pos_ > max_record_) {
          line_ = next_line_;
          return Status::syntaxError(name_ + " line " + std::to_string(line_) + ": record longer than " +
                                     std::to_string(max_record_) + " bytes");
        }
        WEFT_TRY(fill());
        continue;
      }
      if (out == Outcome::kEnd) return Status::ok();
      line_ = next_line_;
      next_line_ += lines;
      if (end - pos_ > max_record_) {
        return Status::syntaxError(name_ + " line " + std::to_string(line_) + ": record longer than " +
                                   std::to_string(max_record_) + " bytes");
      }
      pos_ = end;
      if (out == Outcome::kBlank) continue;
      *has = true;
      return Status::ok();
    }
  }

  // Drops consumed bytes and appends the next chunk; the read grows with the
  // pending record so that re-parsing a long record stays linear.
  Status fill() {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    size_t want = std::max(chunk_, buf_.size());
    bool eof = false;
    WEFT_TRY(in_->read(want, &buf_, &eof));
    if (eof) eof_ = true;
    return Status::ok();
  }

  Status syntax(size_t lines_before, const std::string& what) const {
    return Status::syntaxError(name_ + " line " + std::to_string(next_line_ + lines_before) + ": " + what);
  }

  // Parses one record from pos_ without consuming it: *end is where the
  // next record starts, *lines the line breaks inside it.
  Status parseAt(Outcome* out, size_t* end_out, size_t* lines_out) {
    fields_.clear();
    scratch_.clear();
    const char* b = buf_.data();
    const size_t end = buf_.size();
    size_t p = pos_;
    size_t lines = 0;
    if (p == end) {
      *out = eof_ ? Outcome::kEnd : Outcome::kNeedMore;
      return Status::ok();
    }
    // An empty line.
    if (b[p] == '\n' || b[p] == '\r') {
      if (b[p] == '\r' && p + 1 == end && !eof_) {
        *out = Outcome::kNeedMore;
        return Status::ok();
      }
      p += (b[p] == '\r' && p + 1 < end && b[p + 1] == '\n') ? 2 : 1;
      *out = Outcome::kBlank;
      *end_out = p;
      *lines_out = 1;
      return Status::ok();
    }
    for (;;) {
      if (trim_) {
        while (p < end && (b[p] == ' ' || b[p] == '\t') && b[p] != delim_) ++p;
      }
      if (quote_ != '\0' && p < end && b[p] == quote_) {
        // Quoted field: copy the text between the quotes, "" -> ".
        ++p;
        size_t start = scratch_.size();
        for (;;) {
          const void* q = std::memchr(b + p, quote_, end - p);
          if (q == nullptr) {
            if (!eof_) {
              *out = Outcome::kNeedMore;
              return Status::ok();
            }
            return syntax(0, "quoted field not closed before the end of the file");
          }
          size_t qi = static_cast<size_t>(static_cast<const char*>(q) - b);
          scratch_.append(b + p, qi - p);
          lines += countBreaks(b + p, qi - p);
          p = qi + 1;
          if (p == end && !eof_) {
            *out = Outcome::kNeedMore;
            return Status::ok();
          }
          if (p < end && b[p] == quote_) {
            scratch_.push_back(quote_);
            ++p;
            continue;
          }
          break;
        }
        fields_.push_back({start, scratch_.size() - start, true});
        if (trim_) {
          while (p < end && (b[p] == ' ' || b[p] == '\t') && b[p] != delim_) ++p;
        }
        if (p < end && b[p] != delim_ && b[p] != '\n' && b[p] != '\r') {
          return syntax(lines, std::string("unexpected character '") + b[p] + "' after a closing quote");
        }
      } else {
        size_t start = p;
        while (p < end && !stop_[static_cast<unsigned char>(b[p])]) ++p;
        if (p == end && !eof_) {
          *out = Outcome::kNeedMore;
          return Status::ok();
        }
        size_t stop = p;
        if (trim_) {
          while (stop > start && (b[stop - 1] == ' ' || b[stop - 1] == '\t') && b[stop - 1] != delim_) --stop;
        }
        fields_.push_back({start, stop - start, false});
      }
      // After a field: a delimiter, a line break or the end of the input.
      if (p == end) {
        if (!eof_) {
          *out = Outcome::kNeedMore;
          return Status::ok();
        }
        break;
      }
      char c = b[p];
      if (c == delim_) {
        ++p;
        continue;
      }
      if (c == '\r') {
        if (p + 1 == end && !eof_) {
          *out = Outcome::kNeedMore;
          return Status::ok();
        }
        p += (p + 1 < end && b[p + 1] == '\n') ? 2 : 1;
      } else {
        ++p;  // '\n'
      }
      ++lines;
      break;
    }
    *out = Outcome::kRecord;
    *end_out = p;
    *lines_out = lines;
    return Status::ok();
  }

  // Line breaks (LF, CRLF or lone CR) inside a quoted field.
  static size_t countBreaks(const char* s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
      if (s[i] == '\n') {
        ++count;
      } else if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')) {
        ++count;
      }
    }
    return count;
  }

  std::unique_ptr<InputStream> in_;
  std::string name_;
  char delim_;
  char quote_;
  bool header_;
  bool trim_;
  std::vector<std::string> nulls_;
  size_t max_record_;
  size_t chunk_;
  bool stop_[256];

  std::string buf_;      // input not yet consumed starts at pos_
  size_t pos_ = 0;
  bool eof_ = false;     // the input has no more bytes after buf_
  std::vector<Field> fields_;
  std::string scratch_;  // unescaped quoted fields of the current record

  std::vector<std::string> columns_;
  size_t ncols_ = 0;
  bool empty_ = false;          // no header / first record at all
  bool pending_first_ = false;  // header_ == false: the first record is parsed already
  std::vector<size_t> refs_;    // RefId -> column
  uint64_t row_ = 0;            // data records returned so far
  uint64_t line_ = 1;           // first line of the current record
  uint64_t next_line_ = 1;      // line at pos_
};

Status checkDialect(const SourceSpec& spec, const std::string& name) {
  if (spec.delimiter == '\n' || spec.delimiter == '\r' || spec.delimiter == '\0') {
    return Status::invalidArgument(name + ": the CSV delimiter cannot be a line break or NUL");
  }
  if (spec.quote == '\n' || spec.quote == '\r') {
    return Status::invalidArgument(name + ": the CSV quote character cannot be a line break");
  }
  if (spec.quote == spec.delimiter) {
    return Status::invalidArgument(name + ": the CSV delimiter and quote character must differ");
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Source>> openCsvStream(const SourceSpec& spec, std::unique_ptr<InputStream> in,
                                              std::string name, const CsvOptions& options) {
  WEFT_TRY(checkDialect(spec, name));
  auto src = std::make_unique<CsvSource>(spec, std::move(in), std::move(name), options);
  WEFT_TRY(src->start());
  return std::unique_ptr<Source>(std::move(src));
}

Result<std::unique_ptr<Source>> openCsvMemory(const SourceSpec& spec, std::string_view data, std::string name,
                                              const CsvOptions& options) {
  auto in = decodeInput(memoryByteReader(data), spec.encoding, name);
  if (!in) return in.status();
  return openCsvStream(spec, std::move(in).value(), std::move(name), options);
}

}  // namespace internal

Result<std::unique_ptr<Source>> openCsv(const SourceSpec& spec) {
  auto in = openInput(spec);
  if (!in) return in.status();
  return internal::openCsvStream(spec, std::move(in).value(), internal::baseName(spec.path));
}

}  // namespace weft::sources
