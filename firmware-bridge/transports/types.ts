// A transport moves bytes; it knows nothing about protocols. One open connection = one Transport; when the
// device goes away the transport calls its close listeners once with `disconnected: true`.

export interface CloseInfo {
  /** True when the device vanished (unplug, pty closed); false when we closed it. */
  readonly disconnected: boolean;
  readonly error?: Error;
}

export interface Transport {
  readonly kind: 'serial' | 'hid';
  /** Human-readable location (path) for logs. */
  readonly where: string;
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): void;
  onClose(listener: (info: CloseInfo) => void): void;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

export interface SerialTransport extends Transport {
  readonly kind: 'serial';
  setBaudRate(baudRate: number): Promise<void>;
  /** DTR/RTS; on a pty this fails (READERS.md §7.1) — the error is swallowed and `false` returned. */
  setLines(lines: { dtr?: boolean; rts?: boolean }): Promise<boolean>;
}

export interface HidTransport extends Transport {
  readonly kind: 'hid';
  sendFeatureReport(bytes: Uint8Array): Promise<void>;
  getFeatureReport(reportId: number, length: number): Promise<Uint8Array>;
}

export interface DeviceLocator {
  readonly path: string;
  readonly vid: number | null;
  readonly pid: number | null;
}
