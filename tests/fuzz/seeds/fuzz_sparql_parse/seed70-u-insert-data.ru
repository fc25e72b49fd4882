PREFIX : <http://example.org/>
INSERT DATA { :a :p :b . GRAPH :g { :a :q "x"@en } }
