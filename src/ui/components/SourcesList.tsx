// Where a step's guidance comes from, and how sure we are of it.
import type { Source, Step } from '../../checklist/schema.ts';

const confidenceWords: Record<Source['confidence'], string | null> = {
  confirmed: null,
  secondary: 'reported second-hand',
  unconfirmed: 'unconfirmed — check the original',
};

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
              {s.publisher}, <cite>{s.title}</cite> ({s.date})
              {confidenceWords[s.confidence] && (
                <strong className="nhsuk-tag nhsuk-tag--grey app-tag-inline">
                  {confidenceWords[s.confidence]}
                </strong>
              )}
              {s.note && <span className="nhsuk-body-s"> — {s.note}</span>}
              <br />
              <span className="nhsuk-body-s app-mono">{s.url}</span>
            </li>
          ))}
        </ul>
      ) : (
        step.basis !== 'good-practice' && <p>No source is cited for this step.</p>
      )}
    </section>
  );
}
