// Dates and times as people read them here (UK): the pure versions live with the run.
export { formatDate, formatDateTime, formatLocalDateTime } from '../run/display.ts';
