// Vite plugin: `virtual:checklists` is every checklist, validated, reference data embedded and
// content-hashed at build time; `virtual:checklists/catalogue` is just their titles and
// versions, small enough for the first page. A checklist problem fails the build.
import type { Plugin } from 'vite';
import { defaultChecklistDir, formatProblem, loadChecklists } from './checklistLoader.ts';

const FULL = 'virtual:checklists';
const CATALOGUE = 'virtual:checklists/catalogue';

export function checklistsPlugin(dir = defaultChecklistDir): Plugin {
  return {
    name: 'reconnect:checklists',
    resolveId(id) {
      if (id === FULL || id === CATALOGUE) return `\0${id}`;
      return null;
    },
    load(id) {
      if (id !== `\0${FULL}` && id !== `\0${CATALOGUE}`) return null;
      const { checklists, problems, files } = loadChecklists(dir);
      for (const file of files) this.addWatchFile(file);
      if (problems.length > 0) {
        this.error(`Checklist problems:\n${problems.map(formatProblem).join('\n')}`);
      }
      const plain = checklists.map(({ definition, contentHash }) => ({ definition, contentHash }));
      if (id === `\0${FULL}`) return `export default ${JSON.stringify(plain)};`;
      const catalogue = plain.map(({ definition: d, contentHash }) => ({
        id: d.id,
        version: d.version,
        title: d.title,
        summary: d.summary,
        perDevice: d.perDevice,
        stepCount: d.phases.reduce((n, p) => n + p.steps.length, 0),
        contentHash,
      }));
      return `export default ${JSON.stringify(catalogue)};`;
    },
  };
}
