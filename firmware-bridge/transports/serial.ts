// Serial transport over `serialport` (real @serialport/bindings-cpp). Works on real ports and socat ptys
// (where DTR/RTS ioctls fail: tolerated).
import { SerialPort } from 'serialport';
import type { CloseInfo, DeviceLocator, SerialTransport } from './types.ts';

/** Resolve the path: the configured one, else the first port whose USB vid/pid match. */
export async function findSerialPath(loc: DeviceLocator): Promise<string | undefined> {
  if (loc.path !== '') return loc.path;
  if (loc.vid === null && loc.pid === null) return undefined;
  const ports = await SerialPort.list();
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const p = ports.find(
    (x) =>
      (loc.vid === null || (x.vendorId ?? '').toLowerCase() === hex(loc.vid)) &&
      (loc.pid === null || (x.productId ?? '').toLowerCase() === hex(loc.pid)),
  );
  return p?.path;
}

export function openSerial(path: string, baudRate: number): Promise<SerialTransport> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    const dataListeners: ((c: Uint8Array) => void)[] = [];
    const closeListeners: ((i: CloseInfo) => void)[] = [];
    let closed = false;
    const fireClose = (info: CloseInfo): void => {
      if (closed) return;
      closed = true;
      for (const l of closeListeners) l(info);
    };
    port.on('data', (b: Buffer) => {
      const u = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (const l of dataListeners) l(u);
    });
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      fireClose(err ? { disconnected: err.disconnected ?? true, error: err } : { disconnected: false });
    });
    port.on('error', (err: Error) => {
      // An error on an open port (EIO after unplug) — close it; the close event reports the disconnect.
      if (port.isOpen) port.close(() => fireClose({ disconnected: true, error: err }));
      else fireClose({ disconnected: true, error: err });
    });
    port.open((err) => {
      if (err) {
        reject(err);
        return;
      }
      const t: SerialTransport = {
        kind: 'serial',
        where: path,
        get isOpen() {
          return port.isOpen && !closed;
        },
        write: (bytes) =>
          new Promise((res, rej) => {
            if (!port.isOpen) {
              rej(new Error('port closed'));
              return;
            }
            port.write(Buffer.from(bytes), (e) => (e ? rej(e) : port.drain((e2) => (e2 ? rej(e2) : res()))));
          }),
        onData: (l) => void dataListeners.push(l),
        onClose: (l) => void closeListeners.push(l),
        close: () =>
          new Promise((res) => {
            if (!port.isOpen) {
              fireClose({ disconnected: false });
              res();
              return;
            }
            closed = true; // our own close: listeners hear disconnected: false
            port.close(() => {
              for (const l of closeListeners) l({ disconnected: false });
              res();
            });
          }),
        setBaudRate: (baudRate) =>
          new Promise((res, rej) => port.update({ baudRate }, (e) => (e ? rej(e) : res()))),
        setLines: (lines) => new Promise((res) => port.set(lines, (e) => res(!e))),
      };
      resolve(t);
    });
  });
}
