// Plays a run through a checklist's real machine, as a team would: again and again, take the
// step the app would offer next (src/run/status.ts nextStep), answer it, and have an approver
// decide where one must. Answers come from the step's own field definitions (a plausible value
// for each type and option), with explicit overrides where a real run would say something
// particular; a step added to a checklist is therefore answered without anyone editing this.
// Every event goes through applyEvent, so a run the machine would refuse fails loudly here.
import { sha256Hex } from '../../src/checklist/canonical.ts';
import type { FleetSummary, MachineEvent } from '../../src/checklist/events.ts';
import { validateEvidence, type Evidence, type EvidenceValue } from '../../src/checklist/fields.ts';
import type { CompiledChecklist } from '../../src/checklist/machine.ts';
import type { Field, Step } from '../../src/checklist/schema.ts';
import type { RunHeader } from '../../src/run/header.ts';
import { nextEntry, type LogEntry } from '../../src/run/log.ts';
import { applyEvent, initialRunState, type RunState } from '../../src/run/replay.ts';
import { nextStep, progressOf, stepStatuses } from '../../src/run/status.ts';
import { signedStage, stageRefusal, stagesOf } from '../../src/checklist/signoffs.ts';

export interface Person {
  name: string;
  role: string;
}

/** What the script says for one step, where the derived answers would not do. */
export interface StepScript {
  /** Answers by field id; the other fields get derived answers. */
  evidence?: Record<string, EvidenceValue>;
  outcome?: 'completed' | 'not-applicable' | 'risk-accepted';
  /** Why it does not apply, or the risk accepted. */
  reason?: string;
  reviewDate?: string;
  /** Who records it (a name from the team). */
  by?: string;
  /** What the approver says when approving it. */
  approvalStatement?: string;
}

export interface RunScript {
  compiled: CompiledChecklist;
  header: RunHeader;
  /** Local time (UTC+1, as in May) of the first action, "2017-05-13T08:05". */
  start: string;
  /** Who records the steps, in turn, unless a step names someone. */
  team: string[];
  /** People offered for person fields, in turn. */
  people: Person[];
  /** Who approves every step that needs an approver. */
  approver: Person;
  /** The device fleet, for steps gated on it (requiresFleetClearance). */
  fleet: FleetSummary;
  steps: Record<string, StepScript>;
  /** Minutes between one action and the next. */
  minutesPerAction?: number;
  /**
   * Signs a staged sign-off (the go-ahead) when the run reaches it, returning the digest of the
   * record signed. Absent: the digest of the sign-off's id and the log head stands in for it.
   */
  signStage?: (stageId: string, state: RunState, entries: LogEntry[]) => string;
}

