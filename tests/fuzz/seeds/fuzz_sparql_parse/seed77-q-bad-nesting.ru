PREFIX : <http://example.org/>
SELECT * WHERE { { { { { { { { { { ?s ?p ?o } } } } } } } } } }
