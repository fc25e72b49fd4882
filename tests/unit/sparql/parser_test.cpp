// SPDX-License-Identifier: Apache-2.0
// Tests of the SPARQL 1.1 parser (engine/sparql/parser.h): grammar coverage,
// the section 18.2 translation (checked through toSse), the semantic errors
// of the grammar notes with their line:column, and the input limits.
#include "engine/sparql/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace weft::sparql {
namespace {

constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";

std::string sse(std::string_view text) {
  auto q = parseQuery(text);
  if (!q.isOk()) return "ERROR " + q.status().message();
  return toSse(*q);
}

std::string error(std::string_view text, bool update = false) {
  if (update) {
    auto u = parseUpdate(text);
    return u.isOk() ? "OK" : u.status().message();
  }
  auto q = parseQuery(text);
  return q.isOk() ? "OK" : q.status().message();
}

TEST(SparqlParser, BasicSelect) {
  EXPECT_EQ(sse("PREFIX : <http://e/> SELECT ?x WHERE { ?x :p ?y . ?y :q 'v' }"),
            "(project (?x) (bgp (triple ?x <http://e/p> ?y) (triple ?y <http://e/q> \"v\")))");
  // Keywords are case-insensitive; $x and ?x are one variable.
  EXPECT_EQ(sse("select $x where { ?x a <http://e/C> }"),
            "(project (?x) (bgp (triple ?x <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C>)))");
}

TEST(SparqlParser, PrologueAndIris) {
  auto q = parseQuery(
      "BASE <http://e/dir/> PREFIX ex: <ns#> SELECT * FROM <g1> FROM NAMED <g2> "
      "{ <a> ex:b\\.c ex:d%41 . <../up> ex: ex:1x }");
  ASSERT_TRUE(q.isOk()) << q.status().message();
  EXPECT_EQ(q->base, "http://e/dir/");
  ASSERT_EQ(q->prefixes.size(), 1u);
  EXPECT_EQ(q->prefixes[0].second, "http://e/dir/ns#");
  EXPECT_EQ(toSse(*q),
            "(project () (bgp (triple <http://e/dir/a> <http://e/dir/ns#b.c> <http://e/dir/ns#d%41>) "
            "(triple <http://e/up> <http://e/dir/ns#> <http://e/dir/ns#1x>)))");
  ASSERT_EQ(q->from.size(), 1u);
  EXPECT_EQ(q->from[0].value, "http://e/dir/g1");
  ASSERT_EQ(q->from_named.size(), 1u);
  EXPECT_TRUE(q->has_dataset_clause);
  // Relative IRIs against ParseOptions::base_iri.
  ParseOptions opts;
  opts.base_iri = "http://b/x/y";
  auto r = parseQuery("ASK { <z> <#f> ?o }", opts);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(toSse(*r), "(bgp (triple <http://b/x/z> <http://b/x/y#f> ?o))");
}

TEST(SparqlParser, Literals) {
  auto q = parseQuery(
      "SELECT * { ?s ?p 'a\\tb', \"x\"@en-GB, '''long\n'q''''', \"\"\"d\"\"\"^^<http://t>, "
      "1, -2, +3.5, .5, 1e3, -1.5E-2, true, FALSE, \"\\u00e9\\U0001F600\" }");
  ASSERT_TRUE(q.isOk()) << q.status().message();
  const auto& t = q->pattern->children[0]->triples;
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].o.term.value, "a\tb");
  EXPECT_EQ(t[1].o.term.lang, "en-GB");
  EXPECT_EQ(t[1].o.term.datatype, std::string(rdf::kRdfLangString));
  EXPECT_EQ(t[2].o.term.value, "long\n'q''");
  EXPECT_EQ(t[3].o.term.datatype, "http://t");
  EXPECT_EQ(t[4].o.term.datatype, std::string(kXsd) + "integer");
  EXPECT_EQ(t[5].o.term.value, "-2");
  EXPECT_EQ(t[6].o.term.value, "+3.5");
  EXPECT_EQ(t[6].o.term.datatype, std::string(kXsd) + "decimal");
  EXPECT_EQ(t[7].o.term.datatype, std::string(kXsd) + "decimal");
  EXPECT_EQ(t[8].o.term.datatype, std::string(kXsd) + "double");
  EXPECT_EQ(t[9].o.term.value, "-1.5E-2");
  EXPECT_EQ(t[10].o.term.datatype, std::string(kXsd) + "boolean");
  EXPECT_EQ(t[11].o.term.value, "false");
  EXPECT_EQ(t[12].o.term.value, "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(SparqlParser, CodepointEscapesInQueryText) {
  // Section 19.2: \u escapes apply before parsing, also outside strings.
  EXPECT_EQ(sse("SELECT ?\\u0078 { ?x <http://e/\\u0070> \"\\u0022\" }"),
            "(project (?x) (bgp (triple ?x <http://e/p> \"\\\"\")))");
}

