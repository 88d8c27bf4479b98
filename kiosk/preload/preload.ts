// The preload: exposes one object, `window.kioskBridge`, with a typed invoke/on derived from the contract.
// It never exposes ipcRenderer or the IPC event, and refuses channels the contract does not list.
// Bundled to dist/electron/preload.cjs (a sandboxed preload must be one CommonJS file).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { KioskBridge, PushChannel } from '../shared/contract.ts';
import { fail, isInvokeChannel, isPushChannel } from '../shared/contract.ts';

const bridge: KioskBridge = {
  invoke(channel, payload) {
    if (!isInvokeChannel(channel)) return Promise.resolve(fail('E_IPC_UNKNOWN_CHANNEL', 'unknown channel'));
    return ipcRenderer.invoke(channel, payload);
  },
  on(channel, listener) {
    if (!isPushChannel(channel)) return () => undefined;
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel as PushChannel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('kioskBridge', bridge);
