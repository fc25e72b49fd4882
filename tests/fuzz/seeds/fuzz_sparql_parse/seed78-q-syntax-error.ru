PREFIX : <http://example.org/>
SELECT ?x WHERE { ?x :p ?y . FILTER( }
