// One source as a reader checks it: who published what and when, how sure we are of it, why,
// and the address to read it at. Shared by the step's sources and the reference tables.
import type { Confidence, Source } from '../../checklist/schema.ts';
import { confidenceWords, formatSourceDate } from '../format.ts';
import { InlineText } from './Guidance.tsx';
import { parseInline } from '../../checklist/guidance.ts';

const tagColour: Record<Confidence, string> = {
  confirmed: 'nhsuk-tag--green',
  secondary: 'nhsuk-tag--yellow',
  unconfirmed: 'nhsuk-tag--orange',
};

export function ConfidenceTag({ confidence }: { confidence: Confidence }) {
  return (
    <strong className={`nhsuk-tag ${tagColour[confidence]} app-tag-inline`}>
      {confidenceWords[confidence]}
    </strong>
  );
}

export function SourceLink({ source }: { source: Source }) {
  return (
    <a href={source.url} target="_blank" rel="noreferrer noopener">
      {source.url}
      <span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

export function SourceCitation({
  source,
  withNote = true,
}: {
  source: Source;
  withNote?: boolean;
}) {
  return (
    <>
      {source.publisher}, <cite>{source.title}</cite>, {formatSourceDate(source.date)}{' '}
      <ConfidenceTag confidence={source.confidence} />
      {withNote && source.note && (
        <span className="nhsuk-body-s">
          {' '}
          — <InlineText parts={parseInline(source.note)} />
        </span>
      )}
      <br />
      <span className="nhsuk-body-s app-mono">
        <SourceLink source={source} />
      </span>
    </>
  );
}
