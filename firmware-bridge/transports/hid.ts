// HID transport over node-hid (hidraw on Linux). node-hid is loaded lazily: importing this file touches no
// hardware and no native module.
import type * as NodeHidModule from 'node-hid';
import type { CloseInfo, DeviceLocator, HidTransport } from './types.ts';

type NodeHid = typeof NodeHidModule;
let hidModule: Promise<NodeHid> | undefined;
const loadHid = (): Promise<NodeHid> => (hidModule ??= import('node-hid') as Promise<NodeHid>);

export interface HidMatch extends DeviceLocator {
  /** e.g. 0x8C for HID POS scanners. */
  readonly usagePage?: number;
  readonly usage?: number;
}

export async function findHidPath(m: HidMatch): Promise<string | undefined> {
  if (m.path !== '') return m.path;
  const HID = await loadHid();
  const list = await HID.devicesAsync();
  const d = list.find(
    (x) =>
      (m.vid === null || x.vendorId === m.vid) &&
      (m.pid === null || x.productId === m.pid) &&
      (m.usagePage === undefined || x.usagePage === m.usagePage) &&
      (m.usage === undefined || x.usage === m.usage),
  );
  return d?.path;
}

export async function openHid(path: string): Promise<HidTransport> {
  const HID = await loadHid();
  const dev = await HID.HIDAsync.open(path);
  const dataListeners: ((c: Uint8Array) => void)[] = [];
  const closeListeners: ((i: CloseInfo) => void)[] = [];
  let closed = false;
  const fireClose = (info: CloseInfo): void => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(info);
  };
  dev.on('data', (b: Buffer) => {
    const u = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (const l of dataListeners) l(u);
  });
  dev.on('error', (err: Error) => {
    void dev.close().catch(() => undefined);
    fireClose({ disconnected: true, error: err });
  });
  return {
    kind: 'hid',
    where: path,
    get isOpen() {
      return !closed;
    },
    write: async (bytes) => {
      await dev.write(Buffer.from(bytes));
    },
    sendFeatureReport: async (bytes) => {
      await dev.sendFeatureReport(Buffer.from(bytes));
    },
    getFeatureReport: async (id, len) => new Uint8Array(await dev.getFeatureReport(id, len)),
    onData: (l) => void dataListeners.push(l),
    onClose: (l) => void closeListeners.push(l),
    close: async () => {
      if (closed) return;
      closed = true;
      await dev.close().catch(() => undefined);
      for (const l of closeListeners) l({ disconnected: false });
    },
  };
}
