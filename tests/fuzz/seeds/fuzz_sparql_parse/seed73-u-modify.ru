PREFIX : <http://example.org/>
WITH :g DELETE { ?s :p ?o } INSERT { ?s :q [ :r ?o ] } USING :h WHERE { ?s :p ?o FILTER(?o > 1) }