TEST(SparqlParser, BlankNodesAndCollections) {
  EXPECT_EQ(sse("SELECT * { _:a <http://e/p> [ <http://e/q> ?x ] }"),
            "(project (?x) (bgp (triple ?_:a <http://e/p> ?_#b1) (triple ?_#b1 <http://e/q> ?x)))");
  // A user's variable may start with '_' (VARNAME); SELECT * projects it.
  EXPECT_EQ(sse("SELECT * { _:a <http://e/p> ?_x }"),
            "(project (?_x) (bgp (triple ?_:a <http://e/p> ?_x)))");
  EXPECT_EQ(sse("ASK { ?s <http://e/p> (1 ?x) }"),
            "(bgp (triple ?s <http://e/p> ?_#b1) "
            "(triple ?_#b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 1) "
            "(triple ?_#b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> ?_#b2) "
            "(triple ?_#b2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?x) "
            "(triple ?_#b2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>))");
  // FILTER does not end a basic graph pattern: the label may be reused.
  EXPECT_EQ(error("ASK { _:a ?p ?o FILTER(true) _:a ?q ?r }"), "OK");
}

TEST(SparqlParser, GroupTranslation) {
  EXPECT_EQ(
      sse("PREFIX : <http://e/> SELECT * { ?s :p ?o OPTIONAL { ?o :q ?z FILTER(?z > 1) FILTER(?z < 9) } "
          "FILTER(?o != :x) MINUS { ?s :r ?o } BIND(str(?o) AS ?b) VALUES ?s { :a UNDEF } }"),
      "(project (?s ?o ?z ?b) (filter (!= ?o <http://e/x>) (join (extend ((?b (str ?o))) "
      "(minus (leftjoin (bgp (triple ?s <http://e/p> ?o)) (bgp (triple ?o <http://e/q> ?z)) "
      "(&& (> ?z 1) (< ?z 9))) (bgp (triple ?s <http://e/r> ?o)))) "
      "(table (vars ?s) (row [?s <http://e/a>]) (row)))))");
  EXPECT_EQ(sse("SELECT ?x { { ?x ?p 1 } UNION { ?x ?p 2 } UNION {} GRAPH ?g { ?x ?q ?r } }"),
            "(project (?x) (join (union (union (bgp (triple ?x ?p 1)) (bgp (triple ?x ?p 2))) (bgp)) "
            "(graph ?g (bgp (triple ?x ?q ?r)))))");
  // Triples on both sides of a FILTER form one BGP; filters go to the group end.
  EXPECT_EQ(sse("ASK { ?a ?b ?c FILTER(?c) . ?c ?d ?e FILTER(?e) }"),
            "(filter (exprlist ?c ?e) (bgp (triple ?a ?b ?c) (triple ?c ?d ?e)))");
}

TEST(SparqlParser, PropertyPaths) {
  EXPECT_EQ(sse("PREFIX : <http://e/> ASK { ?x ^:p/:q ?y . ?y :a|:b ?z . ?z !(:c|^:d) ?w . "
                "?w (:e/:f)+ ?v . ?v :g? ?u }"),
            "(join (join (join (join (bgp (triple ?_#p1 <http://e/p> ?x) (triple ?_#p1 <http://e/q> ?y)) "
            "(path ?y (alt <http://e/a> <http://e/b>) ?z)) "
            "(path ?z (notoneof <http://e/c> (reverse <http://e/d>)) ?w)) "
            "(path ?w (path+ (seq <http://e/e> <http://e/f>)) ?v)) (path ?v (path? <http://e/g>) ?u))");
}

