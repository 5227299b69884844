// A labelled progress bar for long work (reading a file, storing devices, a bulk action).
export function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="app-progress">
      <label className="nhsuk-label" htmlFor="import-progress">
        {label}
      </label>
      <progress
        id="import-progress"
        className="app-progress__bar"
        max={100}
        value={percent}
        aria-valuetext={`${String(percent)}%`}
      >
        {percent}%
      </progress>
      <span className="nhsuk-body-s" aria-hidden="true">
        {' '}
        {percent}%
      </span>
    </div>
  );
}
