PREFIX : <http://example.org/>
LOAD SILENT <http://example.org/data.ttl> INTO GRAPH :g