export interface PlayedRun {
  state: RunState;
  entries: LogEntry[];
  /** Local time of the last action. */
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local time in UTC+1 as the date-time form field stores it. */
function localOf(instant: number): string {
  const d = new Date(instant + 60 * 60 * 1000);
  return `${String(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function instantOf(local: string): number {
  return Date.parse(`${local}:00+01:00`);
}

/** A plausible answer to one field, from its type, options and limits. */
export function derivedAnswer(
  step: Step,
  field: Field,
  context: { local: string; person: Person; by: string },
): EvidenceValue {
  const day = context.local.slice(0, 10);
  const fit = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));
  switch (field.type) {
    case 'text':
      return fit(`Recorded by ${context.by}: see the incident log`, field.maxLength);
    case 'long-text':
      return fit(
        `${field.label}: done and checked by ${context.by} on ${day}, with the working notes filed in the incident log.`,
        field.maxLength,
      );
    case 'number': {
      // Percentages and other bounded scores at their best; counts at their least.
      if (field.max !== undefined && field.max <= 100) return field.max;
      return field.min ?? 0;
    }
    case 'date':
      return day;
    case 'date-time':
      return context.local;
    case 'yes-no':
      return true;
    case 'choice':
      return field.options[0]?.value ?? '';
    case 'multi-choice':
      return field.options.map((o) => o.value);
    case 'person':
      return context.person;
    case 'kb-list':
      return ['KB4012212'];
    case 'version':
      return '6.1.7601.23689';
    case 'file': {
      const name = `${step.id}-${field.id}.pdf`;
      return [
        {
          id: `file-${sha256Hex(name).slice(0, 8)}`,
          name,
          size: 20_000 + name.length * 1_000,
          type: 'application/pdf',
          sha256: sha256Hex(`sample evidence: ${name}`),
        },
      ];
    }
  }
}

/** Plays the script to a complete run; throws, saying where, if the machine refuses a step. */
export function playScript(script: RunScript): PlayedRun {
  const { compiled, header } = script;
  const minutes = script.minutesPerAction ?? 20;
  let state = initialRunState(compiled);
  const entries: LogEntry[] = [];
  let clock = instantOf(script.start);
  let turn = 0;

  const apply = (event: MachineEvent) => {
    const result = applyEvent(compiled, state, event);
    if (!result.ok)
      throw new Error(
        `The scripted run was refused at ${event.type} on "${'stepId' in event ? event.stepId : ''}": ${result.rejection.message}`,
      );
    state = result.state;
    entries.push(nextEntry(header, entries.at(-1), event));
    clock += minutes * 60 * 1000;
  };
  const meta = (by: string) => ({ actor: { name: by }, at: new Date(clock).toISOString() });

  for (let guard = 0; guard < compiled.index.order.length * 4; guard++) {
    const statuses = stepStatuses(compiled, state);
    if (progressOf(statuses).complete) return { state, entries, end: localOf(clock) };
    const stepId = nextStep(compiled, statuses);
    const step = stepId === null ? undefined : compiled.index.steps.get(stepId);
    const stage =
      stepId === null && compiled.definition.signoffs
        ? stagesOf(compiled.definition)
            .slice(0, -1)
            .find(
              (s) =>
                !signedStage(compiled.definition, state.context, s.id) &&
                stageRefusal(compiled, state.context, s.id) === null,
            )
        : undefined;
    if (stage) {
      const digest =
        script.signStage?.(stage.id, state, entries) ??
        sha256Hex(`${stage.id} ${entries.at(-1)?.hash ?? ''}`);
      apply({
        type: 'run.signoff',
        signoff: stage.id,
        recordDigest: digest,
        ...meta(script.approver.name),
      });
      continue;
    }
    if (!stepId || !step)
      throw new Error('The scripted run is stuck: no step is open and the run is not complete.');
    const plan = script.steps[stepId] ?? {};
    const by = plan.by ?? script.team[turn % script.team.length] ?? 'Technician';

    if (statuses.get(stepId)?.kind === 'needs-approval') {
      apply({
        type: 'step.approve',
        stepId,
        approver: {
          ...script.approver,
          ...(step.approval && compiled.definition.roles ? { roleId: step.approval.role } : {}),
        },
        statement: plan.approvalStatement ?? 'Approved: the evidence recorded is sufficient.',
        ...meta(script.approver.name),
      });
      continue;
    }

    turn++;
    const local = localOf(clock);
    const evidence: Evidence = {};
    step.fields.forEach((field, i) => {
      const person = script.people[(turn + i) % script.people.length] ?? script.approver;
      evidence[field.id] =
        plan.evidence?.[field.id] ?? derivedAnswer(step, field, { local, person, by });
    });
    const checked = validateEvidence(step, evidence);
    if (!checked.ok)
      throw new Error(
        `The scripted answers for "${stepId}" are not valid: ${checked.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}. Give that field an answer in the script.`,
      );

    const outcome =
      plan.outcome ??
      (step.outcomes.includes('completed')
        ? 'completed'
        : step.outcomes.includes('risk-accepted')
          ? 'risk-accepted'
          : 'not-applicable');
    if (outcome === 'completed')
      apply({
        type: 'step.complete',
        stepId,
        evidence: checked.evidence,
        ...(step.requiresFleetClearance ? { fleet: script.fleet } : {}),
        ...meta(by),
      });
    else if (outcome === 'risk-accepted') {
      const review = new Date(clock + 90 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      apply({
        type: 'step.risk-accept',
        stepId,
        reason: plan.reason ?? `Accepted for now; reviewed again on ${review}.`,
        reviewDate: plan.reviewDate ?? review,
        evidence: checked.evidence,
        ...meta(by),
      });
    } else
      apply({
        type: 'step.not-applicable',
        stepId,
        reason: plan.reason ?? 'Does not apply to this organisation.',
        ...meta(by),
      });
  }
  throw new Error('The scripted run did not complete: it keeps reopening steps.');
}
