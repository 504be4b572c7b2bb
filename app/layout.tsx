import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Washboard', template: '%s · Washboard' },
  description: "Consolidated reporting for car wash sites on Sonny's Carwash Controls",
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
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
          <nav aria-label="Main">
            <Link href="/">Overview</Link>
            <Link href="/sync">Sync</Link>
          </nav>
        </header>
        <main id="main" className="app-main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
