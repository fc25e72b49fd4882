// SPDX-License-Identifier: Apache-2.0
// weft_lubm_gen: LUBM data in N-Triples for the reasoning benchmark
// (tests/bench/reason_bench.sh, docs/PERFORMANCE.md "Reasoning").
//
//   weft_lubm_gen --universities N [--seed S] --out FILE.nt
//
// Written from the published description of the LUBM data generator, UBA
// (Guo, Pan, Heflin, "LUBM: A benchmark for OWL knowledge base systems",
// J. Web Semantics 2005, section 2.2 and the UBA profile), over the univ-bench
// ontology (lubm/univ-bench.ttl). Per university 15-25 departments; per
// department:
//   - 7-10 full, 10-14 associate, 8-11 assistant professors, 5-7 lecturers;
//     one full professor is head of the department (ub:headOf);
//   - every faculty member teaches 1-2 courses and 1-2 graduate courses (each
//     course has one teacher), has an undergraduate, a masters and a doctoral
//     degree from a university drawn from a pool of 1000, works for the
//     department, has an e-mail address and a telephone number; professors
//     have a research interest (one of 30);
//   - publications: full professors 15-20, associate 10-18, assistant 5-10,
//     lecturers 0-5, written by that faculty member;
//   - undergraduate students: 8-14 per faculty member, each takes 2-4 of the
//     department's courses, one in five has a professor as advisor;
//   - graduate students: 3-4 per faculty member, each takes 1-3 graduate
//     courses, has a professor as advisor and an undergraduate degree from a
//     university of the pool, and co-authors 0-5 of the department's
//     publications; a fifth to a quarter of them are teaching assistants of a
//     course (each course at most one), a quarter to a third research
//     assistants (ub:ResearchAssistant);
//   - 10-20 research groups, sub-organisations of the department.
// Students are members of their department (ub:memberOf), departments
// sub-organisations of their university. Individuals are typed with their most
// specific class only, as UBA does; a university named as a degree's source is
// typed ub:University.
//
// IRIs as UBA writes them: http://www.University0.edu,
// http://www.Department0.University0.edu,
// http://www.Department0.University0.edu/FullProfessor0 (also
// GraduateStudent3, Course12, GraduateCourse5, ResearchGroup2 ...), and a
// publication under its first author:
// .../AssistantProfessor0/Publication4. Literals are plain: names
// ("FullProfessor0"), e-mail addresses (FullProfessor0@Department0.University0.edu),
// telephone "xxx-xxx-xxxx", research interests ("Research12").
//
// Deterministic: its own PRNG (splitmix64, gen_common.h), reseeded for each
// university from (seed, university index), so university k is the same in
// LUBM(1) ... LUBM(N) for one seed. The stream of draws is not UBA's (that is
// Java's Random), so the counts differ from UBA's files for the same seed;
// the distributions are UBA's. No triple is written twice.

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../gen_common.h"

namespace {

using weft::bench::Rng;

constexpr const char* kUb = "http://swat.cse.lehigh.edu/onto/univ-bench.owl#";
constexpr const char* kType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
constexpr int kUnivPool = 1000;    // universities a degree can come from
constexpr int kResearchPool = 30;  // research interests

class Writer {
 public:
  explicit Writer(FILE* f) : f_(f) { buf_.reserve(1 << 20); }
  ~Writer() { flush(); }
  // <s> <p> <o> .  with p a univ-bench property or rdf:type
  void iri(const std::string& s, const char* p, const std::string& o) {
    open(s, p);
    buf_ += '<';
    buf_ += o;
    buf_ += "> .\n";
    end();
  }
  void type(const std::string& s, const char* cls) {
    buf_ += '<';
    buf_ += s;
    buf_ += "> ";
    buf_ += kType;
    buf_ += " <";
    buf_ += kUb;
    buf_ += cls;
    buf_ += "> .\n";
    end();
  }
  // The literals written here need no escaping (names, addresses, digits).
  void lit(const std::string& s, const char* p, const std::string& o) {
    open(s, p);
    buf_ += '"';
    buf_ += o;
    buf_ += "\" .\n";
    end();
  }
  uint64_t count() const { return n_; }
  bool flush() {
    if (!buf_.empty() && fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) return false;
    buf_.clear();
    return true;
  }

 private:
  void open(const std::string& s, const char* p) {
    buf_ += '<';
    buf_ += s;
    buf_ += "> <";
    buf_ += kUb;
    buf_ += p;
    buf_ += "> ";
  }
  void end() {
    ++n_;
    if (buf_.size() > (1 << 20) - 4096) flush();
  }
  FILE* f_;
  std::string buf_;
  uint64_t n_ = 0;
};

// k distinct values of [0, n), in draw order (a partial Fisher-Yates shuffle).
std::vector<int> distinct(Rng& rng, int k, int n) {
  std::vector<int> pool(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) pool[static_cast<size_t>(i)] = i;
  if (k > n) k = n;
  std::vector<int> out;
  out.reserve(static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) {
    int j = i + static_cast<int>(rng.below(static_cast<uint64_t>(n - i)));
    std::swap(pool[static_cast<size_t>(i)], pool[static_cast<size_t>(j)]);
    out.push_back(pool[static_cast<size_t>(i)]);
  }
  return out;
}

std::string univIri(int u) { return "http://www.University" + std::to_string(u) + ".edu"; }

struct Generator {
  Writer& w;
  std::vector<bool> univ_typed;  // a university's rdf:type is written once

