// Where a step's guidance comes from, and how sure we are of it.
import type { Source, Step } from '../../checklist/schema.ts';
import { SourceCitation } from './SourceCitation.tsx';

export function SourcesList({ step, sources }: { step: Step; sources: readonly Source[] }) {
  const cited = step.sources
    .map((id) => sources.find((s) => s.id === id))
    .filter((s): s is Source => s !== undefined);
  return (
    <section aria-labelledby={`sources-${step.id}`}>
      <h2 className="nhsuk-heading-s" id={`sources-${step.id}`}>
        Where this comes from
      </h2>
      {step.basis === 'good-practice' && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            This step is recommended good practice. It is not taken from official NHS or government
            guidance.
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
    </section>
  );
}
