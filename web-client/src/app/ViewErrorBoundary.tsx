import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

/**
 * A view that crashed while rendering. The media and the connection live outside React, so a
 * reload brings the participant straight back (the join token is kept for this tab).
 */
export class ViewErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('[tongtang] view crashed', error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <main className="centered" data-testid="view-crashed">
            <h1>{t('errors.INTERNAL')}</h1>
            <p><button type="button" className="primary" onClick={() => location.reload()}>{t('session.reload')}</button></p>
          </main>
        )}
      </Translation>
    );
  }
}
