import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../SessionContext.tsx';
import { ConnectivityCheck } from './ConnectivityCheck.tsx';
import { DeviceSettings } from './DeviceSettings.tsx';

/**
 * The gear: devices and the connection check in a modal <dialog> (the browser traps focus and
 * closes it on Escape). Its content mounts only while open, so the preview camera is released.
 */
export function SetupButton() {
  const { t } = useTranslation();
  const session = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);

  const show = () => {
    setOpen(true);
    dialog.current?.showModal();
  };
  const hide = () => dialog.current?.close();

  return (
    <>
      <button type="button" className="icon-button" data-testid="settings-button" aria-label={t('setup.open')} title={t('setup.open')}
        aria-haspopup="dialog" onClick={show}>
        <span aria-hidden="true">⚙</span>
      </button>
      <dialog ref={dialog} className="setup-dialog" data-testid="settings-dialog" aria-labelledby="setup-title" onClose={() => setOpen(false)}>
        <div className="dialog-head">
          <h2 id="setup-title">{t('setup.title')}</h2>
          <button type="button" data-testid="settings-close" onClick={hide}>{t('setup.close')}</button>
        </div>
        {open && (
          <>
            <DeviceSettings autoTest onSwitch={(source) => void session.switchDevice(source)} />
            <ConnectivityCheck session={session} />
          </>
        )}
      </dialog>
    </>
  );
}
