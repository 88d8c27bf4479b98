// What the shell (host, Electron) needs from the check-in: the current view, view changes, and a way to send
// the renderer's whitelisted events. compose() builds one from the XState machine; tests may build their own.
import type { DemoAction, DemoPerson, MachineEventFromRenderer } from '../shared/contract.ts';
import type { KioskView } from '../shared/view.ts';

export interface KioskEngine {
  view(): KioskView;
  /** Called on every view change (deduplicated); returns an unsubscribe. */
  subscribe(listener: (view: KioskView) => void): () => void;
  send(event: MachineEventFromRenderer): void;
}

/** The demo panel's handle on the simulated devices (present only with --demo). */
export interface DemoControls {
  people(): readonly DemoPerson[];
  act(action: DemoAction): void;
}
