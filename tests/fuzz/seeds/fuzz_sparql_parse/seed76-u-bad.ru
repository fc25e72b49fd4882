PREFIX : <http://example.org/>
INSERT DATA { ?x :p :o }
