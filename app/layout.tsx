import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { Providers } from '@/components/providers';
import { AccountMenu } from '@/components/auth/account-menu';
import { getViewer } from '@/lib/auth/viewer';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Washboard', template: '%s · Washboard' },
  description: "Consolidated reporting for car wash sites on Sonny's Carwash Controls",
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the session makes every page dynamic, which the CSP nonce needs anyway (proxy.ts).
  const viewer = await getViewer();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="app-header">
          <Link href="/" className="brand">
            Washboard
          </Link>
          {viewer && (
            <nav aria-label="Main">
              <Link href="/">Overview</Link>
              <Link href="/sync">Sync</Link>
              {viewer.role === 'owner' && <Link href="/settings/users">Users</Link>}
              {viewer.role === 'owner' && <Link href="/settings/audit">Audit log</Link>}
            </nav>
          )}
          {viewer && <AccountMenu email={viewer.email} role={viewer.role} />}
        </header>
        <main id="main" className="app-main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
