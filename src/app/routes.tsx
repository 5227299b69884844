// The route table: which page answers which path.
import type { ReactNode } from 'react';
import { matchPath, type RouteParams } from '../ui/router.ts';
import { HomePage } from '../ui/pages/HomePage.tsx';
import { NotFoundPage } from '../ui/pages/NotFoundPage.tsx';

interface Route {
  pattern: string;
  render: (params: RouteParams) => ReactNode;
}

export const routes: Route[] = [{ pattern: '/', render: () => <HomePage /> }];

export function renderRoute(location: string): ReactNode {
  for (const route of routes) {
    const params = matchPath(route.pattern, location);
    if (params) return route.render(params);
  }
  return <NotFoundPage />;
}