TEST(SparqlParser, AggregatesAndModifiers) {
  EXPECT_EQ(
      sse("PREFIX : <http://e/> SELECT ?x (COUNT(DISTINCT ?y) AS ?c) (SUM(?z) + 1 AS ?s) "
          "WHERE { ?x :p ?y ; :q ?z } GROUP BY ?x HAVING (COUNT(*) > 1) ORDER BY DESC(?c) "
          "LIMIT 5 OFFSET 2"),
      "(slice 2 5 (project (?x ?c ?s) (order ((desc ?c)) (filter (> ?_#agg3 1) "
      "(extend ((?s (+ ?_#agg2 1))) (extend ((?c ?_#agg1)) (group (?x) ((?_#agg1 (count distinct ?y)) "
      "(?_#agg2 (sum ?z)) (?_#agg3 (count))) (bgp (triple ?x <http://e/p> ?y) "
      "(triple ?x <http://e/q> ?z)))))))))");
  // No GROUP BY: one group with no keys. GROUP BY (expr AS ?v) and a plain expression.
  EXPECT_EQ(sse("SELECT (GROUP_CONCAT(?o; SEPARATOR=',') AS ?g) { ?s ?p ?o }"),
            "(project (?g) (extend ((?g ?_#agg1)) (group () ((?_#agg1 (group_concat (separator \",\") ?o))) "
            "(bgp (triple ?s ?p ?o)))))");
  EXPECT_EQ(sse("SELECT ?l (AVG(?o) AS ?a) { ?s ?p ?o } GROUP BY (lang(?o) AS ?l) str(?s)"),
            "(project (?l ?a) (extend ((?a ?_#agg1)) (group ((?l (lang ?o)) (?_#g2 (str ?s))) "
            "((?_#agg1 (avg ?o))) (bgp (triple ?s ?p ?o)))))");
  EXPECT_EQ(sse("SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ?o LIMIT 3"),
            "(slice _ 3 (distinct (project (?s) (order (?o) (bgp (triple ?s ?p ?o))))))");
  EXPECT_EQ(sse("SELECT REDUCED * { ?s ?p ?o } OFFSET 4"),
            "(slice 4 _ (reduced (project (?s ?p ?o) (bgp (triple ?s ?p ?o)))))");
}

TEST(SparqlParser, TrailingValues) {
  EXPECT_EQ(sse("SELECT * { ?s ?p ?o } ORDER BY ?s VALUES (?s ?x) { (<http://e/a> 1) (UNDEF 2) }"),
            "(project (?s ?p ?o ?x) (order (?s) (join (bgp (triple ?s ?p ?o)) "
            "(table (vars ?s ?x) (row [?s <http://e/a>] [?x 1]) (row [?x 2])))))");
}

TEST(SparqlParser, SubSelectRenamesHiddenVariables) {
  EXPECT_EQ(sse("SELECT ?x { ?x <http://e/p> ?y { SELECT ?y (MAX(?v) AS ?m) { ?y <http://e/v> ?v ; "
                "<http://e/w> ?x } GROUP BY ?y } }"),
            "(project (?x) (join (bgp (triple ?x <http://e/p> ?y)) (project (?y ?m) (extend ((?m ?_#agg1)) "
            "(group (?y) ((?_#agg1 (max ?_#s1_v))) (bgp (triple ?y <http://e/v> ?_#s1_v) "
            "(triple ?y <http://e/w> ?_#s1_x)))))))");
}

