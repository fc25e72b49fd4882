#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the EPCIS mapping documents epcis-json.ttl and epcis-xml.ttl beside
# this file. The RML they hold is long and repetitive (every identifier goes
# through the same EPC URN / Digital Link / PGLN normalisation, every event
# IRI through the same eventID-or-hash function), so it is generated from the
# small helpers below; edit this script and run it (python3 generate.py),
# then review the diff of the .ttl files, which are what weft compiles in.
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER_COMMON = '#\n# What is read. EPCIS 2.0 JSON / JSON-LD documents (type EPCISDocument: the\n# events of epcisBody.eventList; type EPCISQueryDocument: the events of\n# epcisBody.queryResults.resultsBody.eventList) and EPCIS 1.2 / 2.0 XML\n# (EPCISDocument, EPCISQueryDocument; 1.2 events wrapped in <extension>,\n# <baseExtension> eventID / errorDeclaration; 1.2 header master data).\n# The JSON-LD context is not resolved: field names are read as the EPCIS\n# context defines them.\n#\n# What is checked first (connectors/epcis/epcis_validate.cpp; a document that\n# fails is refused whole, with the event\'s 1-based index and type and the\n# reason, e.g. `event 3 (ObjectEvent): action "ADDD" is not ADD, OBSERVE or\n# DELETE`): JSON well-formed; @context present; type EPCISDocument or\n# EPCISQueryDocument (an EPCIS query, a JSON Schema or a JSON-LD context is\n# refused as such); per event: a known event type; eventTime, recordTime,\n# declarationTime and sensor times xsd:dateTime with an offset;\n# eventTimeZoneOffset +hh:mm; action ADD/OBSERVE/DELETE (none on a\n# TransformationEvent); bizStep, disposition, persistentDisposition,\n# source/destination type, bizTransaction type and error reason either a\n# CBV 2.0 value (bare, urn:epcglobal:cbv:..., https://ref.gs1.org/cbv/...,\n# cbv:...; lists from CBV.ttl) or a full URI of another vocabulary; event\n# fields are those of the type or namespaced extensions ("prefix:name"), and\n# so are the top-level ilmd fields; quantity elements have only epcClass,\n# quantity (a number) and uom (UN/ECE Rec 20); identifier lists hold URIs;\n# certificationInfo is a URI or a list of URIs; sensor report values are\n# numbers; an ObjectEvent has an epcList or quantityList, a TransactionEvent\n# a bizTransactionList, an AssociationEvent a parentID, an AggregationEvent\n# that is not OBSERVE a parentID, a TransformationEvent inputs or outputs.\n# XML: well-formed, EPCISDocument / EPCISQueryDocument root with an\n# EventList; per event eventTime, eventTimeZoneOffset, action, bizStep and\n# disposition as above, numeric quantities.\n#\n# How it maps (docs/connectors.md, "Logistics (EPCIS)"):\n#   event                 <eventID> when given (ni:///sha-256;..., urn:uuid:...),\n#                         else <https://w3id.org/weft/epcis-event/{sha1 of type,\n#                         eventTime, offset, action, bizStep, disposition, readPoint,\n#                         bizLocation, parentID, the first EPC / class of each list,\n#                         the first quantity, the first sensor report (time, type,\n#                         values, exception)}> (JSON and XML hash their own\n#                         lexical forms); a dt:EPCISEvent and a dt:{ObjectEvent|...}\n#   eventTime, recordTime dt:eventTime, dt:recordTime (xsd:dateTime)\n#   eventTimeZoneOffset   dt:eventTimeZoneOffset ; action: dt:action\n#   bizStep, disposition  dt:bizStep cbv:BizStep-{x}, dt:disposition cbv:Disp-{x}\n#                         (bare word, urn:epcglobal:cbv:bizstep:x, cbv:BizStep-x and\n#                         the Web URI all give https://ref.gs1.org/cbv/BizStep-x;\n#                         other URIs are kept); persistentDisposition set/unset:\n#                         dt:persistentDispositionSet / dt:persistentDispositionUnset\n#   EPCs and classes      EPC URNs (sgtin, sscc, sgln, grai, giai, lgtin) become GS1\n#                         Digital Link IRIs (weft-fn:epcToDigitalLink); Digital Links\n#                         on any resolver are rewritten to https://id.gs1.org; PGLN\n#                         becomes .../414/{GLN}; other URIs (gdti, gsrn, idpat, ...)\n#                         are kept as they are\n#   epcList, quantityList dt:hasObject ; parentID: dt:parent ; childEPCs,\n#                         childQuantityList: dt:child ; inputs: dt:input ;\n#                         outputs: dt:output\n#   quantity elements     dt:quantityElement <{event}#{list}-{i}> a dt:QuantityElement ;\n#                         dt:epcClass <class> ; dt:quantity (xsd:decimal) ; dt:uom\n#   readPoint, bizLocation dt:readPoint, dt:bizLocation (SGLN -> .../414/{GLN}[/254/{ext}])\n#   sourceList            owning_party: dt:sourceOwner ; location: dt:sourceLocation ;\n#                         possessing_party: dt:sourcePossessingParty\n#   destinationList       owning_party: dt:destinationOwner ; location:\n#                         dt:destinationLocation ; possessing_party: dt:possessingParty\n#   bizTransactionList    dt:bizTransaction <its URI> ; <URI> a dt:BusinessTransaction ;\n#                         dt:bizTransactionType cbv:BTT-{po|desadv|...}\n#   sensorElementList     dt:sensorReport <{event}#sensorReport-{element}-{report}> a\n#                         dt:SensorReport ; dt:measurementType "Temperature" (gs1:\n#                         prefix dropped) ; dt:value, dt:minValue, dt:maxValue,\n#                         dt:meanValue, dt:standardDeviation (xsd:decimal) ; dt:uom ;\n#                         dt:time (the report\'s, else the metadata\'s) ; dt:startTime,\n#                         dt:endTime ; dt:exception ; dt:stringValue ; dt:booleanValue ;\n#                         dt:sensorDevice (deviceID)\n#   ilmd                  cbvmda:lotNumber / itemExpirationDate of an event that\n#                         commissions SGTINs (epcList, outputEPCList): <.../01/{GTIN}/10/{lot}>\n#                         a iof:Lot ; dt:lotNumber ; dt:expiryDate (xsd:date) ;\n#                         dt:ofProduct <.../01/{GTIN}> ; <unit> dt:memberOfLot <lot>\n#   errorDeclaration      dt:declaredError cbv:ER-{reason} ; dt:errorDeclarationTime ;\n#                         dt:correctedBy <correctiveEventID>\n#   transformationID, certificationInfo: dt:transformationID, dt:certificationInfo (text)\n#\n# Not mapped: user extension fields (example:myField ...) and other ILMD fields;\n# sensorMetadata rawData / dataProcessingMethod / bizRules, report component,\n# chemicalSubstance, microorganism, percRank / percValue, hexBinary / uriValue;\n# epcisHeader master data in JSON; CURIEs with the document\'s own prefixes\n# (ext1:x) are kept as written, not expanded.\n'
HEADER_JSON = "# GS1 EPCIS 2.0 JSON / JSON-LD -> weft: the mapping of the epcis-json connector\n# (connectors/epcis/epcis.cpp). INPUT is the document; its quads go to the\n# document's graph (docs/connectors.md). The EPCIS 1.2 / 2.0 XML binding has\n# the same shape in epcis-xml.ttl.\n{common}#\n# JSON specifics: quantity elements and sensor reports are read through\n# RML-LV logical views (iterable fields) so that they carry the event's IRI.\n@prefix rml: <http://w3id.org/rml/> .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix dt: <https://w3id.org/weft/dt#> .\n@prefix iof: <https://spec.industrialontologies.org/ontology/construct/> .\n@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .\n@prefix idlab-fn: <https://w3id.org/imec/idlab/function#> .\n@prefix weft-fn: <https://w3id.org/weft/fn#> .\n@base <https://w3id.org/weft/mapping/epcis-json> .\n\n"
HEADER_XML = "# GS1 EPCIS 1.2 and 2.0 XML -> weft: the mapping of the epcis-xml connector\n# (connectors/epcis/epcis.cpp). INPUT is the document; its quads go to the\n# document's graph (docs/connectors.md). One document serves both versions:\n# the XPath unions read 1.2's <extension> / <baseExtension> wrappers and\n# 2.0's direct elements. The shape is that of epcis-json.ttl (below).\n{common}#\n# XML specifics: events are //EventList//{ObjectEvent|AggregationEvent|\n# TransactionEvent|TransformationEvent|AssociationEvent}; quantity elements\n# and sensor reports (2.0: attributes) find their event with the ancestor\n# axis. Master data (1.2 header VocabularyList): EPCClass urn:epc:idpat:sgtin\n# -> <.../01/{GTIN}> a dt:ProductDefinition ; dt:gtin ; dt:ndc (when the\n# additionalTradeItemIdentificationTypeCode is US_FDA_NDC) ; rdfs:label\n# (regulatedProductName) ; dt:manufacturerName ; dt:dosageForm ; dt:strength ;\n# dt:netContent. Location SGLN -> <.../414/{GLN}> rdfs:label ; dt:streetAddress ;\n# dt:city ; dt:state ; dt:postalCode ; dt:country. SBDH and the GS1 US DSCSA\n# header: <https://data.sample.example/epcis-document/{InstanceIdentifier}> a\n# dt:EPCISDocument ; dt:sender / dt:receiver <.../414/{GLN}> ; dt:creationDate ;\n# dt:transactionStatement (the legal notice, as text) ;\n# dt:transactionStatementAffirmed ; gs1ushc:dropShipment: dt:dropShipment.\n@prefix rml: <http://w3id.org/rml/> .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix dt: <https://w3id.org/weft/dt#> .\n@prefix iof: <https://spec.industrialontologies.org/ontology/construct/> .\n@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .\n@prefix idlab-fn: <https://w3id.org/imec/idlab/function#> .\n@prefix weft-fn: <https://w3id.org/weft/fn#> .\n@base <https://w3id.org/weft/mapping/epcis-xml> .\n\n"

