// Modules the build generates from checklists/ (see scripts/lib/checklistsPlugin.ts).
declare module 'virtual:checklists' {
  const checklists: import('./schema.ts').HashedChecklist[];
  export default checklists;
}
declare module 'virtual:checklists/catalogue' {
  const catalogue: import('./catalogue.ts').CatalogueEntry[];
  export default catalogue;
}