TEST(SparqlParser, Expressions) {
  auto q = parseQuery(
      "SELECT ?x { ?x ?p ?o FILTER(!bound(?o) || ?o IN (1, 2) && ?o NOT IN () || -?o * -2 + 3 >= ?x - 1 "
      "|| regex(str(?o), 'a', 'i') || <http://f>(?o) || EXISTS { ?o ?p ?x } || NOT EXISTS { } || "
      "COALESCE() || IF(true, 1, 2) = \"1\"^^<http://t>) }");
  ASSERT_TRUE(q.isOk()) << q.status().message();
  std::string s = toSse(*q);
  EXPECT_NE(s.find("(! (bound ?o))"), std::string::npos) << s;
  EXPECT_NE(s.find("(in ?o 1 2)"), std::string::npos) << s;
  EXPECT_NE(s.find("(notin ?o)"), std::string::npos) << s;
  EXPECT_NE(s.find("(>= (+ (* (- ?o) -2) 3) (- ?x 1))"), std::string::npos) << s;
  EXPECT_NE(s.find("(regex (str ?o) \"a\" \"i\")"), std::string::npos) << s;
  EXPECT_NE(s.find("(<http://f> ?o)"), std::string::npos) << s;
  EXPECT_NE(s.find("(exists (bgp (triple ?o ?p ?x)))"), std::string::npos) << s;
  EXPECT_NE(s.find("(notexists (bgp))"), std::string::npos) << s;
  EXPECT_NE(s.find("(= (if true 1 2) \"1\"^^<http://t>)"), std::string::npos) << s;
}

TEST(SparqlParser, ServiceKeepsItsText) {
  auto q = parseQuery("PREFIX : <http://e/> SELECT * { SERVICE SILENT <http://s> { ?x :p ?y } }");
  ASSERT_TRUE(q.isOk()) << q.status().message();
  const Pattern& p = *q->pattern->children[0];
  ASSERT_EQ(p.kind, PatternKind::kService);
  EXPECT_TRUE(p.silent);
  EXPECT_EQ(p.service_text, "PREFIX : <http://e/>\nSELECT * WHERE { ?x :p ?y }");
}

TEST(SparqlParser, OtherForms) {
  auto c = parseQuery("CONSTRUCT { ?s <http://e/p> _:b . _:b <http://e/q> [] } WHERE { ?s ?p ?o }");
  ASSERT_TRUE(c.isOk()) << c.status().message();
  EXPECT_EQ(c->form, QueryForm::kConstruct);
  ASSERT_EQ(c->construct_template.size(), 2u);
  EXPECT_EQ(c->construct_template[0].o.term.kind, rdf::TermKind::kBlank);
  EXPECT_EQ(c->construct_template[1].s.term.value, "b");
  auto w = parseQuery("CONSTRUCT WHERE { ?s <http://e/p> ?o }");
  ASSERT_TRUE(w.isOk());
  EXPECT_EQ(w->construct_template.size(), 1u);
  EXPECT_EQ(toSse(*w), "(bgp (triple ?s <http://e/p> ?o))");
  auto d = parseQuery("DESCRIBE * { ?s ?p _:x }");
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->describe.size(), 2u);  // ?s ?p, not the blank node
  auto d2 = parseQuery("DESCRIBE <http://e/a> ?x");
  ASSERT_TRUE(d2.isOk());
  EXPECT_EQ(d2->describe.size(), 2u);
  auto a = parseQuery("ASK { }");
  ASSERT_TRUE(a.isOk());
  EXPECT_EQ(a->form, QueryForm::kAsk);
  EXPECT_EQ(toSse(*a), "(bgp)");
}