  void typeUniversity(int u) {
    if (static_cast<size_t>(u) >= univ_typed.size()) univ_typed.resize(static_cast<size_t>(u) + 1);
    if (univ_typed[static_cast<size_t>(u)]) return;
    univ_typed[static_cast<size_t>(u)] = true;
    w.type(univIri(u), "University");
  }
  void degree(const std::string& person, const char* prop, int u) {
    w.iri(person, prop, univIri(u));
    typeUniversity(u);
  }

  void university(Rng& rng, int u) {
    const std::string ui = univIri(u);
    typeUniversity(u);
    w.lit(ui, "name", "University" + std::to_string(u));
    int depts = static_cast<int>(rng.range(15, 25));
    for (int d = 0; d < depts; ++d) department(rng, u, d);
  }

  void department(Rng& rng, int u, int d) {
    const std::string dname = "Department" + std::to_string(d);
    const std::string host = dname + ".University" + std::to_string(u) + ".edu";
    const std::string di = "http://www." + host;
    const std::string base = di + "/";
    w.type(di, "Department");
    w.lit(di, "name", dname);
    w.iri(di, "subOrganizationOf", univIri(u));

    // The faculty, by rank.
    struct Rank {
      const char* cls;
      int count;
      int pub_min, pub_max;
      bool professor;
    };
    Rank ranks[4] = {{"FullProfessor", static_cast<int>(rng.range(7, 10)), 15, 20, true},
                     {"AssociateProfessor", static_cast<int>(rng.range(10, 14)), 10, 18, true},
                     {"AssistantProfessor", static_cast<int>(rng.range(8, 11)), 5, 10, true},
                     {"Lecturer", static_cast<int>(rng.range(5, 7)), 0, 5, false}};
    int faculty = 0;
    for (const Rank& r : ranks) faculty += r.count;
    const int undergrads = static_cast<int>(rng.range(8 * faculty, 14 * faculty));
    const int grads = static_cast<int>(rng.range(3 * faculty, 4 * faculty));
    const int tas = static_cast<int>(rng.range(grads / 5, grads / 4));
    const int ras = static_cast<int>(rng.range(grads / 4, grads / 3));
    const int groups = static_cast<int>(rng.range(10, 20));
    const int chair = static_cast<int>(rng.below(static_cast<uint64_t>(ranks[0].count)));

    struct Publication {
      std::string iri;
      std::string name;
      std::vector<std::string> authors;
    };
    std::vector<Publication> pubs;
    int courses = 0;       // Course0 .. Course{courses-1}, taught in this order
    int grad_courses = 0;  // GraduateCourse0 ...
    for (int ri = 0; ri < 4; ++ri) {
      const Rank& r = ranks[ri];
      for (int i = 0; i < r.count; ++i) {
        const std::string local = std::string(r.cls) + std::to_string(i);
        const std::string fi = base + local;
        w.type(fi, r.cls);
        w.lit(fi, "name", local);
        int n = static_cast<int>(rng.range(1, 2));
        for (int k = 0; k < n; ++k) w.iri(fi, "teacherOf", base + "Course" + std::to_string(courses++));
        n = static_cast<int>(rng.range(1, 2));
        for (int k = 0; k < n; ++k)
          w.iri(fi, "teacherOf", base + "GraduateCourse" + std::to_string(grad_courses++));
        degree(fi, "undergraduateDegreeFrom", static_cast<int>(rng.below(kUnivPool)));
        degree(fi, "mastersDegreeFrom", static_cast<int>(rng.below(kUnivPool)));
        degree(fi, "doctoralDegreeFrom", static_cast<int>(rng.below(kUnivPool)));
        w.iri(fi, "worksFor", di);
        w.lit(fi, "emailAddress", local + "@" + host);
        w.lit(fi, "telephone", "xxx-xxx-xxxx");
        if (r.professor)
          w.lit(fi, "researchInterest", "Research" + std::to_string(rng.below(kResearchPool)));
        if (ri == 0 && i == chair) w.iri(fi, "headOf", di);
        n = static_cast<int>(rng.range(r.pub_min, r.pub_max));
        for (int k = 0; k < n; ++k) {
          std::string pn = "Publication" + std::to_string(k);
          pubs.push_back({fi + "/" + pn, pn, {fi}});
        }
      }
    }

    auto advisor = [&]() {
      const Rank& r = ranks[rng.below(3)];  // a professor of any of the three ranks
      return base + r.cls + std::to_string(rng.below(static_cast<uint64_t>(r.count)));
    };
    for (int i = 0; i < undergrads; ++i) {
      const std::string local = "UndergraduateStudent" + std::to_string(i);
      const std::string si = base + local;
      student(si, local, "UndergraduateStudent", di, host);
      for (int c : distinct(rng, static_cast<int>(rng.range(2, 4)), courses))
        w.iri(si, "takesCourse", base + "Course" + std::to_string(c));
      if (rng.below(5) == 0) w.iri(si, "advisor", advisor());
    }
    for (int i = 0; i < grads; ++i) {
      const std::string local = "GraduateStudent" + std::to_string(i);
      const std::string si = base + local;
      student(si, local, "GraduateStudent", di, host);
      for (int c : distinct(rng, static_cast<int>(rng.range(1, 3)), grad_courses))
        w.iri(si, "takesCourse", base + "GraduateCourse" + std::to_string(c));
      degree(si, "undergraduateDegreeFrom", static_cast<int>(rng.below(kUnivPool)));
      w.iri(si, "advisor", advisor());
      for (int p : distinct(rng, static_cast<int>(rng.range(0, 5)), static_cast<int>(pubs.size())))
        pubs[static_cast<size_t>(p)].authors.push_back(si);
    }

    for (const Publication& p : pubs) {
      w.type(p.iri, "Publication");
      w.lit(p.iri, "name", p.name);
      for (const std::string& a : p.authors) w.iri(p.iri, "publicationAuthor", a);
    }
    for (int c = 0; c < courses; ++c) {
      const std::string local = "Course" + std::to_string(c);
      w.type(base + local, "Course");
      w.lit(base + local, "name", local);
    }
    for (int c = 0; c < grad_courses; ++c) {
      const std::string local = "GraduateCourse" + std::to_string(c);
      w.type(base + local, "GraduateCourse");
      w.lit(base + local, "name", local);
    }

    // Teaching and research assistants: distinct graduate students; each TA
    // assists a different undergraduate course.
    std::vector<int> assistants = distinct(rng, tas + ras, grads);
    std::vector<int> assisted = distinct(rng, tas, courses);
    for (size_t i = 0; i < assistants.size(); ++i) {
      const std::string si = base + "GraduateStudent" + std::to_string(assistants[i]);
      if (i < static_cast<size_t>(tas)) {
        w.type(si, "TeachingAssistant");
        w.iri(si, "teachingAssistantOf", base + "Course" + std::to_string(assisted[i]));
      } else {
        w.type(si, "ResearchAssistant");
      }
    }

    for (int g = 0; g < groups; ++g) {
      const std::string gi = base + "ResearchGroup" + std::to_string(g);
      w.type(gi, "ResearchGroup");
      w.iri(gi, "subOrganizationOf", di);
    }
  }

