// NHS form-group scaffolding: label or legend, hint, inline error, and the ids that tie them
// to the input for assistive technology.
import type { ReactNode } from 'react';

export interface FieldIds {
  input: string;
  hint: string;
  error: string;
}

export function fieldIds(name: string): FieldIds {
  const base = `field-${name.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  return { input: base, hint: `${base}-hint`, error: `${base}-error` };
}

export function describedBy(ids: FieldIds, hint: boolean, error: boolean): string | undefined {
  const parts = [hint ? ids.hint : '', error ? ids.error : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

export function ErrorMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="nhsuk-error-message" id={id}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {message}
    </span>
  );
}

export function Hint({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="nhsuk-hint" id={id}>
      {children}
    </div>
  );
}

export function FormGroup({
  error,
  children,
}: {
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>{children}</div>
  );
}