TEST(SparqlParser, Update) {
  auto u = parseUpdate(
      "PREFIX : <http://e/> INSERT DATA { :s :p \"a\"@en , -1.5e3 ; :q ( 1 _:b ) GRAPH :g { _:b :p true } } ;\n"
      "DELETE WHERE { ?s :p ?o GRAPH ?g { ?s :q ?o } } ;\n"
      "PREFIX e: <http://f/> WITH :g DELETE { ?s :p ?o } INSERT { ?s e:p [ :q ?o ] } USING :u USING NAMED :n "
      "WHERE { ?s :p ?o } ;\n"
      "LOAD SILENT <http://src> INTO GRAPH :g ; CLEAR ALL ; DROP SILENT GRAPH :g ; CREATE GRAPH :h ;\n"
      "ADD DEFAULT TO :h ; MOVE GRAPH :h TO DEFAULT ; COPY SILENT :a TO GRAPH :b ;");
  ASSERT_TRUE(u.isOk()) << u.status().message();
  ASSERT_EQ(u->ops.size(), 10u);
  const auto& ins = u->ops[0];
  EXPECT_EQ(ins.kind, UpdateKind::kInsertData);
  ASSERT_EQ(ins.insert_template.size(), 8u);  // 2 + 1 + 4 list triples + 1 in GRAPH :g
  EXPECT_TRUE(ins.insert_template[0].g.term.isNone());
  EXPECT_EQ(ins.insert_template[7].g.term.value, "http://e/g");
  EXPECT_EQ(ins.insert_template[7].s.term.kind, rdf::TermKind::kBlank);
  const auto& dw = u->ops[1];
  EXPECT_EQ(dw.kind, UpdateKind::kDeleteWhere);
  EXPECT_EQ(dw.delete_template.size(), 2u);
  EXPECT_EQ(toSse(*dw.where, u->vars),
            "(join (bgp (triple ?s <http://e/p> ?o)) (graph ?g (bgp (triple ?s <http://e/q> ?o))))");
  const auto& m = u->ops[2];
  EXPECT_EQ(m.kind, UpdateKind::kModify);
  EXPECT_EQ(m.with.value, "http://e/g");
  EXPECT_EQ(m.insert_template.size(), 2u);
  EXPECT_EQ(m.insert_template[0].p.term.value, "http://f/p");
  EXPECT_TRUE(m.has_using);
  EXPECT_EQ(m.using_graphs.size(), 1u);
  EXPECT_EQ(m.using_named.size(), 1u);
  EXPECT_EQ(u->ops[3].kind, UpdateKind::kLoad);
  EXPECT_TRUE(u->ops[3].silent);
  EXPECT_EQ(u->ops[3].target_iri.value, "http://e/g");
  EXPECT_EQ(u->ops[4].target, GraphTarget::kAll);
  EXPECT_EQ(u->ops[5].target, GraphTarget::kGraph);
  EXPECT_EQ(u->ops[6].kind, UpdateKind::kCreate);
  EXPECT_EQ(u->ops[7].source_target, GraphTarget::kDefault);
  EXPECT_EQ(u->ops[8].target, GraphTarget::kDefault);
  EXPECT_EQ(u->ops[9].source.value, "http://e/a");
  EXPECT_TRUE(parseUpdate("").isOk());
  EXPECT_TRUE(parseUpdate("PREFIX : <http://e/>").isOk());
}

TEST(SparqlParser, SyntaxErrorsHaveLineAndColumn) {
  EXPECT_EQ(error("SELECT ?x\nWHERE { ?x ?p }"), "2:15: unexpected '}', expected a variable or an RDF term");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o ?a ?b ?c }"), "1:21: unexpected '?a', expected '.' or '}'");
  EXPECT_EQ(error("SELECT * { ?s ex:p ?o }"), "1:15: unknown prefix 'ex:'");
  EXPECT_EQ(error("SELECT * { ?s ?p \"a\\qb\" }"), "1:20: invalid escape sequence '\\q' in a string literal");
  EXPECT_EQ(error("SELECT * {"), "1:11: unexpected end of input, expected a triple pattern, '{', OPTIONAL, "
                                 "MINUS, GRAPH, SERVICE, FILTER, BIND, VALUES or '}'");
  // Columns count code points.
  EXPECT_EQ(error("SELECT * { ?s ?p \"\xC3\xA9\xC3\xA9\" ?x }"), "1:23: unexpected '?x', expected '.' or '}'");
}

