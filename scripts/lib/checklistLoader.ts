// Build-time loading of checklists/: YAML parsed with positions, validated by the zod schema,
// reference tables embedded, cross-references checked, content hashed. Every problem names the
// file, the path inside it and the line. Used by the Vite plugin and `npm run checklists:check`;
// the browser never parses YAML.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { contentHash } from '../../src/checklist/canonical.ts';
import { buildDefinition } from '../../src/checklist/definition.ts';
import { ChecklistFile, ReferenceTable, type HashedChecklist } from '../../src/checklist/schema.ts';

export interface LoadProblem {
  file: string;
  path: string;
  line?: number;
  message: string;
  stepId?: string;
}

export function formatProblem(p: LoadProblem): string {
  const where = `${p.file}${p.line ? `:${String(p.line)}` : ''}`;
  const step = p.stepId ? ` (step "${p.stepId}")` : '';
  return `${where} ${p.path || '(top)'}${step}: ${p.message}`;
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${String(part)}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

interface ParsedYaml {
  value: unknown;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
  problems: LoadProblem[];
}

function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: LoadProblem[] = doc.errors.map((error) => ({
    file,
    path: '',
    line: error.linePos?.[0].line,
    message: `YAML: ${error.message.split('\n')[0] ?? error.message}`,
  }));
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk up until a node that exists (a missing key is reported at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: problems.length ? undefined : doc.toJS(), lineOf, problems };
}

function zodProblems(error: z.ZodError, file: string, lineOf: ParsedYaml['lineOf']): LoadProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: pathText(issue.path),
    line: lineOf(issue.path),
    message: issue.message,
  }));
}

export interface LoadResult {
  checklists: (HashedChecklist & { file: string })[];
  problems: LoadProblem[];
  files: string[];
}

export const defaultChecklistDir = join(import.meta.dirname, '../../checklists');

export function loadReferenceTables(dir: string, root: string) {
  const tables = new Map<string, ReferenceTable>();
  const problems: LoadProblem[] = [];
  const files: string[] = [];
  const refDir = join(dir, 'reference');
  if (!existsSync(refDir)) return { tables, problems, files };
  for (const name of readdirSync(refDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const full = join(refDir, name);
    const file = relative(root, full);
    files.push(full);
    const parsed = parseYaml(readFileSync(full, 'utf8'), file);
    problems.push(...parsed.problems);
    if (parsed.problems.length) continue;
    const result = ReferenceTable.safeParse(parsed.value);
    if (!result.success) {
      problems.push(...zodProblems(result.error, file, parsed.lineOf));
      continue;
    }
    if (result.data.id !== basename(name, '.yaml'))
      problems.push({
        file,
        path: 'id',
        line: parsed.lineOf(['id']),
        message: `id "${result.data.id}" must equal the file name "${basename(name, '.yaml')}"`,
      });
    tables.set(result.data.id, result.data);
  }
  return { tables, problems, files };
}

/** Loads every checklist in `dir` (or only `only`, paths to checklist files). */
export function loadChecklists(dir = defaultChecklistDir, only?: string[]): LoadResult {
  // Paths in messages are relative to where the command runs (the project root, normally).
  const root = process.cwd();
  const reference = loadReferenceTables(dir, root);
  const problems: LoadProblem[] = [...reference.problems];
  const checklists: LoadResult['checklists'] = [];
  const files =
    only ??
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(dir, f));
  for (const full of files) {
    const file = relative(root, full) || full;
    if (!existsSync(full)) {
      problems.push({ file, path: '', message: 'no such file' });
      continue;
    }
    const parsed = parseYaml(readFileSync(full, 'utf8'), file);
    problems.push(...parsed.problems);
    if (parsed.problems.length) continue;
    const result = ChecklistFile.safeParse(parsed.value);
    if (!result.success) {
      problems.push(...zodProblems(result.error, file, parsed.lineOf));
      continue;
    }
    const expectedId = basename(full).replace(/\.ya?ml$/, '');
    if (result.data.id !== expectedId)
      problems.push({
        file,
        path: 'id',
        line: parsed.lineOf(['id']),
        message: `id "${result.data.id}" must equal the file name "${expectedId}"`,
      });
    const { definition, issues } = buildDefinition(result.data, reference.tables);
    for (const issue of issues)
      problems.push({
        file,
        path: pathText(issue.path),
        line: parsed.lineOf(issue.path),
        message: issue.message,
        ...(issue.stepId ? { stepId: issue.stepId } : {}),
      });
    if (issues.length === 0)
      checklists.push({ file, definition, contentHash: contentHash(definition) });
  }
  const ids = new Map<string, string>();
  for (const c of checklists) {
    const other = ids.get(c.definition.id);
    if (other)
      problems.push({
        file: c.file,
        path: 'id',
        message: `checklist id "${c.definition.id}" is also used by ${other}`,
      });
    ids.set(c.definition.id, c.file);
  }
  return { checklists, problems, files: [...reference.files, ...files] };
}
