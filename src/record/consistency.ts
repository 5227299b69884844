// The checks across a record's members that its shape alone cannot express: the summary must be
// the list counted, every exception must match its step or device, and the files list must be
// exactly the files attached as evidence. Used by the record schema (format.ts).
import type { RecordDevice, RecordShapeValue, RecordStep } from './format.ts';

export interface Problem {
  message: string;
  path: (string | number)[];
}

/**
 * Checks across members that the shape alone cannot express: the parts of a record must tell
 * the same story, so a printout cannot show one count in the summary and another in the list.
 */
export function consistencyProblems(record: RecordShapeValue): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string, ...path: (string | number)[]) => problems.push({ message, path });

  const steps = new Map<string, RecordStep>();
  record.steps.forEach((step, i) => {
    if (steps.has(step.id)) add(`step "${step.id}" appears more than once`, 'steps', i, 'id');
    steps.set(step.id, step);
  });

  // Devices: the summary must be the list, counted.
  const { summary, list } = record.devices;
  const hostnames = new Map<string, RecordDevice>();
  const perOs = new Map<string, number>();
  let cleared = 0;
  list.forEach((device, i) => {
    const key = device.hostname.toLowerCase();
    if (hostnames.has(key))
      add(`device "${device.hostname}" appears more than once`, 'devices', 'list', i);
    hostnames.set(key, device);
    if (device.status === 'cleared') cleared++;
    perOs.set(device.os, (perOs.get(device.os) ?? 0) + 1);
  });
  const excepted = list.length - cleared;
  if (summary.total !== list.length)
    add(
      `the summary counts ${summary.total} devices but ${list.length} are listed`,
      'devices',
      'summary',
      'total',
    );
  if (summary.cleared !== cleared)
    add(
      `the summary counts ${summary.cleared} cleared devices but ${cleared} are listed as cleared`,
      'devices',
      'summary',
      'cleared',
    );
  if (summary.excepted !== excepted)
    add(
      `the summary counts ${summary.excepted} excepted devices but ${excepted} are listed as excepted`,
      'devices',
      'summary',
      'excepted',
    );
  const seenOs = new Set<string>();
  summary.byOs.forEach((entry, i) => {
    if (seenOs.has(entry.os))
      add(`"${entry.os}" appears twice in the count by OS`, 'devices', 'summary', 'byOs', i);
    seenOs.add(entry.os);
    if (perOs.get(entry.os) !== entry.count)
      add(
        `the count by OS gives ${entry.count} devices on "${entry.os}" but ${perOs.get(entry.os) ?? 0} are listed`,
        'devices',
        'summary',
        'byOs',
        i,
      );
  });
  for (const os of perOs.keys())
    if (!seenOs.has(os))
      add(
        `devices on "${os}" are listed but missing from the count by OS`,
        'devices',
        'summary',
        'byOs',
      );

  // Exceptions: exactly one per risk-accepted step and one per excepted device, agreeing with them.
  const stepExceptions = new Set<string>();
  const deviceExceptions = new Set<string>();
  record.exceptions.forEach((exception, i) => {
    if (exception.kind === 'step') {
      const step = steps.get(exception.subject);
      if (step?.status !== 'risk-accepted') {
        add(
          `the exception for step "${exception.subject}" has no risk-accepted step`,
          'exceptions',
          i,
          'subject',
        );
        return;
      }
      if (stepExceptions.has(step.id))
        add(`step "${step.id}" has more than one exception`, 'exceptions', i);
      stepExceptions.add(step.id);
      if (exception.reason !== step.reason || exception.reviewDate !== step.reviewDate)
        add(
          `the exception for step "${step.id}" differs from the step's reason or review date`,
          'exceptions',
          i,
        );
      if (
        exception.approver.name !== step.approval.name ||
        exception.approver.role !== step.approval.role
      )
        add(
          `the exception for step "${step.id}" names a different approver from the step`,
          'exceptions',
          i,
          'approver',
        );
    } else {
      const key = exception.subject.toLowerCase();
      const device = hostnames.get(key);
      if (device?.status !== 'excepted') {
        add(
          `the exception for device "${exception.subject}" has no excepted device`,
          'exceptions',
          i,
          'subject',
        );
        return;
      }
      if (deviceExceptions.has(key))
        add(`device "${exception.subject}" has more than one exception`, 'exceptions', i);
      deviceExceptions.add(key);
      if (exception.reviewDate !== device.exceptionReviewDate)
        add(
          `the exception for device "${exception.subject}" has a different review date from the device`,
          'exceptions',
          i,
          'reviewDate',
        );
    }
  });
  for (const step of steps.values())
    if (step.status === 'risk-accepted' && !stepExceptions.has(step.id))
      add(`step "${step.id}" is risk-accepted but has no exception`, 'exceptions');
  for (const [key, device] of hostnames)
    if (device.status === 'excepted' && !deviceExceptions.has(key))
      add(`device "${device.hostname}" is excepted but has no exception`, 'exceptions');

  // Files: exactly the files attached as evidence, by step.
  const attached: string[] = [];
  for (const step of steps.values())
    for (const entry of step.evidence)
      if (Array.isArray(entry.value))
        for (const item of entry.value)
          if (typeof item === 'object')
            attached.push(fileKey(step.id, item.name, item.size, item.sha256));
  const listed = record.files.map((f) => fileKey(f.stepId, f.name, f.size, f.sha256));
  if (canonicalOrder(attached) !== canonicalOrder(listed))
    add('the files list is not exactly the files attached as evidence', 'files');

  return problems;
}

function fileKey(stepId: string, name: string, size: number, sha256: string): string {
  return JSON.stringify([stepId, name, size, sha256]);
}

function canonicalOrder(keys: string[]): string {
  return JSON.stringify([...keys].sort());
}
