import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canChooseSpeaker } from '../../media/devices.ts';
import { playTestSound } from '../../media/testSound.ts';
import { setPrefs, usePrefs, type Prefs } from '../../prefs.ts';
import { DevicePreview } from './DevicePreview.tsx';
import { useDeviceLists } from './useDeviceLists.ts';

type DeviceKey = 'cameraId' | 'microphoneId' | 'speakerId';

/**
 * Camera, microphone and speaker choice with a live preview. `onSwitch` moves a camera or
 * microphone that is already on air to the newly chosen device.
 */
export function DeviceSettings({ autoTest, onSwitch }: { autoTest: boolean; onSwitch?: (source: 'camera' | 'microphone') => void }) {
  const { t } = useTranslation();
  const [testing, setTesting] = useState(autoTest);
  const [grants, setGrants] = useState(0);
  const onGranted = useCallback(() => setGrants((n) => n + 1), []);
  const lists = useDeviceLists(grants);
  const speakerId = usePrefs((p) => p.speakerId);

  const choose = (key: DeviceKey, value: string) => {
    setPrefs({ [key]: value || null } as Partial<Prefs>);
    if (key === 'cameraId') onSwitch?.('camera');
    if (key === 'microphoneId') onSwitch?.('microphone');
  };

  return (
    <section className="device-settings" data-testid="device-settings">
      <DeviceSelect label={t('setup.camera')} prefKey="cameraId" devices={lists.cameras} onChoose={choose} />
      <DeviceSelect label={t('setup.microphone')} prefKey="microphoneId" devices={lists.microphones} onChoose={choose} />
      {canChooseSpeaker
        ? <DeviceSelect label={t('setup.speaker')} prefKey="speakerId" devices={lists.speakers} onChoose={choose} />
        : <p className="muted">{t('setup.speakerUnsupported')}</p>}
      <div className="row">
        <button type="button" data-testid="device-test-button" aria-pressed={testing} onClick={() => setTesting(!testing)}>
          {testing ? t('setup.stopTest') : t('setup.test')}
        </button>
        <button type="button" data-testid="test-sound-button" onClick={() => void playTestSound(speakerId)}>
          {t('setup.testSound')}
        </button>
      </div>
      {testing && <DevicePreview onGranted={onGranted} />}
    </section>
  );
}

interface SelectProps {
  label: string;
  prefKey: DeviceKey;
  devices: MediaDeviceInfo[];
  onChoose: (key: DeviceKey, value: string) => void;
}

function DeviceSelect({ label, prefKey, devices, onChoose }: SelectProps) {
  const { t } = useTranslation();
  const id = useId();
  const value = usePrefs((p) => p[prefKey]) ?? '';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} data-testid={`select-${prefKey}`} value={value} onChange={(e) => onChoose(prefKey, e.target.value)}>
        <option value="">{t('setup.systemDefault')}</option>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>{d.label || t('setup.deviceN', { kind: label, n: i + 1 })}</option>
        ))}
      </select>
    </div>
  );
}
