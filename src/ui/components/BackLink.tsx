import { Link } from '../Link.tsx';

export function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-back-link">
      <Link className="nhsuk-back-link__link" href={href}>
        {children}
      </Link>
    </div>
  );
}
