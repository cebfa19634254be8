import { useEffect, useState } from 'react';
import { listDevices, type DeviceLists } from '../../media/devices.ts';

const NONE: DeviceLists = { cameras: [], microphones: [], speakers: [] };

/** The devices present now; `refresh` changes after access is granted, when labels appear. */
export function useDeviceLists(refresh: unknown): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(NONE);
  useEffect(() => {
    let alive = true;
    const load = () => void listDevices().then((l) => alive && setLists(l), () => {});
    load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => {
      alive = false;
      navigator.mediaDevices?.removeEventListener('devicechange', load);
    };
  }, [refresh]);
  return lists;
}
