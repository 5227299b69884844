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

  problems.push(...versionProblems(record));

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

/**
 * Version 1 records have none of version 2's members; version 2 records carry the public key of
 * every key that signed an approval in them, and of the signer, each once.
 */
function versionProblems(record: RecordShapeValue): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string, ...path: (string | number)[]) => problems.push({ message, path });
  const approvals = record.steps.flatMap((step, i) =>
    'approval' in step && step.approval ? [{ step, i, approval: step.approval }] : [],
  );
  if (record.formatVersion === 1) {
    if (record.stage) add('a version 1 record has no stage', 'stage');
    if (record.approvers) add('a version 1 record has no approvers list', 'approvers');
    for (const { i, approval } of approvals)
      if (approval.takenAs)
        add('a version 1 record names no role a decision was taken under', 'steps', i);
    record.devices.list.forEach((device, i) => {
      if (device.evidence || device.clearedBy || device.clearedAt || device.exception)
        add('a version 1 record has no device evidence', 'devices', 'list', i);
    });
    return problems;
  }
  if (!record.approvers) {
    add("a version 2 record lists the approvers' public keys", 'approvers');
    return problems;
  }
  const keys = new Map<string, number>();
  record.approvers.forEach((approver, i) => {
    if (keys.has(approver.keyFingerprint))
      add(`the key ${approver.keyFingerprint} is listed twice`, 'approvers', i);
    keys.set(approver.keyFingerprint, i);
  });
  if (!keys.has(record.signer.keyFingerprint))
    add("the signer's public key is not in the approvers list", 'approvers');
  for (const { step, i, approval } of approvals)
    if (approval.keyFingerprint && !keys.has(approval.keyFingerprint))
      add(`the key that approved step "${step.id}" is not in the approvers list`, 'steps', i);
  record.devices.list.forEach((device, i) => {
    if (device.exception && device.status !== 'excepted')
      add('only an excepted device has an exception', 'devices', 'list', i, 'exception');
    if (device.exception && device.exception.reviewDate !== device.exceptionReviewDate)
      add(
        "the device's exception has a different review date from the device",
        'devices',
        'list',
        i,
        'exception',
      );
  });
  if (record.stage?.previous && !record.stage.closes)
    add('only the closing sign-off follows an earlier one', 'stage', 'previous');
  return problems;
}

function fileKey(stepId: string, name: string, size: number, sha256: string): string {
  return JSON.stringify([stepId, name, size, sha256]);
}

function canonicalOrder(keys: string[]): string {
  return JSON.stringify([...keys].sort());
}