  void student(const std::string& si, const std::string& local, const char* cls,
               const std::string& di, const std::string& host) {
    w.type(si, cls);
    w.lit(si, "name", local);
    w.iri(si, "memberOf", di);
    w.lit(si, "emailAddress", local + "@" + host);
    w.lit(si, "telephone", "xxx-xxx-xxxx");
  }
};

int usage() {
  std::fprintf(stderr, "usage: weft_lubm_gen --universities N [--seed S] --out FILE.nt\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long universities = 1;
  uint64_t seed = 0;
  const char* out = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::printf("usage: weft_lubm_gen --universities N [--seed S] --out FILE.nt\n");
      return 0;
    }
    if (i + 1 >= argc) return usage();
    if (a == "--universities") {
      universities = std::strtol(argv[++i], nullptr, 10);
    } else if (a == "--seed") {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--out" || a == "-o") {
      out = argv[++i];
    } else {
      return usage();
    }
  }
  if (out == nullptr || universities < 1) return usage();
  FILE* f = std::strcmp(out, "-") == 0 ? stdout : std::fopen(out, "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "weft_lubm_gen: %s: %s\n", out, std::strerror(errno));
    return 1;
  }
  uint64_t triples = 0;
  {
    Writer w(f);
    Generator g{w, std::vector<bool>(kUnivPool, false)};
    for (long u = 0; u < universities; ++u) {
      // One stream per university, so university k does not depend on N.
      Rng rng(seed * 0x100000001B3ull + static_cast<uint64_t>(u) + 1);
      g.university(rng, static_cast<int>(u));
    }
    if (!w.flush()) {
      std::fprintf(stderr, "weft_lubm_gen: %s: write failed\n", out);
      return 1;
    }
    triples = w.count();
  }
  if (f != stdout && std::fclose(f) != 0) {
    std::fprintf(stderr, "weft_lubm_gen: %s: %s\n", out, std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "weft_lubm_gen: %ld universities, %llu triples\n", universities,
               static_cast<unsigned long long>(triples));
  return 0;
}
