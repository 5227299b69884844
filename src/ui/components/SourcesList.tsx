// Where a step's guidance comes from, and how sure we are of it: a Details component after the
// step's form, so the form comes first and the citations are one click away.
import type { Source, Step } from '../../checklist/schema.ts';
import { SourceCitation } from './SourceCitation.tsx';

export function SourcesList({ step, sources }: { step: Step; sources: readonly Source[] }) {
  const cited = step.sources
    .map((id) => sources.find((s) => s.id === id))
    .filter((s): s is Source => s !== undefined);
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Where this step comes from</span>
      </summary>
      <div className="nhsuk-details__text">
        {step.basis === 'good-practice' && (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              This step is recommended good practice. It is not taken from official NHS or
              government guidance.
            </p>
          </div>
        )}
        {cited.length > 0 ? (
          <ul className="nhsuk-list nhsuk-list--bullet">
            {cited.map((s) => (
              <li key={s.id}>
                <SourceCitation source={s} />
              </li>
            ))}
          </ul>
        ) : (
          step.basis !== 'good-practice' && <p>No source is cited for this step.</p>
        )}
      </div>
    </details>
  );
}
