// The small part of PouchDB's API that Reconnect uses (PouchDB 9 ships no types).
declare module 'pouchdb-core' {
  export interface PouchDoc {
    _id: string;
    _rev?: string;
    _deleted?: boolean;
    [key: string]: unknown;
  }
  export interface BulkResult {
    ok?: boolean;
    id?: string;
    rev?: string;
    error?: string | boolean;
    reason?: string;
    message?: string;
  }
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
    last_seq: number | string;
    status: string;
  }
  export interface ReplicationOptions {
    live?: boolean;
    retry?: boolean;
    batch_size?: number;
    batches_limit?: number;
    filter?: string;
    checkpoint?: 'source' | 'target' | false;
    back_off_function?: (delay: number) => number;
  }
  export interface Replication extends PromiseLike<ReplicationResult> {
    on(event: string, listener: (info: never) => void): Replication;
    cancel(): void;
  }
  export interface DatabaseOptions {
    adapter?: string;
    auth?: { username: string; password: string };
    skip_setup?: boolean;
    revs_limit?: number;
    fetch?: (url: string | Request, init?: RequestInit) => Promise<Response>;
  }
  export interface AllDocsResult {
    total_rows: number;
    rows: { id: string; value: { rev: string }; doc?: PouchDoc }[];
  }
  export default class PouchDB {
    constructor(name: string, options?: DatabaseOptions);
    static plugin(plugin: unknown): typeof PouchDB;
    static replicate(
      source: PouchDB | string,
      target: PouchDB | string,
      options?: ReplicationOptions,
    ): Replication;
    name: string;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    bulkDocs(docs: PouchDoc[], options?: { new_edits?: boolean }): Promise<BulkResult[]>;
    get(id: string, options?: { conflicts?: boolean; revs_info?: boolean }): Promise<PouchDoc>;
    put(doc: PouchDoc): Promise<BulkResult>;
    revsDiff(revs: Record<string, string[]>): Promise<Record<string, { missing: string[] }>>;
    changes(options: {
      since?: number | string;
      include_docs?: boolean;
      limit?: number;
      style?: 'main_only' | 'all_docs';
    }): Promise<{
      results: {
        id: string;
        seq: number | string;
        doc?: PouchDoc;
        deleted?: boolean;
        changes: { rev: string }[];
      }[];
      last_seq: number | string;
    }>;
    allDocs(options?: {
      include_docs?: boolean;
      keys?: string[];
      startkey?: string;
      endkey?: string;
      limit?: number;
      conflicts?: boolean;
    }): Promise<AllDocsResult>;
    replicate: {
      to(target: PouchDB | string, options?: ReplicationOptions): Replication;
      from(source: PouchDB | string, options?: ReplicationOptions): Replication;
    };
    destroy(): Promise<void>;
    close(): Promise<void>;
  }
}
declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-idb' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