GENERATED = ('#\n# Generated by generate.py (beside this file) from its helpers: edit that and\n'
             '# run it, do not edit this file by hand.\n')


def write(name, parts):
    with open(os.path.join(HERE, name), 'w') as f:
        f.write('\n'.join(parts))


def lit(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

def ref(r): return f'[ rml:reference {lit(r)} ]'
def const(c): return f'[ rml:constant {lit(c)} ]'
def fn(f, *inputs):
    ins = ' , '.join(f'[ rml:parameter {p} ; rml:inputValueMap {v} ]' for p, v in inputs)
    return f'[ rml:functionExecution [ rml:function {f} ; rml:input {ins} ] ]'
def fnbody(f, *inputs):  # a function term map's body, for adding termType etc.
    ins = ' , '.join(f'[ rml:parameter {p} ; rml:inputValueMap {v} ]' for p, v in inputs)
    return f'rml:functionExecution [ rml:function {f} ; rml:input {ins} ]'

EPC_RE = r'/^(urn:epc:(?:id:(?:sgtin|sscc|sgln|grai|giai)|class:lgtin):.+)$/'
NOT_EPC_RE = r'/^(?!urn:epc:(?:id:(?:sgtin|sscc|sgln|grai|giai|pgln)|class:lgtin):)(.+)$/'
DL_RE = r'/^https?://[^/]+/(00|01|253|255|414|417|8003|8004|8006|8010|8017|8018)/(.+)$/'
PGLN_RE = r'/^(urn:epc:id:pgln:[0-9]+\.[0-9]*)$/'

def match(v, regex): return fn('grel:string_match', ('grel:valueParam', v), ('grel:param_regex', const(regex)))
def replace(v, find, rep): return fn('grel:string_replace', ('grel:valueParam', v), ('grel:param_find', const(find)), ('grel:param_replace', const(rep)))

def id_objects(r):
    """Object maps turning an identifier reference into the canonical IRI."""
    v = ref(r)
    om1 = f'[ {fnbody("weft-fn:epcToDigitalLink", ("weft-fn:epc", match(v, EPC_RE)))} ; rml:termType rml:IRI ]'
    om2 = f'[ {fnbody("grel:string_replace", ("grel:valueParam", match(v, NOT_EPC_RE)), ("grel:param_find", const(DL_RE)), ("grel:param_replace", const("https://id.gs1.org/$1/$2")))} ; rml:termType rml:IRI ]'
    # One function input per identifier: a multi-valued reference (an epcList) gives one call per value.
    gln = fn('weft-fn:epcToGln', ('weft-fn:epc', match(v, PGLN_RE)))
    om3 = f'[ {fnbody("weft-fn:glnToDigitalLink", ("weft-fn:gln", gln))} ; rml:termType rml:IRI ]'
    return [om1, om2, om3]

def cbv(r, urn, web):
    find = r'/^(?:' + urn + '|cbv:' + web + r'|https?://ref\.gs1\.org/cbv/' + web + r')?([a-z_]+)$/'
    return f'[ {fnbody("grel:string_replace", ("grel:valueParam", ref(r)), ("grel:param_find", const(find)), ("grel:param_replace", const("https://ref.gs1.org/cbv/" + web + "$1")))} ; rml:termType rml:IRI ]'


# ------------------------------------------------------------ epcis-json.ttl
HDR = HEADER_JSON.replace('{common}', HEADER_COMMON + GENERATED)
HASH_FIELDS = ['$.type', '$.eventTime', '$.eventTimeZoneOffset', '$.action', '$.bizStep', '$.readPoint.id', '$.parentID',
               '$.epcList[0]', '$.childEPCs[0]', '$.inputEPCList[0]', '$.outputEPCList[0]', '$.quantityList[0].epcClass',
               '$.childQuantityList[0].epcClass', '$.inputQuantityList[0].epcClass', '$.outputQuantityList[0].epcClass',
               '$.sensorElementList[0].sensorMetadata.time', '$.sensorElementList[0].sensorReport[0].time',
               '$.disposition', '$.bizLocation.id', '$.quantityList[0].quantity', '$.sensorElementList[0].sensorReport[0].type',
               '$.sensorElementList[0].sensorReport[0].value', '$.sensorElementList[0].sensorReport[0].minValue',
               '$.sensorElementList[0].sensorReport[0].maxValue', '$.sensorElementList[0].sensorReport[0].exception']

def present(v):
    """The value, or "" when it is absent, so that hashed fields keep their positions."""
    return fn('grel:other_coalesce', ('grel:param_any_rep_e', v), ('grel:param_any_rep_e', const('')))


def event_iri(refs):
    """refs(name) -> reference text for the event's eventID and hash fields."""
    joined = fn('grel:array_join', *[('grel:param_a', present(ref(refs(h)))) for h in HASH_FIELDS],
                ('grel:param_string_sep', const('|')))
    hashed = fn('idlab-fn:concat', ('idlab-fn:_str', const('https://w3id.org/weft/epcis-event/')),
                ('idlab-fn:_otherStr', fn('grel:string_sha1', ('grel:valueParam', joined))))
    return fnbody('grel:other_coalesce', ('grel:param_any_rep_e', ref(refs('$.eventID'))), ('grel:param_any_rep_e', hashed))

plain = lambda h: h
viewref = lambda h: 'h' + str(([ '$.eventID'] + HASH_FIELDS).index(h))

out = [HDR]
SRC = '<#EventSource>'
out.append(f'''{SRC} a rml:LogicalSource ;
  rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "INPUT" ] ;
  rml:referenceFormulation rml:JSONPath ;
  rml:iterator "$.epcisBody..eventList[*]" .
''')

def pom(pred, objs):
    return f'  rml:predicateObjectMap [ rml:predicate {pred} ; rml:objectMap {" , ".join(objs)} ] ;'

def lit_om(r, dt=None):
    return f'[ rml:reference {lit(r)}' + (f' ; rml:datatype {dt}' if dt else '') + ' ; rml:termType rml:Literal ]'

def party_filter(lst, key, kind):
    return (f"$.{lst}[?@.type=='{kind}' || @.type=='urn:epcglobal:cbv:sdt:{kind}' || "
            f"@.type=='https://ref.gs1.org/cbv/SDT-{kind}' || @.type=='cbv:SDT-{kind}'].{key}")

# ---- events
lines = [f'<#Events> a rml:TriplesMap ;', f'  rml:logicalSource {SRC} ;',
         f'  rml:subjectMap [ {event_iri(plain)} ; rml:termType rml:IRI ; rml:class dt:EPCISEvent ] ;']
lines.append(pom('rdf:type', ['[ rml:template "https://w3id.org/weft/dt#{$.type}" ]']))
lines.append(pom('dt:eventTime', [lit_om('$.eventTime', 'xsd:dateTime')]))
lines.append(pom('dt:recordTime', [lit_om('$.recordTime', 'xsd:dateTime')]))
lines.append(pom('dt:eventTimeZoneOffset', [lit_om('$.eventTimeZoneOffset')]))
lines.append(pom('dt:action', [lit_om('$.action')]))
lines.append(pom('dt:bizStep', [cbv('$.bizStep', 'urn:epcglobal:cbv:bizstep:', 'BizStep-')]))
lines.append(pom('dt:disposition', [cbv('$.disposition', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:persistentDispositionSet', [cbv('$.persistentDisposition.set[*]', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:persistentDispositionUnset', [cbv('$.persistentDisposition.unset[*]', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:transformationID', [lit_om('$.transformationID')]))
lines.append(pom('dt:certificationInfo', [lit_om('$.certificationInfo')]))
for pred, r in [('dt:hasObject', '$.epcList[*]'), ('dt:hasObject', '$.quantityList[*].epcClass'),
                ('dt:parent', '$.parentID'), ('dt:child', '$.childEPCs[*]'), ('dt:child', '$.childQuantityList[*].epcClass'),
                ('dt:input', '$.inputEPCList[*]'), ('dt:input', '$.inputQuantityList[*].epcClass'),
                ('dt:output', '$.outputEPCList[*]'), ('dt:output', '$.outputQuantityList[*].epcClass'),
                ('dt:readPoint', '$.readPoint.id'), ('dt:bizLocation', '$.bizLocation.id'),
                ('dt:sourceOwner', party_filter('sourceList', 'source', 'owning_party')),
                ('dt:destinationOwner', party_filter('destinationList', 'destination', 'owning_party')),
                ('dt:sourceLocation', party_filter('sourceList', 'source', 'location')),
                ('dt:destinationLocation', party_filter('destinationList', 'destination', 'location')),
                ('dt:sourcePossessingParty', party_filter('sourceList', 'source', 'possessing_party')),
                ('dt:possessingParty', party_filter('destinationList', 'destination', 'possessing_party'))]:
    lines.append(pom(pred, id_objects(r)))
lines.append(pom('dt:bizTransaction', ['[ rml:reference "$.bizTransactionList[*].bizTransaction" ; rml:termType rml:IRI ]']))
# error declaration
lines.append(pom('dt:declaredError', [cbv('$.errorDeclaration.reason', 'urn:epcglobal:cbv:er:', 'ER-')]))
lines.append(pom('dt:errorDeclarationTime', [lit_om('$.errorDeclaration.declarationTime', 'xsd:dateTime')]))
lines.append(pom('dt:correctedBy', ['[ rml:reference "$.errorDeclaration.correctiveEventIDs[*]" ; rml:termType rml:IRI ]']))
lines[-1] = lines[-1].rstrip(' ;') + ' .'
out.append('\n'.join(lines) + '\n')

# ---- business transactions (their type)
out.append(f'''<#BizTransactionSource> a rml:LogicalSource ;
  rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "INPUT" ] ;
  rml:referenceFormulation rml:JSONPath ;
  rml:iterator "$.epcisBody..eventList[*].bizTransactionList[*]" .

<#BizTransactions> a rml:TriplesMap ;
  rml:logicalSource <#BizTransactionSource> ;
  rml:subjectMap [ rml:reference "$.bizTransaction" ; rml:termType rml:IRI ; rml:class dt:BusinessTransaction ] ;
{pom('dt:bizTransactionType', [cbv('$.type', 'urn:epcglobal:cbv:btt:', 'BTT-')]).rstrip(' ;')} .
''')

# ---- views: quantity elements and sensor reports need the event's IRI
def view(name, iterable_fields):
    fields = [f'  rml:field [ a rml:ExpressionField ; rml:fieldName "{viewref(h)}" ; rml:reference {lit(h)} ] ;'
              for h in ['$.eventID'] + HASH_FIELDS]
    return f'<#{name}> a rml:LogicalView ;\n  rml:viewOn {SRC} ;\n' + '\n'.join(fields) + '\n' + iterable_fields + ' .\n'

def concat_seq(*vals):
    return fn('idlab-fn:concatSequence', *[('idlab-fn:_seq', v) for v in vals], ('idlab-fn:_delimiter', const('')))

ev_view_tm = f'[ {event_iri(viewref)} ; rml:termType rml:IRI ]'
for lst, pred in [('quantityList', 'dt:hasObject'), ('childQuantityList', 'dt:child'), ('inputQuantityList', 'dt:input'),
                  ('outputQuantityList', 'dt:output')]:
    it = (f'  rml:field [ a rml:IterableField ; rml:fieldName "q" ; rml:iterator "$.{lst}[*]" ;\n'
          f'    rml:field [ a rml:ExpressionField ; rml:fieldName "epcClass" ; rml:reference "$.epcClass" ] ,\n'
          f'              [ a rml:ExpressionField ; rml:fieldName "quantity" ; rml:reference "$.quantity" ] ,\n'
          f'              [ a rml:ExpressionField ; rml:fieldName "uom" ; rml:reference "$.uom" ] ]')
    out.append(view(f'{lst}View', it))
    ev = ev_view_tm[2:-2]
    node_body = fnbody('idlab-fn:concat', ('idlab-fn:_str', '[ ' + ev + ' ]'), ('idlab-fn:_otherStr', ref('q.#')),
                       ('idlab-fn:_delimiter', const(f'#{lst}-')))
    out.append(f'''<#{lst}Elements> a rml:TriplesMap ;
  rml:logicalSource <#{lst}View> ;
  rml:subjectMap [ {node_body} ; rml:termType rml:IRI ; rml:class dt:QuantityElement ] ;
{pom('dt:epcClass', id_objects('q.epcClass'))}
{pom('dt:quantity', [lit_om('q.quantity', 'xsd:decimal')])}
{pom('dt:uom', [lit_om('q.uom')]).rstrip(' ;')} .

<#{lst}Links> a rml:TriplesMap ;
  rml:logicalSource <#{lst}View> ;
  rml:subjectMap {ev_view_tm} ;
{pom('dt:quantityElement', ['[ ' + node_body + ' ; rml:termType rml:IRI ]']).rstrip(' ;')} .
''')

# sensor reports
it = ('  rml:field [ a rml:IterableField ; rml:fieldName "se" ; rml:iterator "$.sensorElementList[*]" ;\n'
      '    rml:field [ a rml:ExpressionField ; rml:fieldName "mdTime" ; rml:reference "$.sensorMetadata.time" ] ,\n'
      '              [ a rml:ExpressionField ; rml:fieldName "mdStart" ; rml:reference "$.sensorMetadata.startTime" ] ,\n'
      '              [ a rml:ExpressionField ; rml:fieldName "mdEnd" ; rml:reference "$.sensorMetadata.endTime" ] ,\n'
      '              [ a rml:ExpressionField ; rml:fieldName "mdDevice" ; rml:reference "$.sensorMetadata.deviceID" ] ,\n'
      '              [ a rml:IterableField ; rml:fieldName "r" ; rml:iterator "$.sensorReport[*]" ;\n'
      '                rml:field ' + ' ,\n                  '.join(
          f'[ a rml:ExpressionField ; rml:fieldName "{f}" ; rml:reference "$.{f}" ]'
          for f in ['type', 'value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'uom', 'time', 'exception', 'deviceID',
                    'stringValue', 'booleanValue', 'component']) + ' ] ]')
out.append(view('SensorView', it))
ev = ev_view_tm[2:-2]
node_body = fnbody('idlab-fn:concat', ('idlab-fn:_str', '[ ' + ev + ' ]'),
                   ('idlab-fn:_otherStr', fn('idlab-fn:concat', ('idlab-fn:_str', ref('se.#')), ('idlab-fn:_otherStr', ref('se.r.#')),
                                             ('idlab-fn:_delimiter', const('-')))),
                   ('idlab-fn:_delimiter', const('#sensorReport-')))
mtype = replace(ref('se.r.type'), r'/^(?:gs1:|https?://gs1\.org/voc/)([A-Za-z_]+)$/', '$1')
exc = replace(ref('se.r.exception'), r'/^(?:gs1:|https?://gs1\.org/voc/)([A-Za-z_]+)$/', '$1')
out.append(f'''<#SensorReports> a rml:TriplesMap ;
  rml:logicalSource <#SensorView> ;
  rml:subjectMap [ {node_body} ; rml:termType rml:IRI ; rml:class dt:SensorReport ] ;
{pom('dt:measurementType', ['[ ' + mtype[2:-2] + ' ; rml:termType rml:Literal ]'])}
{pom('dt:exception', ['[ ' + exc[2:-2] + ' ; rml:termType rml:Literal ]'])}
{pom('dt:value', [lit_om('se.r.value', 'xsd:decimal')])}
{pom('dt:minValue', [lit_om('se.r.minValue', 'xsd:decimal')])}
{pom('dt:maxValue', [lit_om('se.r.maxValue', 'xsd:decimal')])}
{pom('dt:meanValue', [lit_om('se.r.meanValue', 'xsd:decimal')])}
{pom('dt:standardDeviation', [lit_om('se.r.sDev', 'xsd:decimal')])}
{pom('dt:stringValue', [lit_om('se.r.stringValue')])}
{pom('dt:booleanValue', [lit_om('se.r.booleanValue', 'xsd:boolean')])}
{pom('dt:uom', [lit_om('se.r.uom')])}
{pom('dt:time', [lit_om('se.r.time', 'xsd:dateTime'), lit_om('se.mdTime', 'xsd:dateTime')])}
{pom('dt:startTime', [lit_om('se.mdStart', 'xsd:dateTime')])}
{pom('dt:endTime', [lit_om('se.mdEnd', 'xsd:dateTime')])}
{pom('dt:sensorDevice', id_objects('se.r.deviceID') + id_objects('se.mdDevice')).rstrip(' ;')} .

<#SensorLinks> a rml:TriplesMap ;
  rml:logicalSource <#SensorView> ;
  rml:subjectMap {ev_view_tm} ;
{pom('dt:sensorReport', ['[ ' + node_body + ' ; rml:termType rml:IRI ]']).rstrip(' ;')} .
''')

# ---- ILMD: lot number and expiry on the lot of commissioned serialized units. A view gives one
# record per EPC (with the event's lot and expiry), so each unit is linked to the lot of its own GTIN
# and every function has at most one multi-valued input (no N x N combinations on big events).

SGTIN_RE = r'/^(urn:epc:id:sgtin:[0-9]+\.[0-9]+\..+)$/'
DL_SGTIN_RE = r'/^(https?://[^/]+/01/[0-9]{14}/21/.+)$/'
UNIT_RE = r'/^(urn:epc:id:sgtin:[0-9]+\.[0-9]+\..+|https?://[^/]+/01/[0-9]{14}/21/.+)$/'

def unit_subject(r):
    """The Digital Link of a serialized unit (SGTIN URN or SGTIN Digital Link on any host)."""
    urn = fn('weft-fn:epcToDigitalLink', ('weft-fn:epc', match(ref(r), SGTIN_RE)))
    dl = fn('grel:string_replace', ('grel:valueParam', match(ref(r), DL_SGTIN_RE)),
            ('grel:param_find', const(DL_RE)), ('grel:param_replace', const('https://id.gs1.org/$1/$2')))
    return fnbody('grel:other_coalesce', ('grel:param_any_rep_e', urn), ('grel:param_any_rep_e', dl))

def ilmd_maps(name, src, epc, lot, exp):
    """The lot of each commissioned unit (epc: a single-valued reference per record) and its membership."""
    gtin = fn('weft-fn:epcToGtin', ('weft-fn:epc', match(ref(epc), UNIT_RE)))
    lot_body = fnbody('weft-fn:gtinLotToDigitalLink', ('weft-fn:gtin', gtin), ('weft-fn:lot', ref(lot)))
    return f'''<#IlmdLot{name}> a rml:TriplesMap ;
  rml:logicalSource {src} ;
  rml:subjectMap [ {lot_body} ; rml:termType rml:IRI ; rml:class iof:Lot ] ;
{pom('dt:lotNumber', [lit_om(lot)])}
{pom('dt:expiryDate', [lit_om(exp, 'xsd:date')])}
{pom('dt:ofProduct', ['[ ' + fnbody('weft-fn:gtinToDigitalLink', ('weft-fn:gtin', gtin)) + ' ; rml:termType rml:IRI ]']).rstrip(' ;')} .

<#IlmdUnits{name}> a rml:TriplesMap ;
  rml:logicalSource {src} ;
  rml:subjectMap [ {unit_subject(epc)} ; rml:termType rml:IRI ] ;
{pom('dt:memberOfLot', ['[ ' + lot_body + ' ; rml:termType rml:IRI ]']).rstrip(' ;')} .
'''

for lst in ['epcList', 'outputEPCList']:
    out.append(f'''<#Ilmd{lst}View> a rml:LogicalView ;
  rml:viewOn {SRC} ;
  rml:field [ a rml:ExpressionField ; rml:fieldName "epc" ; rml:reference "$.{lst}[*]" ] ;
  rml:field [ a rml:ExpressionField ; rml:fieldName "lot" ; rml:reference "$.ilmd['cbvmda:lotNumber']" ] ;
  rml:field [ a rml:ExpressionField ; rml:fieldName "exp" ; rml:reference "$.ilmd['cbvmda:itemExpirationDate']" ] .
''')
    out.append(ilmd_maps(lst, f'<#Ilmd{lst}View>', 'epc', 'lot', 'exp'))

write('epcis-json.ttl', out)

# ------------------------------------------------------------ epcis-xml.ttl
HDR = HEADER_XML.replace('{common}', HEADER_COMMON + GENERATED)
EVT = "ancestor::*[self::ObjectEvent or self::AggregationEvent or self::TransactionEvent or self::TransformationEvent or self::AssociationEvent][1]"

def P(prefix, *paths):
    """Union of paths, each under the event prefix."""
    return ' | '.join(prefix + p for p in paths)

def event_iri_x(prefix, selfref):
    hp = ['local-name(' + selfref + ')', P(prefix, 'eventTime'), P(prefix, 'eventTimeZoneOffset'), P(prefix, 'action'),
          P(prefix, 'bizStep'), P(prefix, 'readPoint/id'), P(prefix, 'parentID'), P(prefix, 'epcList/epc[1]'),
          P(prefix, 'childEPCs/epc[1]'), P(prefix, 'inputEPCList/epc[1]'), P(prefix, 'outputEPCList/epc[1]'),
          P(prefix, 'quantityList/quantityElement[1]/epcClass', 'extension/quantityList/quantityElement[1]/epcClass'),
          P(prefix, 'childQuantityList/quantityElement[1]/epcClass', 'extension/childQuantityList/quantityElement[1]/epcClass'),
          P(prefix, 'inputQuantityList/quantityElement[1]/epcClass'), P(prefix, 'outputQuantityList/quantityElement[1]/epcClass'),
          P(prefix, 'sensorElementList/sensorElement[1]/sensorMetadata/@time'),
          P(prefix, 'sensorElementList/sensorElement[1]/sensorReport[1]/@time'), P(prefix, 'disposition'),
          P(prefix, 'bizLocation/id'),
          P(prefix, 'quantityList/quantityElement[1]/quantity', 'extension/quantityList/quantityElement[1]/quantity')] + [
          P(prefix, 'sensorElementList/sensorElement[1]/sensorReport[1]/@' + a)
          for a in ('type', 'value', 'minValue', 'maxValue', 'exception')]
    joined = fn('grel:array_join', *[('grel:param_a', present(ref(h))) for h in hp], ('grel:param_string_sep', const('|')))
    hashed = fn('idlab-fn:concat', ('idlab-fn:_str', const('https://w3id.org/weft/epcis-event/')),
                ('idlab-fn:_otherStr', fn('grel:string_sha1', ('grel:valueParam', joined))))
    return fnbody('grel:other_coalesce', ('grel:param_any_rep_e', ref(P(prefix, 'eventID', 'baseExtension/eventID'))),
                  ('grel:param_any_rep_e', hashed))

NS = ('rml:namespace [ rml:namespacePrefix "sbdh" ; rml:namespaceURL "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader" ] ,\n'
      '    [ rml:namespacePrefix "gs1ushc" ; rml:namespaceURL "http://epcis.gs1us.org/hc/ns" ]')
def source(name, iterator):
    return f'''<#{name}> a rml:LogicalSource ;
  rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "INPUT" ] ;
  rml:referenceFormulation [ a rml:XPathReferenceFormulation ;
    {NS} ] ;
  rml:iterator {lit(iterator)} .
'''

def pom(pred, objs):
    return f'  rml:predicateObjectMap [ rml:predicate {pred} ; rml:objectMap {" , ".join(objs)} ] ;'
def lit_om(r, dt=None):
    return f'[ rml:reference {lit(r)}' + (f' ; rml:datatype {dt}' if dt else '') + ' ; rml:termType rml:Literal ]'
def end(s): return s.rstrip(' ;') + ' .'

EVENTS = ("//EventList//*[self::ObjectEvent or self::AggregationEvent or self::TransactionEvent or "
          "self::TransformationEvent or self::AssociationEvent]")
out = [HDR, source('EventSource', EVENTS)]
lines = ['<#Events> a rml:TriplesMap ;', '  rml:logicalSource <#EventSource> ;',
         f'  rml:subjectMap [ {event_iri_x("", ".")} ; rml:termType rml:IRI ; rml:class dt:EPCISEvent ] ;']
lines.append(pom('rdf:type', ['[ rml:template "https://w3id.org/weft/dt#{local-name(.)}" ]']))
lines.append(pom('dt:eventTime', [lit_om('eventTime', 'xsd:dateTime')]))
lines.append(pom('dt:recordTime', [lit_om('recordTime', 'xsd:dateTime')]))
lines.append(pom('dt:eventTimeZoneOffset', [lit_om('eventTimeZoneOffset')]))
lines.append(pom('dt:action', [lit_om('action')]))
lines.append(pom('dt:bizStep', [cbv('bizStep', 'urn:epcglobal:cbv:bizstep:', 'BizStep-')]))
lines.append(pom('dt:disposition', [cbv('disposition', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:persistentDispositionSet', [cbv('persistentDisposition/set', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:persistentDispositionUnset', [cbv('persistentDisposition/unset', 'urn:epcglobal:cbv:disp:', 'Disp-')]))
lines.append(pom('dt:transformationID', [lit_om('transformationID')]))
lines.append(pom('dt:certificationInfo', [lit_om('certificationInfo')]))
def sd(lst, el, kind):
    return f"{lst}/{el}[contains(@type, '{kind}')] | extension/{lst}/{el}[contains(@type, '{kind}')]"
for pred, r in [('dt:hasObject', 'epcList/epc'),
                ('dt:hasObject', 'quantityList/quantityElement/epcClass | extension/quantityList/quantityElement/epcClass'),
                ('dt:parent', 'parentID'), ('dt:child', 'childEPCs/epc'),
                ('dt:child', 'childQuantityList/quantityElement/epcClass | extension/childQuantityList/quantityElement/epcClass'),
                ('dt:input', 'inputEPCList/epc'), ('dt:input', 'inputQuantityList/quantityElement/epcClass'),
                ('dt:output', 'outputEPCList/epc'), ('dt:output', 'outputQuantityList/quantityElement/epcClass'),
                ('dt:readPoint', 'readPoint/id'), ('dt:bizLocation', 'bizLocation/id'),
                ('dt:sourceOwner', sd('sourceList', 'source', 'owning_party')),
                ('dt:destinationOwner', sd('destinationList', 'destination', 'owning_party')),
                ('dt:sourceLocation', sd('sourceList', 'source', 'location')),
                ('dt:destinationLocation', sd('destinationList', 'destination', 'location')),
                ('dt:sourcePossessingParty', sd('sourceList', 'source', 'possessing_party')),
                ('dt:possessingParty', sd('destinationList', 'destination', 'possessing_party'))]:
    lines.append(pom(pred, id_objects(r)))
lines.append(pom('dt:bizTransaction', ['[ rml:reference "bizTransactionList/bizTransaction" ; rml:termType rml:IRI ]']))
ED = 'errorDeclaration | baseExtension/errorDeclaration'
lines.append(pom('dt:declaredError', [cbv('errorDeclaration/reason | baseExtension/errorDeclaration/reason', 'urn:epcglobal:cbv:er:', 'ER-')]))
lines.append(pom('dt:errorDeclarationTime', [lit_om('errorDeclaration/declarationTime | baseExtension/errorDeclaration/declarationTime', 'xsd:dateTime')]))
lines.append(pom('dt:correctedBy', ['[ rml:reference "errorDeclaration/correctiveEventIDs/correctiveEventID | baseExtension/errorDeclaration/correctiveEventIDs/correctiveEventID" ; rml:termType rml:IRI ]']))
lines.append(pom('dt:dropShipment', [lit_om('gs1ushc:dropShipment | extension/gs1ushc:dropShipment', 'xsd:boolean')]))
out.append(end('\n'.join(lines)) + '\n')

# business transactions
out.append(source('BizTransactionSource', '//EventList//bizTransactionList/bizTransaction'))
out.append(f'''<#BizTransactions> a rml:TriplesMap ;
  rml:logicalSource <#BizTransactionSource> ;
  rml:subjectMap [ rml:reference "." ; rml:termType rml:IRI ; rml:class dt:BusinessTransaction ] ;
{end(pom('dt:bizTransactionType', [cbv('@type', 'urn:epcglobal:cbv:btt:', 'BTT-')]))}
''')

# quantity elements
ev_nested = f'[ {event_iri_x(EVT + "/", EVT)} ; rml:termType rml:IRI ]'
out.append(source('QuantitySource', '//EventList//quantityElement'))
node = fnbody('idlab-fn:concat', ('idlab-fn:_str', ev_nested), ('idlab-fn:_otherStr', fn('idlab-fn:concat',
              ('idlab-fn:_str', ref('local-name(..)')), ('idlab-fn:_otherStr', ref('count(preceding-sibling::quantityElement)')),
              ('idlab-fn:_delimiter', const('-')))), ('idlab-fn:_delimiter', const('#')))
out.append(f'''<#QuantityElements> a rml:TriplesMap ;
  rml:logicalSource <#QuantitySource> ;
  rml:subjectMap [ {node} ; rml:termType rml:IRI ; rml:class dt:QuantityElement ] ;
{pom('dt:epcClass', id_objects('epcClass'))}
{pom('dt:quantity', [lit_om('quantity', 'xsd:decimal')])}
{end(pom('dt:uom', [lit_om('uom')]))}

<#QuantityLinks> a rml:TriplesMap ;
  rml:logicalSource <#QuantitySource> ;
  rml:subjectMap {ev_nested} ;
{end(pom('dt:quantityElement', ['[ ' + node + ' ; rml:termType rml:IRI ]']))}
''')

# sensor reports (EPCIS 2.0 XML: attributes)
out.append(source('SensorSource', '//EventList//sensorElementList/sensorElement/sensorReport'))
node = fnbody('idlab-fn:concat', ('idlab-fn:_str', ev_nested), ('idlab-fn:_otherStr', fn('idlab-fn:concat',
              ('idlab-fn:_str', ref('count(../preceding-sibling::sensorElement)')), ('idlab-fn:_otherStr', ref('count(preceding-sibling::sensorReport)')),
              ('idlab-fn:_delimiter', const('-')))), ('idlab-fn:_delimiter', const('#sensorReport-')))
mtype = replace(ref('@type'), r'/^(?:gs1:|https?://gs1\.org/voc/)([A-Za-z_]+)$/', '$1')
exc = replace(ref('@exception'), r'/^(?:gs1:|https?://gs1\.org/voc/)([A-Za-z_]+)$/', '$1')
out.append(f'''<#SensorReports> a rml:TriplesMap ;
  rml:logicalSource <#SensorSource> ;
  rml:subjectMap [ {node} ; rml:termType rml:IRI ; rml:class dt:SensorReport ] ;
{pom('dt:measurementType', ['[ ' + mtype[2:-2] + ' ; rml:termType rml:Literal ]'])}
{pom('dt:exception', ['[ ' + exc[2:-2] + ' ; rml:termType rml:Literal ]'])}
{pom('dt:value', [lit_om('@value', 'xsd:decimal')])}
{pom('dt:minValue', [lit_om('@minValue', 'xsd:decimal')])}
{pom('dt:maxValue', [lit_om('@maxValue', 'xsd:decimal')])}
{pom('dt:meanValue', [lit_om('@meanValue', 'xsd:decimal')])}
{pom('dt:standardDeviation', [lit_om('@sDev', 'xsd:decimal')])}
{pom('dt:stringValue', [lit_om('@stringValue')])}
{pom('dt:booleanValue', [lit_om('@booleanValue', 'xsd:boolean')])}
{pom('dt:uom', [lit_om('@uom')])}
{pom('dt:time', [lit_om('@time', 'xsd:dateTime'), lit_om('../sensorMetadata/@time', 'xsd:dateTime')])}
{pom('dt:startTime', [lit_om('../sensorMetadata/@startTime', 'xsd:dateTime')])}
{pom('dt:endTime', [lit_om('../sensorMetadata/@endTime', 'xsd:dateTime')])}
{end(pom('dt:sensorDevice', id_objects('@deviceID') + id_objects('../sensorMetadata/@deviceID')))}

<#SensorLinks> a rml:TriplesMap ;
  rml:logicalSource <#SensorSource> ;
  rml:subjectMap {ev_nested} ;
{end(pom('dt:sensorReport', ['[ ' + node + ' ; rml:termType rml:IRI ]']))}
''')

# ILMD lot number / expiry on the lot of the commissioned SGTINs (epcList of ObjectEvent, outputEPCList of
# TransformationEvent); 2.0: ilmd, 1.2: extension/ilmd; any cbvmda namespace spelling.

# One record per EPC of the list (its event is ../..), so that every function has one value per input.
LOT = "../../ilmd/*[local-name() = 'lotNumber'] | ../../extension/ilmd/*[local-name() = 'lotNumber']"
EXP = "../../ilmd/*[local-name() = 'itemExpirationDate'] | ../../extension/ilmd/*[local-name() = 'itemExpirationDate']"
for lst in ['epcList', 'outputEPCList']:
    out.append(source(f'Ilmd{lst}Source', f'//EventList//{lst}/epc'))
    out.append(ilmd_maps(lst, f'<#Ilmd{lst}Source>', '.', LOT, EXP))

# Master data (EPCIS 1.2 header, 2.0 epcisHeader): products (EPCClass) and locations
MDA = "urn:epcglobal:cbv:mda#"
def attr(name): return f"attribute[@id = '{MDA}{name}']"
out.append(source('ClassSource', "//VocabularyList/Vocabulary[@type = 'urn:epcglobal:epcis:vtype:EPCClass']/VocabularyElementList/VocabularyElement[starts-with(@id, 'urn:epc:idpat:sgtin:')]"))
body = replace(ref('@id'), r'/^urn:epc:idpat:sgtin:([0-9]+)\.([0-9])([0-9]*)\.\*$/', '$2$1$3')
gtin = fn('idlab-fn:concat', ('idlab-fn:_str', body), ('idlab-fn:_otherStr', fn('weft-fn:gtinCheckDigit', ('weft-fn:gtin', body))))
out.append(f'''<#Products> a rml:TriplesMap ;
  rml:logicalSource <#ClassSource> ;
  rml:subjectMap [ {fnbody('weft-fn:gtinToDigitalLink', ('weft-fn:gtin', gtin))} ; rml:termType rml:IRI ; rml:class dt:ProductDefinition ] ;
{pom('dt:gtin', ['[ ' + gtin[2:-2] + ' ; rml:termType rml:Literal ]'])}
{pom('dt:ndc', [lit_om(attr('additionalTradeItemIdentification') + f"[../{attr('additionalTradeItemIdentificationTypeCode')} = 'US_FDA_NDC']")])}
{pom('rdfs:label', [lit_om(attr('regulatedProductName'))])}
{pom('dt:manufacturerName', [lit_om(attr('manufacturerOfTradeItemPartyName'))])}
{pom('dt:dosageForm', [lit_om(attr('dosageFormType'))])}
{pom('dt:strength', [lit_om(attr('strengthDescription'))])}
{end(pom('dt:netContent', [lit_om(attr('netContentDescription'))]))}
''')
out.append(source('LocationSource', "//VocabularyList/Vocabulary[@type = 'urn:epcglobal:epcis:vtype:Location']/VocabularyElementList/VocabularyElement"))
out.append(f'''<#Locations> a rml:TriplesMap ;
  rml:logicalSource <#LocationSource> ;
  rml:subjectMap [ {id_objects('@id')[0][2:-2]} ] ;
{pom('rdfs:label', [lit_om(attr('name'))])}
{pom('dt:streetAddress', [lit_om(attr('streetAddressOne')), lit_om(attr('streetAddressTwo'))])}
{pom('dt:city', [lit_om(attr('city'))])}
{pom('dt:state', [lit_om(attr('state'))])}
{pom('dt:postalCode', [lit_om(attr('postalCode'))])}
{end(pom('dt:country', [lit_om(attr('countryCode'))]))}
''')
# The document header: SBDH sender / receiver and the DSCSA transaction statement (GS1 US)
out.append(source('HeaderSource', "/*/EPCISHeader[sbdh:StandardBusinessDocumentHeader]"))
SB = 'sbdh:StandardBusinessDocumentHeader/'
out.append(f'''<#Header> a rml:TriplesMap ;
  rml:logicalSource <#HeaderSource> ;
  rml:subjectMap [ rml:template "https://data.sample.example/epcis-document/{{{SB}sbdh:DocumentIdentification/sbdh:InstanceIdentifier}}" ; rml:class dt:EPCISDocument ] ;
{pom('dt:documentIdentifier', [lit_om(SB + 'sbdh:DocumentIdentification/sbdh:InstanceIdentifier')])}
{pom('dt:creationDate', [lit_om(SB + 'sbdh:DocumentIdentification/sbdh:CreationDateAndTime', 'xsd:dateTime')])}
{pom('dt:sender', id_objects(SB + 'sbdh:Sender/sbdh:Identifier'))}
{pom('dt:receiver', id_objects(SB + 'sbdh:Receiver/sbdh:Identifier'))}
{pom('dt:transactionStatement', [lit_om('gs1ushc:dscsaTransactionStatement/gs1ushc:legalNotice')])}
{end(pom('dt:transactionStatementAffirmed', [lit_om('gs1ushc:dscsaTransactionStatement/gs1ushc:affirmTransactionStatement', 'xsd:boolean')]))}
''')
write('epcis-xml.ttl', out)
