import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Tab {
  id: string;
  label: string;
  /** Shown after the label, e.g. an unread count. */
  badge?: string;
  content: ReactNode;
}

/**
 * The WAI-ARIA tabs pattern: one tab stop for the list, arrow keys move between tabs, and
 * every panel stays mounted (hidden) so a half-typed message or poll survives a tab switch.
 */
interface Props {
  tabs: Tab[];
  label: string;
  testId?: string;
  /** Told which tab is showing, e.g. to count unread messages on the others. */
  onSelect?: (id: string) => void;
}

export function Tabs({ tabs, label, testId, onSelect }: Props) {
  const [active, setActiveState] = useState(tabs[0]?.id ?? '');
  const setActive = (id: string) => {
    setActiveState(id);
    onSelect?.(id);
  };
  const base = useId();
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  const onKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target = event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : step ? tabs.at((index + step) % tabs.length) : undefined;
    if (!target) return;
    event.preventDefault();
    setActive(target.id);
    buttons.current[target.id]?.focus();
  };

  return (
    <div className="tabs" data-testid={testId}>
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((tab, i) => (
          <button key={tab.id} ref={(el) => { buttons.current[tab.id] = el; }} type="button" role="tab"
            id={`${base}-tab-${tab.id}`} aria-selected={tab.id === active} aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === active ? 0 : -1} data-testid={`tab-${tab.id}`}
            onClick={() => setActive(tab.id)} onKeyDown={(e) => onKey(e, i)}>
            {tab.label}{tab.badge && <span className="tab-badge">{tab.badge}</span>}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div key={tab.id} role="tabpanel" id={`${base}-panel-${tab.id}`} aria-labelledby={`${base}-tab-${tab.id}`}
          hidden={tab.id !== active} className="tabpanel">
          {tab.content}
        </div>
      ))}
    </div>
  );
}
