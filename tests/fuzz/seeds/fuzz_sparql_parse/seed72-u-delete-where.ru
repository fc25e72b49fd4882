PREFIX : <http://example.org/>
DELETE WHERE { ?s :p ?o }