TEST(SparqlParser, SemanticErrors) {
  EXPECT_EQ(error("SELECT * { ?s ?p ?o BIND(1 AS ?o) }"), "1:31: BIND variable ?o is already in scope");
  EXPECT_EQ(error("SELECT (1 AS ?x) (2 AS ?x) {}"),
            "1:24: variable ?x in SELECT (... AS ?x) is already in scope or projected");
  EXPECT_EQ(error("SELECT (1 AS ?s) { ?s ?p ?o }"),
            "1:14: variable ?s in SELECT (... AS ?s) is already in scope or projected");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o } GROUP BY ?s"),
            "1:23: SELECT * is not allowed with GROUP BY or aggregates");
  EXPECT_EQ(error("SELECT ?o { ?s ?p ?o } GROUP BY ?s"),
            "1:8: variable ?o is neither grouped nor inside an aggregate");
  EXPECT_EQ(error("SELECT ?s (COUNT(?o) AS ?c) { ?s ?p ?o }"),
            "1:8: variable ?s is neither grouped nor inside an aggregate");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o FILTER(COUNT(?o) > 1) }"),
            "1:28: aggregate COUNT is only allowed in SELECT, HAVING and ORDER BY");
  EXPECT_EQ(error("SELECT (SUM(COUNT(?o)) AS ?c) { ?s ?p ?o }"), "1:13: aggregates cannot be nested");
  EXPECT_EQ(error("SELECT * { _:a ?p ?o OPTIONAL { _:a ?q ?r } }"),
            "1:33: blank node label _:a is used in two different basic graph patterns");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o } VALUES (?s ?o) { (1) }"), "1:40: VALUES row has 1 values, expected 2");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o FILTER(_:b) }"), "1:28: unexpected '_:b', expected an expression");
  EXPECT_EQ(error("SELECT * { ?s ?p ?o FILTER(str(?o, ?s)) }"), "1:28: STR takes 1 arguments, not 2");
}

TEST(SparqlParser, UpdateErrors) {
  EXPECT_EQ(error("INSERT DATA { ?s <http://p> 1 }", true), "1:15: variables are not allowed in INSERT DATA");
  EXPECT_EQ(error("DELETE DATA { _:b <http://p> 1 }", true), "1:15: blank nodes are not allowed in DELETE DATA");
  EXPECT_EQ(error("DELETE WHERE { [] <http://p> 1 }", true), "1:16: blank nodes are not allowed in DELETE WHERE");
  EXPECT_EQ(error("DELETE { _:b <http://p> 1 } WHERE {}", true),
            "1:10: blank nodes are not allowed in DELETE templates");
  EXPECT_EQ(error("INSERT DATA { _:b <http://p> 1 } ;\nINSERT DATA { _:b <http://p> 2 }", true),
            "2:15: blank node label _:b is used in two different operations or templates");
  EXPECT_EQ(error("CLEAR GRAPH", true), "1:12: unexpected end of input, expected an IRI");
}

TEST(SparqlParser, Limits) {
  ParseOptions small;
  small.max_bytes = 10;
  auto r = parseQuery("SELECT * { ?s ?p ?o }", small);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("exceeds the limit"), std::string::npos);

  // Deep nesting of groups, expressions, paths and blank node lists: an error, never a crash.
  const int n = 100000;
  std::string groups = "SELECT * " + std::string(n, '{') + std::string(n, '}');
  std::string exprs = "SELECT * { FILTER(" + std::string(n, '(') + "1" + std::string(n, ')') + ") }";
  std::string nots = "SELECT * { FILTER(" + std::string(n, '!') + "1) }";
  std::string paths = "SELECT * { ?s " + std::string(n, '(') + "<p>" + std::string(n, ')') + " ?o }";
  std::string lists = "SELECT * { ?s <p> ";
  for (int i = 0; i < n; ++i) lists += "[<p> ";
  lists += "1" + std::string(n, ']') + " }";
  std::string sums = "SELECT * { FILTER(1";
  for (int i = 0; i < n; ++i) sums += "+1";
  sums += ") }";
  for (const std::string* q : {&groups, &exprs, &nots, &paths, &lists, &sums}) {
    auto res = parseQuery(*q);
    ASSERT_FALSE(res.isOk());
    EXPECT_TRUE(res.status().message().find("nesting deeper than 256") != std::string::npos ||
                res.status().message().find("chained elements") != std::string::npos)
        << res.status().message();
  }
  ParseOptions shallow;
  shallow.max_depth = 3;
  EXPECT_TRUE(parseQuery("SELECT * { { ?s ?p ?o } }", shallow).isOk());
  EXPECT_FALSE(parseQuery("SELECT * { { { { ?s ?p ?o } } } }", shallow).isOk());
}

TEST(SparqlParser, BuiltinNames) {
  EXPECT_STREQ(builtinName(Builtin::kStr), "STR");
  EXPECT_STREQ(builtinName(Builtin::kSameTerm), "sameTerm");
  EXPECT_STREQ(builtinName(Builtin::kEncodeForUri), "ENCODE_FOR_URI");
}

}  // namespace
}  // namespace weft::sparql
