// Staged sign-offs and roles, as the checklist data declares them: which sign-off covers a step,
// whether a step is locked by a signed sign-off or waits for one, whether a sign-off can be
// signed, and whether an approver's roles allow a decision. Pure: the machine's rules, the
// graph proof, the record builder and the UI all ask here, so the answer is the same everywhere.
import { createEvaluation, type RunContext } from './evaluate.ts';
import type { ChecklistIndex } from './graph.ts';
import type { ChecklistDefinition, Role, SignOff } from './schema.ts';

/** A sign-off signed on a run: when, by whom, and the digest of the record that was signed. */
export interface SignedStage {
  at: string;
  by: string;
  recordDigest: string;
}

export interface StageTarget {
  definition: Pick<ChecklistDefinition, 'phases' | 'referenceTables' | 'roles' | 'signoffs'>;
  index: ChecklistIndex;
}

/** The id the single, implicit sign-off of a checklist without `signoffs` goes by. */
export const WHOLE_RECORD = 'sign-off';

/**
 * The sign-offs of a checklist in order. A checklist without `signoffs` has one, implicit,
 * covering every phase: signed with `run.lock`, as before stages existed.
 */
export function stagesOf(definition: StageTarget['definition']): SignOff[] {
  return (
    definition.signoffs ?? [
      {
        id: WHOLE_RECORD,
        title: 'Sign-off',
        summary: 'The record is complete and signed off.',
        role: '',
        phases: definition.phases.map((p) => p.id),
      },
    ]
  );
}

export function isStaged(definition: StageTarget['definition']): boolean {
  return (definition.signoffs?.length ?? 0) > 1;
}

/** The sign-off that covers a phase. */
export function stageOfPhase(
  definition: StageTarget['definition'],
  phaseId: string,
): SignOff | undefined {
  return stagesOf(definition).find((s) => s.phases.includes(phaseId));
}

export function stageOfStep(target: StageTarget, stepId: string): SignOff | undefined {
  const phase = target.index.phaseOf.get(stepId);
  return phase === undefined ? undefined : stageOfPhase(target.definition, phase);
}

/** The steps a sign-off covers, in checklist order. */
export function stepsOfStage(target: StageTarget, stageId: string): string[] {
  const stage = stagesOf(target.definition).find((s) => s.id === stageId);
  if (!stage) return [];
  return target.index.order.filter((id) =>
    stage.phases.includes(target.index.phaseOf.get(id) ?? ''),
  );
}

/** Whether a sign-off is signed on this run (the last one by the run's lock). */
export function signedStage(
  definition: StageTarget['definition'],
  context: RunContext,
  stageId: string,
): SignedStage | undefined {
  const stages = stagesOf(definition);
  const last = stages[stages.length - 1];
  if (last?.id === stageId) return context.locked;
  return context.signoffs?.[stageId];
}

/** What stops a step being worked because of the sign-offs: locked by one, or waiting for one. */
export type StageGate =
  { kind: 'locked'; stage: SignOff; signed: SignedStage } | { kind: 'waiting'; stage: SignOff };

export function stageGate(
  target: StageTarget,
  context: RunContext,
  stepId: string,
): StageGate | null {
  if (!target.definition.signoffs) return null;
  const stages = stagesOf(target.definition);
  const own = stageOfStep(target, stepId);
  if (!own) return null;
  const signed = signedStage(target.definition, context, own.id);
  if (signed) return { kind: 'locked', stage: own, signed };
  for (const stage of stages) {
    if (stage.id === own.id) break;
    if (!signedStage(target.definition, context, stage.id)) return { kind: 'waiting', stage };
  }
  return null;
}

/** Why a sign-off cannot be signed now, or null when it can. */
export function stageRefusal(
  target: StageTarget,
  context: RunContext,
  stageId: string,
): { message: string; steps?: string[] } | null {
  const stages = stagesOf(target.definition);
  const at = stages.findIndex((s) => s.id === stageId);
  const stage = stages[at];
  if (!stage) return { message: `This checklist has no sign-off “${stageId}”.` };
  if (signedStage(target.definition, context, stage.id))
    return { message: `“${stage.title}” has already been signed.` };
  const earlier = stages.slice(0, at).find((s) => !signedStage(target.definition, context, s.id));
  if (earlier) return { message: `“${earlier.title}” must be signed first.` };
  const evaluation = createEvaluation(
    { index: target.index, referenceTables: target.definition.referenceTables },
    context,
  );
  const open = stepsOfStage(target, stage.id).filter((id) => !evaluation.isResolved(id));
  return open.length === 0
    ? null
    : {
        message: `Every step “${stage.title}” covers must be resolved first; ${String(open.length)} ${open.length === 1 ? 'is' : 'are'} not.`,
        steps: open,
      };
}

/** The declared role with this id, if the checklist declares roles. */
export function roleOf(
  definition: Pick<ChecklistDefinition, 'roles'>,
  roleId: string,
): Role | undefined {
  return definition.roles?.find((r) => r.id === roleId);
}

/** How a required role reads: its title when declared, else the text the checklist gives. */
export function roleTitle(definition: Pick<ChecklistDefinition, 'roles'>, role: string): string {
  return roleOf(definition, role)?.title ?? role;
}

/**
 * Why an approver holding `held` roles may not take a decision needing `required`, or null when
 * they may. A checklist that declares no roles (or names a role it does not declare) leaves
 * the decision to any registered approver, as before roles existed.
 */
export function roleRefusal(
  definition: Pick<ChecklistDefinition, 'roles'>,
  required: string | undefined,
  approver: { name: string; roles?: readonly string[] },
): string | null {
  if (required === undefined) return null;
  const role = roleOf(definition, required);
  if (!role) return null;
  if (approver.roles?.includes(role.id)) return null;
  return `${approver.name} is not registered as ${role.title}: only an approver with that role can take this decision. Add the role to them on the Approvers page, or ask someone who holds it.`;
}
