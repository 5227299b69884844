// The shape of an NHS ODS code, on its own: pages that only show a record read it without
// loading the schema library that checks a new record's form.
export const odsCodePattern = /^[A-Z0-9]{3,6}$/;
