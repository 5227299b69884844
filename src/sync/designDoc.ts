// The design document an organisation's CouchDB database carries. Its validate_doc_update makes
// the server refuse what Reconnect never writes: a document of an unknown kind, an edit or a
// deletion of a stored one, and a document whose id or revision does not match its content hash
// (couchDocs.ts). Its filter lets a laptop pull Reconnect's documents without design documents.
//
// The functions are JavaScript source for CouchDB's query server (SpiderMonkey; keep to ES5:
// `var`, no arrow functions). The app uploads them as text and never runs them itself.

export const designDocId = '_design/reconnect';

/** Raised in the version when the functions change, so installing replaces an older copy. */
export const designDocVersion = 2;

const validateDocUpdate = `function (newDoc, oldDoc, userCtx, secObj) {
  var id = newDoc._id;
  if (id.indexOf('_design/') === 0) return;
  var kinds = [
    { prefix: 'event:', type: 'event', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'run:', type: 'run', hashField: 'genesisHash', idEndsWithHash: false },
    { prefix: 'checklist:', type: 'checklist', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'device:', type: 'device', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'file:', type: 'file', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'blob:', type: 'blob', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'signed:', type: 'signed', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'approver:', type: 'approver', hashField: 'hash', idEndsWithHash: true },
    { prefix: 'resolution:', type: 'resolution', hashField: 'hash', idEndsWithHash: true }
  ];
  var kind = null;
  for (var i = 0; i < kinds.length; i++) {
    if (id.indexOf(kinds[i].prefix) === 0) kind = kinds[i];
  }
  if (!kind) {
    throw({ forbidden: 'Document ' + id + ' is not a Reconnect document; this database holds Reconnect records only.' });
  }
  if (newDoc._deleted) {
    throw({ forbidden: 'Document ' + id + ' cannot be deleted: Reconnect records are never deleted.' });
  }
  if (newDoc.type !== kind.type) {
    throw({ forbidden: 'Document ' + id + ' must have type "' + kind.type + '".' });
  }
  var hash = newDoc[kind.hashField];
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    throw({ forbidden: 'Document ' + id + ' has no content hash.' });
  }
  if (kind.idEndsWithHash && id.slice(-65) !== ':' + hash) {
    throw({ forbidden: 'Document ' + id + ' does not match its hash.' });
  }
  var rev = '1-' + hash.slice(0, 32);
  if (newDoc._rev !== rev) {
    throw({ forbidden: 'Document ' + id + ' must be written once, with revision ' + rev + ' (derived from its hash); it cannot be edited.' });
  }
  if (oldDoc && !sameContent(newDoc, oldDoc, true)) {
    throw({ forbidden: 'Document ' + id + ' already exists with other content; it cannot be edited.' });
  }
  function sameContent(a, b, top) {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
    var keysA = significantKeys(a, top);
    var keysB = significantKeys(b, top);
    if (keysA.length !== keysB.length) return false;
    for (var k = 0; k < keysA.length; k++) {
      if (keysA[k] !== keysB[k]) return false;
      if (!sameContent(a[keysA[k]], b[keysA[k]], false)) return false;
    }
    return true;
  }
  function significantKeys(value, top) {
    var out = [];
    for (var key in value) {
      if (Object.prototype.hasOwnProperty.call(value, key) && !(top && key.charAt(0) === '_')) out.push(key);
    }
    return out.sort();
  }
}`;

const recordsFilter = `function (doc, req) {
  return doc._id.indexOf('_design/') !== 0;
}`;

export interface DesignDoc {
  _id: string;
  _rev?: string;
  reconnectVersion: number;
  language: 'javascript';
  validate_doc_update: string;
  filters: { records: string };
}

export function designDoc(): DesignDoc {
  return {
    _id: designDocId,
    reconnectVersion: designDocVersion,
    language: 'javascript',
    validate_doc_update: validateDocUpdate,
    filters: { records: recordsFilter },
  };
}

/** The filter name replication uses: `reconnect/records`. */
export const recordsFilterName = 'reconnect/records';
